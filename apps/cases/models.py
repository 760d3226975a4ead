"""Cases (casussen): the trajectory of a household with one director at a time,
its activities, self-sufficiency assessments (ZRM), support plans and follow-up
check-ins. Every model is scoped to one municipality; the rules that change
them live in `apps.cases.services`."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from guardian.models import UserObjectPermissionBase

from apps.core.models import (
    AppendOnlyManager,
    AppendOnlyModel,
    EditedByModel,
    MunicipalityOwned,
    TextRevision,
    VersionedModel,
)


def same_municipality_errors(obj, fields, message=None) -> dict:
    """{field: message} for every relation of `obj` that points into another
    municipality (a forged id from a form or API)."""
    errors = {}
    for field in fields:
        if not getattr(obj, f"{field}_id", None):
            continue
        related = getattr(obj, field)
        if related.municipality_id != obj.municipality_id:
            errors[field] = message or _("Kies gegevens van deze gemeente.")
    return errors


class Meta:
    abstract = True


class Case(EditedByModel, MunicipalityOwned, VersionedModel):
    """Casus: one household, one plan, one director. A team (a kernteam, or the
    loket on its own path) runs it; the questions it came from point at it."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PLAN = "plan", _("plan in de maak")
        PROPOSAL_PENDING = "proposal_pending", _("voorstel bij het loket")
        DECIDED = "decided", _("besloten")
        CLOSED = "closed", _("afgesloten")
        FOLLOW_UP = "follow_up", _("borging (vervolgcontacten)")

    OPEN_STATUSES = (Status.OPEN, Status.PLAN, Status.PROPOSAL_PENDING, Status.DECIDED)

    household = models.ForeignKey(
        "intake.Household",
        verbose_name=_("huishouden"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # The resident the first question was about: the decision letter's addressee
    # unless a proposal names another member of the household.
    resident = models.ForeignKey(
        "intake.Resident",
        verbose_name=_("aanmelder"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="cases"
    )
    director = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("regisseur"),
        on_delete=models.PROTECT,
        related_name="cases_directed",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    title = models.CharField(_("korte omschrijving"), max_length=200, blank=True)
    opened_on = models.DateField(_("geopend op"), default=timezone.localdate)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    closure_note = models.TextField(_("afsluiting"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("aangemaakt door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        ordering = ["-opened_on", "-pk"]
        indexes = [
            # The case list's order: the filter runs while walking it (bench_cases.py).
            models.Index(fields=["municipality", "-opened_on", "-id"], name="case_muni_opened"),
            models.Index(fields=["municipality", "team", "status"], name="case_muni_team_status"),
            models.Index(fields=["municipality", "director", "status"], name="case_muni_director"),
            models.Index(fields=["municipality", "household"], name="case_muni_household"),
        ]

    def __str__(self):
        return _("Casus %(number)s") % {"number": self.pk}

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.CLOSED, self.Status.FOLLOW_UP)

    def clean(self):
        super().clean()
        errors = same_municipality_errors(
            self, ("household", "resident", "team", "director", "created_by", "updated_by")
        )
        if (
            not errors
            and self.resident_id
            and self.household_id
            and self.resident.household_id != self.household_id
        ):
            errors["resident"] = _("De aanmelder hoort niet bij dit huishouden.")
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            errors["closed_on"] = _("De casus kan niet sluiten voordat hij opende.")
        if errors:
            raise ValidationError(errors)


class DirectorChange(AppendOnlyModel, MunicipalityOwned):
    """Overdracht van de regie: who handed the case to whom, when and why."""

    case = models.ForeignKey(
        Case, verbose_name=_("casus"), on_delete=models.PROTECT, related_name="director_changes"
    )
    from_director = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("van"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_director = models.ForeignKey(
        "tenants.StaffMember", verbose_name=_("naar"), on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        "tenants.StaffMember", verbose_name=_("door"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("op"), default=timezone.now)
    reason = models.TextField(_("reden"), max_length=2000, blank=True)

    objects = ScopedManager(municipality="municipality", _manager_class=AppendOnlyManager)

    class Meta:
        verbose_name = _("overdracht van de regie")
        verbose_name_plural = _("overdrachten van de regie")
        ordering = ["at", "pk"]
        base_manager_name = "append_only_base"

    def __str__(self):
        return f"{self.from_director or '—'} → {self.to_director}"


class TeamChange(AppendOnlyModel, MunicipalityOwned):
    """Overdracht naar een ander team: a case moved from one team to another (a
    household moved house; a kernteam handed the case to the loket), with the
    directors before and after, who did it and why. The case's open questions
    moved with it (each as a forward of its own)."""

    case = models.ForeignKey(
        Case, verbose_name=_("casus"), on_delete=models.PROTECT, related_name="team_changes"
    )
    from_team = models.ForeignKey(
        "teams.Team", verbose_name=_("van team"), on_delete=models.PROTECT, related_name="+"
    )
    to_team = models.ForeignKey(
        "teams.Team", verbose_name=_("naar team"), on_delete=models.PROTECT, related_name="+"
    )
    from_director = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("vorige regisseur"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_director = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("nieuwe regisseur"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    by = models.ForeignKey(
        "tenants.StaffMember", verbose_name=_("door"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("op"), default=timezone.now)
    reason = models.TextField(_("reden"), max_length=2000)

    objects = ScopedManager(municipality="municipality", _manager_class=AppendOnlyManager)

    class Meta:
        verbose_name = _("overdracht naar een ander team")
        verbose_name_plural = _("overdrachten naar een ander team")
        ordering = ["at", "pk"]
        base_manager_name = "append_only_base"

    def __str__(self):
        return f"{self.from_team} → {self.to_team}"

    def clean(self):
        super().clean()
        errors = same_municipality_errors(
            self, ("case", "from_team", "to_team", "from_director", "to_director", "by")
        )
        if errors:
            raise ValidationError(errors)


class WorkReassignment(AppendOnlyModel, MunicipalityOwned):
    """Werk overgedragen: every open question and case of one person in a team
    given to a colleague in one action (a member leaves or is away long), by the
    team's coordinator, with the reason. Its items name what moved."""

    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+"
    )
    from_staff = models.ForeignKey(
        "tenants.StaffMember", verbose_name=_("van"), on_delete=models.PROTECT, related_name="+"
    )
    to_staff = models.ForeignKey(
        "tenants.StaffMember", verbose_name=_("naar"), on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        "tenants.StaffMember", verbose_name=_("door"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("op"), default=timezone.now)
    reason = models.TextField(_("reden"), max_length=2000)

    objects = ScopedManager(municipality="municipality", _manager_class=AppendOnlyManager)

    class Meta:
        verbose_name = _("overdracht van werk")
        verbose_name_plural = _("overdrachten van werk")
        ordering = ["-at", "-pk"]
        base_manager_name = "append_only_base"
        indexes = [models.Index(fields=["municipality", "team", "-at"], name="work_move_team")]

    def __str__(self):
        return f"{self.from_staff} → {self.to_staff}"

    def clean(self):
        super().clean()
        errors = same_municipality_errors(self, ("team", "from_staff", "to_staff", "by"))
        if errors:
            raise ValidationError(errors)


class WorkReassignmentItem(AppendOnlyModel, MunicipalityOwned):
    """One question or case that moved in a work reassignment."""

    reassignment = models.ForeignKey(
        WorkReassignment,
        verbose_name=_("overdracht"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    question = models.ForeignKey(
        "intake.Question",
        verbose_name=_("vraag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("casus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager(municipality="municipality", _manager_class=AppendOnlyManager)

    class Meta:
        verbose_name = _("overgedragen vraag of casus")
        verbose_name_plural = _("overgedragen vragen en casussen")
        ordering = ["pk"]
        base_manager_name = "append_only_base"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(question__isnull=True, case__isnull=False)
                | models.Q(question__isnull=False, case__isnull=True),
                name="work_item_question_or_case",
            )
        ]

    def __str__(self):
        return str(self.case or self.question)

    def clean(self):
        super().clean()
        errors = same_municipality_errors(self, ("reassignment", "question", "case"))
        if errors:
            raise ValidationError(errors)


class Activity(MunicipalityOwned, VersionedModel):
    """A contact or meeting on a case. A home visit with both a loket consultant
    and a team member is a joint home visit (gezamenlijk huisbezoek); that is
    derived from the participants when it is saved, with the laws the
    consultant is mandated for, so the reports can count it per consultant type."""

    class Kind(models.TextChoices):
        CONTACT = "contact", _("contact")
        KITCHEN_TABLE = "kitchen_table", _("keukentafelgesprek")
        HOME_VISIT = "home_visit", _("huisbezoek")
        CASE_DISCUSSION = "case_discussion", _("casusbespreking")
        EXPERT_CONSULTATION = "expert_consultation", _("consultatie gedragsdeskundige")

    case = models.ForeignKey(
        Case, verbose_name=_("casus"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    date = models.DateField(_("datum"))
    participants = models.ManyToManyField(
        "tenants.StaffMember", verbose_name=_("deelnemers"), related_name="activities"
    )
    other_participants = models.CharField(
        _("andere deelnemers"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld de inwoner, een familielid of de huisarts."),
    )
    note = models.TextField(_("verslag"), max_length=10_000, blank=True)
    is_joint = models.BooleanField(_("gezamenlijk huisbezoek"), default=False, editable=False)
    joint_laws = models.JSONField(
        _("wetten van de loketconsulent"), default=list, blank=True, editable=False
    )
    recorded_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("vastgelegd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "case", "date"], name="activity_muni_case"),
            models.Index(fields=["municipality", "kind", "date"], name="activity_muni_kind_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {date_format(self.date, 'SHORT_DATE_FORMAT')}"

    def clean(self):
        super().clean()
        errors = same_municipality_errors(self, ("case", "recorded_by"))
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("De datum ligt in de toekomst.")
        if errors:
            raise ValidationError(errors)


class ActivityNoteRevision(TextRevision):
    """An earlier version of an activity's note, kept when its author or the
    case's director corrected it (`apps.cases.services.activity_note_correct`)."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activiteit"),
        on_delete=models.PROTECT,
        related_name="note_revisions",
    )

    owner_field = "activity"

    class Meta(TextRevision.Meta):
        verbose_name = _("eerdere versie van een verslag")
        verbose_name_plural = _("eerdere versies van verslagen")

    def __str__(self):
        return f"{self.activity} ({self.corrected_at:%Y-%m-%d %H:%M})"


class Assessment(MunicipalityOwned):
    """Zelfredzaamheidsmatrix (ZRM): a dated score 1–5 per life domain of the
    municipality. Never changed: a new assessment shows the progress."""

    case = models.ForeignKey(
        Case, verbose_name=_("casus"), on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("datum"))
    assessed_by = models.ForeignKey(
        "tenants.StaffMember", verbose_name=_("door"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("toelichting"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("zelfredzaamheidsmeting")
        verbose_name_plural = _("zelfredzaamheidsmetingen")
        ordering = ["-assessed_on", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "case", "assessed_on"], name="assessment_case")
        ]

    def __str__(self):
        return _("ZRM van %(date)s") % {"date": date_format(self.assessed_on, "SHORT_DATE_FORMAT")}


class AssessmentScore(MunicipalityOwned):
    SCALE = (
        (1, _("1 – acute problematiek")),
        (2, _("2 – niet zelfredzaam")),
        (3, _("3 – beperkt zelfredzaam")),
        (4, _("4 – voldoende zelfredzaam")),
        (5, _("5 – volledig zelfredzaam")),
    )

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("meting"), on_delete=models.PROTECT, related_name="scores"
    )
    life_domain = models.ForeignKey(
        "intake.LifeDomain",
        verbose_name=_("leefgebied"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField(
        _("score"), choices=SCALE, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "life_domain"], name="assessment_one_score_per_domain"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="assessment_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.life_domain}: {self.score}"


class SupportPlan(EditedByModel, MunicipalityOwned, VersionedModel):
    """Ondersteuningsplan, one version of it. The draft is edited; once agreed
    with the resident it is frozen, and a change starts a new version (a copy)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        AGREED = "agreed", _("afgesproken met de inwoner")
        SUPERSEDED = "superseded", _("vervangen door een nieuwe versie")

    case = models.ForeignKey(
        Case, verbose_name=_("casus"), on_delete=models.PROTECT, related_name="plans"
    )
    number = models.PositiveSmallIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("samenvatting"), max_length=10_000, blank=True)
    agreed_on = models.DateField(_("afgesproken op"), null=True, blank=True)
    created_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("opgesteld door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("ondersteuningsplan")
        verbose_name_plural = _("ondersteuningsplannen")
        ordering = ["case", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="plan_unique_version"),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="draft"),
                name="plan_one_draft_per_case",
            ),
        ]

    def __str__(self):
        return _("Ondersteuningsplan versie %(number)s") % {"number": self.number}

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Goal(MunicipalityOwned):
    plan = models.ForeignKey(
        SupportPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals"
    )
    life_domain = models.ForeignKey(
        "intake.LifeDomain",
        verbose_name=_("leefgebied"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("doel"), max_length=2000)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.description[:80]


class Solution(MunicipalityOwned):
    """A way to reach a goal, in the order of preference of the support plan:
    own strength first, an individual provision last."""

    class Level(models.IntegerChoices):
        OWN_STRENGTH = 1, _("eigen kracht")
        NETWORK = 2, _("eigen netwerk")
        VOLUNTEERS = 3, _("vrijwilligers")
        GENERAL_PROVISION = 4, _("algemene voorziening")
        INDIVIDUAL_PROVISION = 5, _("maatwerkvoorziening")

    goal = models.ForeignKey(
        Goal, verbose_name=_("doel"), on_delete=models.CASCADE, related_name="solutions"
    )
    level = models.PositiveSmallIntegerField(_("soort oplossing"), choices=Level.choices)
    description = models.TextField(_("oplossing"), max_length=2000)

    class Meta:
        verbose_name = _("oplossing")
        verbose_name_plural = _("oplossingen")
        ordering = ["level", "pk"]

    def __str__(self):
        return f"{self.get_level_display()}: {self.description[:60]}"


class FollowUp(MunicipalityOwned, VersionedModel):
    """Borging: a check-in agreed when the case closed, so the household does
    not fall back unseen. Due ones show in the director's and team's lists."""

    case = models.ForeignKey(
        Case, verbose_name=_("casus"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    due_on = models.DateField(_("gepland op"))
    outcome = models.TextField(_("uitkomst"), max_length=4000, blank=True)
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    done_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("gedaan door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("vervolgcontact")
        verbose_name_plural = _("vervolgcontacten")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["municipality", "done_on", "due_on"], name="followup_due"),
        ]

    def __str__(self):
        return _("Vervolgcontact %(date)s") % {
            "date": date_format(self.due_on, "SHORT_DATE_FORMAT")
        }


class CaseUserObjectPermission(UserObjectPermissionBase):
    """django-guardian's per-object grant with a direct foreign key to the case
    (so a list filters with one EXISTS), plus who shared it, when and why. A
    revoke deletes the grant; both are in the access log."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="user_grants")
    granted_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("gedeeld door"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("gedeeld op"), default=timezone.now)
    reason = models.TextField(_("reden"), max_length=2000)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("gedeelde casus")
        verbose_name_plural = _("gedeelde casussen")
        indexes = [models.Index(fields=["user", "content_object"], name="case_grant_user")]


class CaseJoin(MunicipalityOwned):
    """Aansluiten bij een casus: a shell partner (schilpartner) of the case's
    team, asked by its director (or the team's coordinator) to join this one
    case and work on it (activities, ZRM, the plan) — never the team's inbox or
    caseload. Who asked, when and why is kept; a revoke keeps the row with who
    revoked it and when (`apps.access.rules.has_joined_case`)."""

    case = models.ForeignKey(
        Case, verbose_name=_("casus"), on_delete=models.PROTECT, related_name="joins"
    )
    staff_member = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("schilpartner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("gevraagd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("gevraagd op"), default=timezone.now)
    reason = models.TextField(_("reden"), max_length=2000)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("ingetrokken door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("schilpartner bij een casus")
        verbose_name_plural = _("schilpartners bij casussen")
        ordering = ["asked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "staff_member"],
                condition=models.Q(revoked_at__isnull=True),
                name="case_join_one_open",
                violation_error_message=_("Deze schilpartner is al bij de casus aangesloten."),
            )
        ]
        indexes = [models.Index(fields=["staff_member", "case"], name="case_join_staff")]

    def __str__(self):
        return f"{self.staff_member} — {self.case}"

    @property
    def is_open(self) -> bool:
        return self.revoked_at is None

    def clean(self):
        super().clean()
        errors = same_municipality_errors(self, ("case", "staff_member", "asked_by", "revoked_by"))
        if errors:
            raise ValidationError(errors)
