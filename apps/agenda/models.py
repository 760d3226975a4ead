"""Planned appointments and the private calendar feed of a person."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.cases.models import Activity, same_municipality_errors
from apps.core.models import EditedByModel, MunicipalityOwned, VersionedModel


class Appointment(MunicipalityOwned, VersionedModel, EditedByModel):
    """Afspraak: a kitchen-table talk, home visit or meeting planned on a case,
    or on a question before there is a case (or on both: a question of the
    case's household, within the case). Held, it becomes an activity of the case
    (`appointment_record_held`); the appointment then links it."""

    class Kind(models.TextChoices):
        KITCHEN_TABLE = "kitchen_table", _("keukentafelgesprek")
        HOME_VISIT = "home_visit", _("huisbezoek")
        MEETING = "meeting", _("overleg")

    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        HELD = "held", _("gehouden")
        CANCELLED = "cancelled", _("geannuleerd")

    # The activity an appointment of each kind becomes once held.
    ACTIVITY_KIND = {
        Kind.KITCHEN_TABLE: Activity.Kind.KITCHEN_TABLE,
        Kind.HOME_VISIT: Activity.Kind.HOME_VISIT,
        Kind.MEETING: Activity.Kind.CASE_DISCUSSION,
    }

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("casus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    question = models.ForeignKey(
        "intake.Question",
        verbose_name=_("vraag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    place = models.CharField(
        _("plaats"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: bij de inwoner thuis, of het gemeentehuis."),
    )
    participants = models.ManyToManyField(
        "tenants.StaffMember", verbose_name=_("deelnemers"), related_name="appointments"
    )
    other_participants = models.CharField(
        _("andere deelnemers"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld de inwoner, een familielid of de huisarts."),
    )
    organiser = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("georganiseerd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    cancel_reason = models.TextField(_("reden van annuleren"), max_length=2000, blank=True)
    activity = models.OneToOneField(
        Activity,
        verbose_name=_("activiteit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointment",
    )
    created_at = models.DateTimeField(_("gepland op"), auto_now_add=True)

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(question__isnull=False),
                name="appointment_case_or_question",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "starts_at"], name="appointment_muni_start"),
            models.Index(fields=["municipality", "case"], name="appointment_muni_case"),
            models.Index(fields=["municipality", "question"], name="appointment_muni_question"),
        ]

    def __str__(self):
        when = date_format(self.starts_at, "SHORT_DATETIME_FORMAT") if self.starts_at else ""
        return f"{self.get_kind_display()} {when}".strip()

    @property
    def subject(self):
        """The case or question the appointment is about."""
        return self.case if self.case_id else self.question

    def clean(self):
        super().clean()
        errors = same_municipality_errors(self, ("case", "question", "organiser", "activity"))
        if not self.case_id and not self.question_id:
            errors["case"] = _("Kies een casus of een vraag.")
        elif (
            self.case_id
            and self.question_id
            and "question" not in errors
            and "case" not in errors
            and self.question.resident.household_id != self.case.household_id
        ):
            errors["question"] = _("Kies een vraag van het huishouden van de casus.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Het einde ligt niet na het begin.")
        if errors:
            raise ValidationError(errors)


class CalendarFeed(MunicipalityOwned):
    """The private address of a person's agenda for their own calendar app. Only a
    SHA-256 hash of the key is stored; the address is shown once, when made. A
    new address revokes the earlier one; a revoked address answers 404."""

    staff_member = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("medewerker"),
        on_delete=models.PROTECT,
        related_name="calendar_feeds",
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)

    class Meta:
        verbose_name = _("agendakoppeling")
        verbose_name_plural = _("agendakoppelingen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff_member"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_active_per_person",
            )
        ]

    def __str__(self):
        return _("agendakoppeling %(number)s") % {"number": self.pk}
