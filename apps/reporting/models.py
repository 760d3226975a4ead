"""Monitoring reports (rapportages) for policy advisors: a stored record per
municipality and period, built by a background job into a PDF and a CSV."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from apps.core.files import PrivateStorage
from apps.core.models import MunicipalityOwned, VersionedModel

# The longest period one report may cover.
MAX_PERIOD_MONTHS = 36


class ReportSettings(MunicipalityOwned, VersionedModel):
    """A municipality's report settings (one row per municipality)."""

    municipality = models.OneToOneField(
        "tenants.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="report_settings",
    )
    small_count_threshold = models.PositiveSmallIntegerField(
        _("kleine aantallen verbergen onder"),
        default=0,
        validators=[MaxValueValidator(50)],
        help_text=_(
            "Voor rapportages die buiten de gemeente worden gedeeld: een aantal van 1 tot "
            "dit getal wordt getoond als '<N'. 0 = uit."
        ),
    )

    objects = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("rapportage-instellingen")
        verbose_name_plural = _("rapportage-instellingen")

    def __str__(self):
        return str(_("Rapportage-instellingen"))


class Report(MunicipalityOwned):
    """One monitoring report of one municipality over whole months. It goes
    queued → running → ready (with a PDF and a CSV) or failed (with the reason);
    a municipality never has two reports of the same period in the making."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("wordt gemaakt")
        READY = "ready", _("klaar")
        FAILED = "failed", _("mislukt")

    class Audience(models.TextChoices):
        """Who the report is for: the figures of an internal report are shown
        in full; a report to share outside the municipality hides its small
        counts (the municipality's threshold, ReportSettings)."""

        OUTSIDE = "outside", _("om te delen")
        INTERNAL = "internal", _("voor intern gebruik")

    IN_PROGRESS = (Status.QUEUED, Status.RUNNING)

    period_start = models.DateField(_("van"))
    period_end = models.DateField(_("tot en met"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # Empty when the monthly schedule asked for it.
    requested_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("aangevraagd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_scheduled = models.BooleanField(_("maandelijks automatisch"), default=False)
    small_count_threshold = models.PositiveSmallIntegerField(
        _("kleine aantallen verborgen onder"), default=0
    )
    audience = models.CharField(
        _("versie"), max_length=10, choices=Audience.choices, default=Audience.OUTSIDE
    )
    # Each figure beside that of the same months a year earlier, with the difference.
    compare_previous_year = models.BooleanField(_("vergeleken met een jaar eerder"), default=False)
    created_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    error = models.TextField(_("foutmelding"), blank=True)
    pdf = models.FileField(
        _("PDF"), storage=PrivateStorage(), upload_to="reports/%Y/%m/", blank=True
    )
    csv = models.FileField(
        _("CSV"), storage=PrivateStorage(), upload_to="reports/%Y/%m/", blank=True
    )

    objects = ScopedManager(municipality="municipality")

    class Meta:
        verbose_name = _("rapportage")
        verbose_name_plural = _("rapportages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Never built twice at the same time: a second request finds this one.
            models.UniqueConstraint(
                fields=[
                    "municipality",
                    "period_start",
                    "period_end",
                    "audience",
                    "compare_previous_year",
                ],
                condition=models.Q(status__in=["queued", "running"]),
                name="report_one_in_progress_per_request",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "-created_at"], name="report_muni_created")]

    def __str__(self):
        return _("Rapportage %(period)s") % {"period": self.period_label}

    @property
    def period_label(self) -> str:
        from apps.reporting.periods import period_label

        return period_label(self.period_start, self.period_end)

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    def file_name(self, extension: str) -> str:
        from django.utils.text import slugify

        audience = "intern" if self.audience == self.Audience.INTERNAL else "om-te-delen"
        compared = "-met-vorig-jaar" if self.compare_previous_year else ""
        return (
            f"rapportage-{slugify(self.municipality.name)}-"
            f"{self.period_start:%Y-%m}-{self.period_end:%Y-%m}-{audience}{compared}.{extension}"
        )

    @property
    def is_internal(self) -> bool:
        return self.audience == self.Audience.INTERNAL

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("De periode eindigt voordat ze begint.")})
