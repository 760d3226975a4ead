"""Pages of the monitoring reports: the list with the request form, a report's
page, its live status (htmx) and the downloads, and the admin's settings."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.core.files import serve_private_file
from apps.core.forms import REFUSED, call_service
from apps.core.mixins import MunicipalityRequiredMixin
from apps.reporting import dashboard, services
from apps.reporting.forms import ReportRequestForm, ReportSettingsForm
from apps.reporting.models import Report, ReportSettings
from apps.teams.edit_views import ConfigurationEditView
from apps.tenants.permissions import Action

LIST_LIMIT = 100


class ReportMixin(MunicipalityRequiredMixin):
    model = Report
    required_action = Action.REPORT_VIEW

    @cached_property
    def report(self) -> Report:
        # Scoped: a report of another municipality does not exist here.
        return get_object_or_404(
            services.visible_reports(self.request.user, self.request.municipality),
            pk=self.kwargs["pk"],
        )


class ReportListView(MunicipalityRequiredMixin, TemplateView):
    """/rapportages/: the reports of the municipality, newest first, and the
    form to request one for a period."""

    required_action = Action.REPORT_VIEW
    template_name = "reporting/list.html"

    def get_context_data(self, form=None, **kwargs):
        reports = services.visible_reports(self.request.user, self.request.municipality)
        return super().get_context_data(
            reports=reports[:LIST_LIMIT],
            limit=LIST_LIMIT,
            form=form or ReportRequestForm(),
            threshold=services.report_settings(self.request.municipality).small_count_threshold,
            can_configure=self.has_action(Action.CONFIGURATION_MANAGE),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = ReportRequestForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        result = call_service(
            form,
            lambda: services.report_request(
                actor=request.user,
                municipality=request.municipality,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                audience=form.cleaned_data["audience"],
                compare_previous_year=form.cleaned_data["compare_previous_year"],
            ),
        )
        if result is REFUSED:
            return self.render_to_response(self.get_context_data(form=form), status=400)
        report, created = result
        messages.add_message(request, *_requested_message(report, created))
        return redirect("reporting:detail", pk=report.pk)


def _requested_message(report: Report, created: bool) -> tuple[int, str]:
    """What the person who asked for a report is told: requested, or already in the making."""
    if created:
        text = _("De rapportage over %(period)s is aangevraagd. U ziet hier wanneer ze klaar is.")
        return messages.SUCCESS, text % {"period": report.period_label}
    text = _("De rapportage over %(period)s wordt al gemaakt; u ziet hier wanneer ze klaar is.")
    return messages.INFO, text % {"period": report.period_label}


class DashboardView(MunicipalityRequiredMixin, TemplateView):
    """/rapportages/dashboard/: this year at a glance, for policy advisors and
    the admin. Aggregates only (the figures of the reports, small counts hidden
    at the municipality's threshold); the access log records the visit as
    such, with no resident."""

    required_action = Action.REPORT_VIEW
    template_name = "reporting/dashboard.html"

    def get_context_data(self, **kwargs):
        municipality = self.request.municipality
        services.require_report_access(self.request.user, municipality)
        threshold = services.report_settings(municipality).small_count_threshold
        log_access(
            request=self.request,
            action=AccessLogEntry.Action.VIEW,
            object_type="reporting.dashboard",
            object_label=gettext_lazy("Dashboard rapportages (alleen totalen, geen inwoners)"),
        )
        return super().get_context_data(
            **dashboard.dashboard(municipality, threshold=threshold), **kwargs
        )


class ReportDetailView(ReportMixin, TemplateView):
    template_name = "reporting/detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.report, **kwargs)


class ReportStatusView(ReportMixin, TemplateView):
    """What is inside a report's status region, polled by htmx while it is being made
    (without htmx: the report's page)."""

    template_name = "reporting/_status_body.html"

    def get(self, request, *args, **kwargs):
        if not request.headers.get("HX-Request"):
            response = redirect("reporting:detail", pk=self.report.pk)
        elif request.GET.get("was") == self.report.status:
            # Unchanged: htmx swaps nothing on a 204, so the live region is
            # not announced again every two seconds.
            response = HttpResponse(status=204)
        else:
            response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report, compact=self.request.GET.get("compact") == "1", **kwargs
        )


class ReportDownloadView(ReportMixin, View):
    """The PDF or CSV of a ready report; every download is in the access log."""

    kind = "pdf"
    http_method_names = ["get", "head"]
    CONTENT_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}

    def get(self, request, *args, **kwargs):
        report = self.report
        if report.status != Report.Status.READY:
            raise Http404
        return serve_private_file(
            request,
            getattr(report, self.kind),
            filename=report.file_name(self.kind),
            obj=report,
            content_type=self.CONTENT_TYPES[self.kind],
        )


class ReportSettingsView(ConfigurationEditView):
    """/beheer/rapportages/: the municipality's one ReportSettings row."""

    model = ReportSettings
    form_class = ReportSettingsForm
    template_name = "reporting/settings_form.html"
    success_url_name = "reporting:list"
    title_new = gettext_lazy("Instellingen rapportages")

    def get_object(self):
        if self.object is None:
            self.object = services.report_settings(self.request.municipality)
        return self.object
