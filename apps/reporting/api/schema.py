"""The OpenAPI description of the reports API (drf-spectacular), kept apart from
the behaviour in `views.py`; applied to the view class when `api/urls.py` loads
this module."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from apps.core.api import error_responses
from apps.core.api_schema import download, read_list, read_one
from apps.reporting.api.views import ReportRequestSerializer, ReportSerializer, ReportViewSet

REQUEST_EXAMPLE = OpenApiExample(
    "January to May 2015",
    value={"period_start": "2015-01", "period_end": "2015-05"},
    request_only=True,
)
NOT_READY = "404 until the report is ready. Recorded in the access log."

extend_schema_view(
    list=read_list(ReportSerializer, "The municipality's reports, newest first"),
    retrieve=read_one(
        ReportSerializer, "One report and its status (queued, running, ready, failed)"
    ),
    create=extend_schema(
        summary="Request a report for a period of whole months",
        description=(
            "201 with the new report (queued); 200 with the report of the same period "
            "that is already being made (no second one is started). 400 for a period that "
            "ends before it starts, is longer than 3 years, or lies in the future. 429 when "
            "the person has requested `REPORT_REQUESTS_PER_DAY` new reports today (asking "
            "for a report that is still being made does not count)."
        ),
        request=ReportRequestSerializer,
        responses={
            201: ReportSerializer,
            200: ReportSerializer,
            **error_responses(400, 403, 429),
        },
        examples=[REQUEST_EXAMPLE],
    ),
    pdf=download("Download the report as PDF", NOT_READY, "application/pdf"),
    csv=download(
        "Download the report as CSV (UTF-8, ';', one line per table cell)", NOT_READY, "text/csv"
    ),
)(ReportViewSet)
