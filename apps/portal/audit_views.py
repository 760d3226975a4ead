"""Pages of the access log for the municipality admin: the log with its filters,
its CSV export, and the overview for one resident ("who looked at my file").

There are only GET pages here: the log is never changed through the portal
(any other method answers 405). Every page that shows the log writes an entry
itself, before it reads: looking at who saw a file is a look at that file."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from apps.audit import selectors
from apps.audit.exports import CHUNK_SIZE, csv_response, local_time
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.core.mixins import MunicipalityRequiredMixin
from apps.intake.models import Resident
from apps.intake.selectors import resident_search
from apps.portal import audit_selectors
from apps.portal.audit_forms import LogFilterForm
from apps.tenants.models import StaffMember
from apps.tenants.permissions import Action

A = AccessLogEntry.Action
LOG_TYPE = "audit.accesslogentry"


class AuditPageMixin(MunicipalityRequiredMixin):
    required_action = Action.AUDIT_LOG_VIEW
    http_method_names = ["get", "head"]


def describe_filters(form: LogFilterForm) -> str:
    """The filters in words, for the log entry of a search or an export."""
    if not form.is_bound or not form.is_valid():
        return _("alle regels")
    data = form.cleaned_data
    parts = []
    if data.get("staff_member"):
        parts.append(_("medewerker %(name)s") % {"name": data["staff_member"].user.full_name})
    if data.get("resident"):
        parts.append(_("inwoner %(name)s") % {"name": data["resident"].full_name})
    if data.get("action"):
        parts.append(_("handeling %(action)s") % {"action": A(data["action"]).label})
    if data.get("date_from"):
        parts.append(_("vanaf %(day)s") % {"day": data["date_from"].isoformat()})
    if data.get("date_until"):
        parts.append(_("tot en met %(day)s") % {"day": data["date_until"].isoformat()})
    return ", ".join(parts) or _("alle regels")


def _log_reading_the_log(request, form, *, action, what=""):
    resident = form.cleaned_data.get("resident") if form.is_bound else None
    filters = describe_filters(form)
    log_access(
        request=request,
        action=action,
        object_type=LOG_TYPE,
        object_label=f"{what}, {filters}" if what else filters,
        resident=resident,
    )


class AccessLogView(AuditPageMixin, TemplateView):
    """/beheer/toegangslog/: the log of the municipality, newest first, filtered
    by person, resident, action and period; keyset pagination."""

    template_name = "audit/log.html"

    def get_context_data(self, **kwargs):
        form = LogFilterForm(self.request.GET or None)
        staff = list(StaffMember.objects.select_related("user").order_by("user__full_name", "pk"))
        form.use_staff(staff)
        context = {"page": None, "picked_resident": None, "residents_found": None}
        if not form.is_bound or form.is_valid():
            context.update(self._read_log(form, staff))
        return super().get_context_data(
            form=form, **context, **_filter_queries(self.request.GET), **kwargs
        )

    def _read_log(self, form, staff) -> dict:
        """The page of the log the filters ask for, each entry labelled; the
        resident search and the reading itself go into the log first."""
        request = self.request
        data = form.cleaned_data if form.is_bound else {}
        picked = data.get("resident")
        term = data.get("resident_q", "")
        found = _search_residents(request, term) if term and picked is None else None
        # Reading the log of one resident is reading about their file.
        _log_reading_the_log(request, form, action=A.VIEW if picked else A.SEARCH)
        page = selectors.log_page(
            municipality=request.municipality,
            filters=_filters(form),
            cursor=request.GET.get("na", ""),
        )
        audit_selectors.label_entries(
            page.entries, staff, selectors.municipality_label(request.municipality)
        )
        return {"page": page, "picked_resident": picked, "residents_found": found}


def _filters(form: LogFilterForm) -> selectors.LogFilters:
    """What the (valid or unbound) filter form selects: everything when unbound."""
    return form.filters() if form.is_bound else selectors.LogFilters()


def _search_residents(request, term: str) -> list:
    """The residents matching `term`, the search itself recorded in the log."""
    found = list(resident_search(term))
    log_access(
        request=request,
        action=A.SEARCH,
        object_type="intake.resident",
        object_label=_("zoekterm '%(term)s' in de toegangslog, %(count)s gevonden")
        % {"term": term, "count": len(found)},
    )
    return found


def _filter_queries(params) -> dict:
    """The page's query string for its links: without the page cursor, and also
    without the resident (to pick another)."""
    query = params.copy()
    query.pop("na", None)
    without_resident = query.copy()
    for key in ("resident", "resident_q"):
        without_resident.pop(key, None)
    return {
        "filter_query": query.urlencode(),
        "query_without_resident": without_resident.urlencode(),
    }


LOG_CSV_HEADER = [
    "Tijdstip",
    "Medewerker",
    "Functie en team (toen)",
    "Handeling",
    "Soort gegeven",
    "Gegeven",
    "Nummer",
    "Inwoner",
    "Inwonernummer",
    "Via",
    "IP-adres",
    "Reden",
]


class AccessLogExportView(AuditPageMixin, View):
    """The filtered log as a streamed CSV download (all matching entries)."""

    def get(self, request):
        form = LogFilterForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            # The log page shows what is wrong with the filters.
            return redirect(f"{reverse('audit:log')}?{request.GET.urlencode()}")
        _log_reading_the_log(request, form, action=A.EXPORT, what="CSV")
        municipality = request.municipality
        # Built here, inside the request's scope; read in chunks while streaming.
        entries = selectors.log_entries(municipality=municipality, filters=_filters(form))
        rows = _log_csv_rows(
            entries.iterator(chunk_size=CHUNK_SIZE), selectors.municipality_label(municipality)
        )
        filename = f"toegangslog-{municipality.cbs_code}-{timezone.localdate():%Y%m%d}.csv"
        return csv_response(filename, LOG_CSV_HEADER, rows)


def _log_csv_rows(entries, municipality_name: str):
    """The lines of the log's CSV, one per entry, in the order of LOG_CSV_HEADER."""
    for e in entries:
        yield [
            local_time(e.at),
            e.user_label,
            audit_selectors.acted_as_summary(e, municipality_name),
            e.get_action_display(),
            selectors.object_type_label(e.object_type),
            e.object_label,
            e.object_id,
            e.resident.full_name if e.resident_id else "",
            e.resident_id or "",
            e.get_channel_display(),
            e.remote_addr or "",
            e.reason,
        ]


# --- the overview for a resident (GDPR art. 15) ------------------------------------------


class ResidentOverviewMixin(AuditPageMixin):
    def get_resident(self):
        return get_object_or_404(Resident.objects.all(), pk=self.kwargs["resident_pk"])

    def log_overview(self, resident, form_label):
        log_access(
            request=self.request,
            action=A.EXPORT,
            object_type=LOG_TYPE,
            object_label=_("overzicht voor de inwoner (%(form)s)") % {"form": form_label},
            resident=resident,
        )


class ResidentAccessOverviewView(ResidentOverviewMixin, TemplateView):
    """/beheer/toegangslog/inwoner/<resident_pk>/: who had access to this
    resident's file, named by organisation, team and function; printable."""

    template_name = "audit/resident_overview.html"

    def get_context_data(self, **kwargs):
        municipality = self.request.municipality
        resident = self.get_resident()
        self.log_overview(resident, _("pagina"))
        limit = selectors.RESIDENT_OVERVIEW_LIMIT
        organisation = selectors.municipality_label(municipality)
        entries = list(
            selectors.resident_accesses(municipality=municipality, resident=resident)[: limit + 1]
        )
        rows = [
            {
                "entry": e,
                "actors": audit_selectors.actors_of(e, organisation),
                "object_type": selectors.object_type_label(e.object_type),
            }
            for e in entries[:limit]
        ]
        return super().get_context_data(
            resident=resident,
            rows=rows,
            truncated=len(entries) > limit,
            limit=limit,
            produced_at=timezone.localtime(),
            organisation=organisation,
            **kwargs,
        )


RESIDENT_CSV_HEADER = ["Tijdstip", "Organisatie", "Team", "Functie", "Handeling", "Gegeven"]


class ResidentAccessOverviewCsvView(ResidentOverviewMixin, View):
    def get(self, request, resident_pk):
        municipality = request.municipality
        resident = self.get_resident()
        self.log_overview(resident, "CSV")
        name = selectors.municipality_label(municipality)
        entries = selectors.resident_accesses(
            municipality=municipality, resident=resident
        ).iterator(chunk_size=CHUNK_SIZE)

        def rows():
            for e in entries:
                # Someone in two teams then: both, in the same order in each column.
                actors = audit_selectors.actors_of(e, name)
                has_team = any(a.team for a in actors)
                teams = " / ".join(a.team or "-" for a in actors) if has_team else ""
                yield [
                    local_time(e.at),
                    " / ".join(a.organisation for a in actors),
                    teams,
                    " / ".join(a.function for a in actors),
                    e.get_action_display(),
                    selectors.object_type_label(e.object_type),
                ]

        filename = f"inzage-dossier-{resident.pk}-{timezone.localdate():%Y%m%d}.csv"
        return csv_response(filename, RESIDENT_CSV_HEADER, rows())
