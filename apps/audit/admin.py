"""The access log in the platform admin: read only, for investigations across
municipalities. No add, change or delete (nor the bulk delete action); what the
platform admin reads here is itself logged, per municipality shown."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.models import AccessLogEntry, AccessLogResident
from apps.audit.services import log_access, log_list


class BoundedCountPaginator(Paginator):
    """Counts at most LIMIT rows: the log is too large for an exact COUNT on
    every page. Beyond LIMIT, narrow the list with the filters or the search."""

    LIMIT = 10_000

    @cached_property
    def count(self):
        return self.object_list.order_by().values("pk")[: self.LIMIT].count()


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "municipality",
        "user_label",
        "action",
        "object_type",
        "object_label",
        "resident",
        "channel",
        "remote_addr",
    ]
    list_filter = [
        "action",
        "channel",
        ("at", admin.DateFieldListFilter),
        "municipality",
    ]
    search_fields = ["user_label", "object_label", "=object_id", "resident__surname"]
    list_select_related = ["municipality", "resident"]
    paginator = BoundedCountPaginator
    show_full_result_count = False
    actions = None
    ordering = ["-at", "-pk"]

    def get_readonly_fields(self, request, obj=None):
        fields = [f.name for f in self.model._meta.fields]
        # The residents a list or search showed, after the entry's own resident.
        fields.insert(fields.index("resident") + 1, "shown_residents")
        return fields

    def residents_shown(self, entry) -> list:
        """The residents `entry`'s list or search showed: one query."""
        rows = AccessLogResident.objects.filter(entry=entry).select_related("resident")
        return [row.resident for row in rows]

    @admin.display(description=gettext_lazy("getoonde inwoners"))
    def shown_residents(self, entry):
        return (
            ", ".join(
                f"{resident.full_name} ({resident.pk})" for resident in self.residents_shown(entry)
            )
            or self.get_empty_value_display()
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        search = request.GET.get("q", "")
        by_municipality = {}
        for entry in changelist.result_list:
            by_municipality.setdefault(entry.municipality, []).append(entry)
        # The list shows residents' names: each entry names the residents shown.
        for municipality, entries in by_municipality.items():
            log_list(
                request=request,
                municipality=municipality,
                objects=entries,
                action=AccessLogEntry.Action.SEARCH,
                object_type=AccessLogEntry._meta.label_lower,
                object_label=_("platformbeheer: toegangslog bekeken%(search)s")
                % {"search": _(", zoekterm '%(q)s'") % {"q": search} if search else ""},
            )
        return changelist

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        entry = self.get_object(request, object_id)
        if entry is not None and response.status_code == 200:
            # The page names the residents the entry's list showed: so does its entry.
            log_access(
                resident_ids=[resident.pk for resident in self.residents_shown(entry)],
                request=request,
                municipality=entry.municipality,
                action=AccessLogEntry.Action.VIEW,
                object_type=AccessLogEntry._meta.label_lower,
                object_id=entry.pk,
                object_label=_("platformbeheer: toegangslogregel bekeken"),
                resident=entry.resident,
            )
        return response
