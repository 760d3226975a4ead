"""Cases in the platform admin: to look at, never to change. Cases are worked on
through the pages and the API, which call the services; the platform admin has
no municipal role there. What is opened here is logged, in the municipality it
concerns, like the access log's own admin."""

from django.contrib import admin
from django.utils.translation import gettext as _

from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access, log_list
from apps.cases.models import Case, DirectorChange
from apps.intake.models import Resident


class ReadOnlyAdmin(admin.ModelAdmin):
    """No add, change or delete, and no bulk actions; opening a record is logged,
    and so is every page of the list: one entry per municipality shown, naming
    the records and the residents they concern (`resident_path`, a lookup from
    the record to its resident's id), so the overview for a resident finds it."""

    actions = None
    list_filter = ["municipality"]
    resident_path = "resident_id"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def resident_ids_of(self, pks) -> dict:
        """{pk: (municipality id, resident id or None)} for the records `pks`: one query."""
        rows = self.model.objects.filter(pk__in=pks).values_list(
            "pk", "municipality_id", self.resident_path
        )
        return {pk: (municipality_id, resident_id) for pk, municipality_id, resident_id in rows}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, object_id)
        if obj is not None and response.status_code == 200:
            _municipality_id, resident_id = self.resident_ids_of([obj.pk])[obj.pk]
            log_access(
                request=request,
                municipality=obj.municipality,
                action=AccessLogEntry.Action.VIEW,
                obj=obj,
                object_label=_("platformbeheer: %(object)s bekeken") % {"object": obj},
                resident=Resident.objects.filter(pk=resident_id).first() if resident_id else None,
            )
        return response

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        shown = self.resident_ids_of([obj.pk for obj in changelist.result_list])
        by_municipality = {}
        for obj in changelist.result_list:
            by_municipality.setdefault(obj.municipality, []).append(obj)
        for municipality, objects in by_municipality.items():
            log_list(
                request=request,
                municipality=municipality,
                objects=objects,
                resident_of=lambda obj: shown[obj.pk][1],
                object_type=self.model._meta.label_lower,
                object_label=_("platformbeheer: lijst van %(objects)s, %(count)s getoond")
                % {"objects": self.model._meta.verbose_name_plural, "count": len(objects)},
            )
        return changelist


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "team", "director", "status", "opened_on", "municipality"]
    list_filter = ["municipality", "status"]
    list_select_related = ["team", "director__user", "municipality"]
    search_fields = ["=id", "title"]


@admin.register(DirectorChange)
class DirectorChangeAdmin(ReadOnlyAdmin):
    resident_path = "case__resident_id"
    list_display = ["case", "from_director", "to_director", "at", "municipality"]
    list_select_related = [
        "case",
        "from_director__user",
        "to_director__user",
        "municipality",
    ]
