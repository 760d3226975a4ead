"""The reports API: list the municipality's reports, request one for a period
of whole months, follow its status, download its PDF and CSV. For policy
advisors and the municipality admin (`report.view`); a report holds figures
only. The OpenAPI description of these views is in `schema.py`."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.files import serve_private_file
from apps.core.pagination import NewestFirstPagination
from apps.reporting import services
from apps.reporting.models import Report
from apps.tenants.permissions import Action

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class ReportSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period_label", read_only=True)
    requested_by = serializers.CharField(
        source="requested_by.user.full_name", default=None, read_only=True
    )
    pdf_url = serializers.SerializerMethodField()
    csv_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "period_start",
            "period_end",
            "period",
            "status",
            "is_scheduled",
            "requested_by",
            "small_count_threshold",
            "audience",
            "compare_previous_year",
            "created_at",
            "started_at",
            "finished_at",
            "error",
            "pdf_url",
            "csv_url",
        ]
        read_only_fields = fields

    def _url(self, report, kind) -> str | None:
        if report.status != Report.Status.READY:
            return None
        request = self.context.get("request")
        path = f"/api/v1/reports/{report.pk}/{kind}/"
        return request.build_absolute_uri(path) if request else path

    def get_pdf_url(self, report) -> str | None:
        return self._url(report, "pdf")

    def get_csv_url(self, report) -> str | None:
        return self._url(report, "csv")


class ReportRequestSerializer(serializers.Serializer):
    period_start = serializers.RegexField(
        MONTH,
        help_text="First month of the period, YYYY-MM.",
        error_messages={"invalid": _("Geef een maand op als JJJJ-MM, bijvoorbeeld 2015-01.")},
    )
    period_end = serializers.RegexField(
        MONTH,
        help_text="Last month of the period (included), YYYY-MM. At most 36 months.",
        error_messages={"invalid": _("Geef een maand op als JJJJ-MM, bijvoorbeeld 2015-05.")},
    )
    audience = serializers.ChoiceField(
        choices=Report.Audience.choices,
        default=Report.Audience.OUTSIDE,
        help_text=(
            "`outside` (default): to share outside the municipality, small counts hidden at "
            "its threshold. `internal`: for internal use, nothing hidden."
        ),
    )
    compare_previous_year = serializers.BooleanField(
        default=False,
        help_text="Set every figure beside the same months a year earlier (the difference).",
    )


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Monitoring reports of the municipality (policy advisors and the
    municipality admin). Poll `GET /reports/{id}/` until `status` is `ready`,
    then download `pdf_url` / `csv_url`."""

    read_action = Action.REPORT_VIEW
    write_action = Action.REPORT_VIEW
    serializer_class = ReportSerializer
    pagination_class = NewestFirstPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.request is None:
            return Report.objects.none()  # schema generation, introspection: no user
        return services.visible_reports(self.request.user, self.request._request.municipality)

    def create(self, request, *args, **kwargs):
        serializer = ReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report, created = services.report_request(
                actor=request.user,
                municipality=request._request.municipality,
                **serializer.validated_data,
            )
        except services.ReportQuotaExceeded as exc:
            # 429, like a rate limit: the request was fine, the person has asked enough today.
            raise exceptions.Throttled(detail=str(exc.message)) from exc
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return Response(
            ReportSerializer(report, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def _download(self, request, kind, content_type):
        report = self.get_object()
        if report.status != Report.Status.READY:
            raise Http404
        return serve_private_file(
            request._request,
            getattr(report, kind),
            filename=report.file_name(kind),
            obj=report,
            content_type=content_type,
        )

    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        return self._download(request, "pdf", "application/pdf")

    @action(detail=True, methods=["get"])
    def csv(self, request, pk=None):
        return self._download(request, "csv", "text/csv; charset=utf-8")
