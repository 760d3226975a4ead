"""Cases in the platform admin: to look at, never to change. Cases are worked on
through the pages and the API, which call the services; the platform admin has
no municipal role there. What is opened here is logged, in the municipality it
concerns, like the access log's own admin."""

from django.contrib import admin
from django.utils.translation import gettext as _

from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.cases.models import Case, DirectorChange


class ReadOnlyAdmin(admin.ModelAdmin):
    """No add, change or delete, and no bulk actions; opening a record is logged."""

    actions = None
    list_filter = ["municipality"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, object_id)
        if obj is not None and response.status_code == 200:
            log_access(
                request=request,
                municipality=obj.municipality,
                action=AccessLogEntry.Action.VIEW,
                obj=obj,
                object_label=_("platformbeheer: %(object)s bekeken") % {"object": obj},
            )
        return response


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "team", "director", "status", "opened_on", "municipality"]
    list_filter = ["municipality", "status"]
    list_select_related = ["team", "director__user", "municipality"]
    search_fields = ["=id", "title"]


@admin.register(DirectorChange)
class DirectorChangeAdmin(ReadOnlyAdmin):
    list_display = ["case", "from_director", "to_director", "at", "municipality"]
    list_select_related = [
        "case",
        "from_director__user",
        "to_director__user",
        "municipality",
    ]
