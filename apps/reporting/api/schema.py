"""The OpenAPI description of the reports API (drf-spectacular), kept apart from
the behaviour in `views.py`; applied to the view class when `api/urls.py` loads
this module."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view

from apps.core.api import error_responses
from apps.reporting.api.views import ReportRequestSerializer, ReportSerializer, ReportViewSet

REQUEST_EXAMPLE = OpenApiExample(
    "January to May 2015",
    value={"period_start": "2015-01", "period_end": "2015-05"},
    request_only=True,
)


def _download(summary, media_type):
    """A file download: the file once the report is ready, else 404."""
    return extend_schema(
        summary=summary,
        description="404 until the report is ready. Recorded in the access log.",
        responses={
            (200, media_type): OpenApiResponse(response=OpenApiTypes.BINARY),
            **error_responses(403, 404),
        },
    )


extend_schema_view(
    list=extend_schema(
        summary="The municipality's reports, newest first",
        responses={200: ReportSerializer(many=True), **error_responses(403)},
    ),
    retrieve=extend_schema(
        summary="One report and its status (queued, running, ready, failed)",
        responses={200: ReportSerializer, **error_responses(403, 404)},
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
    pdf=_download("Download the report as PDF", "application/pdf"),
    csv=_download("Download the report as CSV (UTF-8, ';', one line per table cell)", "text/csv"),
)(ReportViewSet)
