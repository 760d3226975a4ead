"""Intake: residents and their households, the questions they (or others on
their behalf) bring to the gate, the municipality's triage rules, and the
forwarding of a question between the loket and the teams.

Every model is scoped to one municipality. The same BSN in two municipalities is
two unrelated residents."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from apps.core.models import (
    AppendOnlyManager,
    AppendOnlyModel,
    MunicipalityOwned,
    TextRevision,
    VersionedModel,
)
from apps.intake.validators import validate_bsn
from apps.teams.models import Law, Team, UniqueNameMixin

# The domains of the Zelfredzaamheidsmatrix (ZRM 2017): the default list of life
# domains of a new municipality, which its admin can change.
ZRM_LIFE_DOMAINS = [
    "Financiën",
    "Werk en opleiding",
    "Tijdsbesteding",
    "Huisvesting",
    "Huiselijke relaties",
    "Geestelijke gezondheid",
    "Lichamelijke gezondheid",
    "Middelengebruik",
    "Basale ADL",
    "Instrumentele ADL",
    "Sociaal netwerk",
    "Maatschappelijke participatie",
    "Justitie",
]


class LifeDomain(UniqueNameMixin, MunicipalityOwned, VersionedModel):
    """Leefgebied: a domain of life a question touches and a self-sufficiency
    assessment scores (the municipality's own list)."""

    name = models.CharField(_("naam"), max_length=100)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("leefgebied")
        verbose_name_plural = _("leefgebieden")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="lifedomain_unique_name",
                violation_error_message=_("Er is al een leefgebied met deze naam."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.validate_unique_name()


class Household(MunicipalityOwned, VersionedModel):
    """Huishouden: the residents who live together. "One household, one plan,
    one director.\""""

    name = models.CharField(
        _("naam"), max_length=150, help_text=_("Bijvoorbeeld 'Huishouden Jansen'.")
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Resident(MunicipalityOwned, VersionedModel):
    """Inwoner. The BSN is optional (a first anonymous contact), unique within the
    municipality when given, and must pass the 11-test."""

    class Relation(models.TextChoices):
        APPLICANT = "applicant", _("hoofdbewoner / aanvrager")
        PARTNER = "partner", _("partner")
        CHILD = "child", _("kind")
        PARENT = "parent", _("ouder")
        OTHER = "other", _("andere huisgenoot")

    bsn = models.CharField(
        _("BSN"), max_length=9, blank=True, validators=[validate_bsn], db_index=False
    )
    first_names = models.CharField(_("voornamen"), max_length=150, blank=True)
    surname_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=150)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("woonplaats"), max_length=100, blank=True)
    area = models.ForeignKey(
        "teams.Area",
        verbose_name=_("gebied"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("huishouden"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    household_relation = models.CharField(
        _("rol in het huishouden"), max_length=20, choices=Relation.choices, blank=True
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    # The names in capitals, kept by the database, for the inbox's name search:
    # a prefix search on a plain column is the one text condition PostgreSQL may
    # check in an index before row-level security's filter (`~>=~`/`~<~` are
    # leakproof, LIKE and UPPER() are not), see apps.intake.lookups.
    search_surname = models.GeneratedField(
        expression=Upper("surname"),
        output_field=models.CharField(max_length=150),
        db_persist=True,
    )
    search_first_names = models.GeneratedField(
        expression=Upper("first_names"),
        output_field=models.CharField(max_length=150),
        db_persist=True,
    )

    # What a person registering a question types about a new resident (the
    # register form, the API, the household form): one list for all of them.
    DATA_FIELDS = (
        "bsn",
        "first_names",
        "surname_prefix",
        "surname",
        "date_of_birth",
        "street",
        "postcode",
        "city",
        "area",
        "phone",
        "email",
    )

    class Meta:
        verbose_name = _("inwoner")
        verbose_name_plural = _("inwoners")
        ordering = ["surname", "first_names", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "bsn"],
                condition=~models.Q(bsn=""),
                name="resident_unique_bsn",
                violation_error_message=_("Er is in deze gemeente al een inwoner met dit BSN."),
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "surname"], name="resident_muni_surname"),
            models.Index(fields=["municipality", "bsn"], name="resident_muni_bsn"),
            # The name search's prefix ranges (PostgreSQL; SQLite ignores the classes).
            models.Index(
                fields=["municipality", "search_surname"],
                opclasses=["int8_ops", "text_pattern_ops"],
                name="resident_muni_search_surname",
            ),
            models.Index(
                fields=["municipality", "search_first_names"],
                opclasses=["int8_ops", "text_pattern_ops"],
                name="resident_muni_search_first",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_names, self.surname_prefix, self.surname) if p)

    def age_on(self, day: date) -> int | None:
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def clean(self):
        super().clean()
        errors = {}
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            errors["date_of_birth"] = _("De geboortedatum ligt in de toekomst.")
        if self.area_id and self.area.municipality_id != self.municipality_id:
            errors["area"] = _("Kies een gebied van deze gemeente.")
        if self.household_id and self.household.municipality_id != self.municipality_id:
            errors["household"] = _("Kies een huishouden van deze gemeente.")
        if self.household_relation and not self.household_id:
            errors["household_relation"] = _("Een rol in het huishouden vraagt een huishouden.")
        if errors:
            raise ValidationError(errors)


class Channel(models.TextChoices):
    TELEPHONE = "telephone", _("telefoon")
    EMAIL = "email", _("e-mail")
    WALK_IN = "walk_in", _("inloopspreekuur")
    THIRD_PARTY = "third_party", _("melding door derden (huisarts, school, politie)")
    KCC = "kcc", _("KCC")
    VEILIG_THUIS = "veilig_thuis", _("melding Veilig Thuis")


class Destination(models.TextChoices):
    LOKET = "loket", _("het loket")
    TEAM = "team", _("een bepaald team")
    AREA_TEAM = "area_team", _("het team van het gebied van de inwoner")


class IntakeSettings(MunicipalityOwned, VersionedModel):
    """Per municipality: where a question goes when no triage rule applies, and
    the statutory investigation period of a Wmo report (melding)."""

    default_destination = models.CharField(
        _("standaardbestemming"),
        max_length=20,
        choices=Destination.choices,
        default=Destination.LOKET,
        help_text=_("Waar een vraag heen gaat als geen triageregel van toepassing is."),
    )
    default_team = models.ForeignKey(
        Team,
        verbose_name=_("standaardteam"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Alleen bij de bestemming 'een bepaald team'."),
    )
    wmo_investigation_weeks = models.PositiveSmallIntegerField(
        _("onderzoekstermijn Wmo-melding (weken)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    personal_plan_days = models.PositiveSmallIntegerField(
        _("termijn persoonlijk plan Wmo (dagen)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Binnen zoveel dagen na de melding mag de inwoner een persoonlijk plan geven."),
    )
    # The sender of the decision letters (beschikkingen).
    letter_sender = models.CharField(
        _("afzender besluitbrieven"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: Gemeente Overbetuwe, Loket Samenleven."),
    )
    postal_address = models.TextField(
        _("postadres"),
        max_length=500,
        blank=True,
        help_text=_("Het adres op de besluitbrieven, ook voor bezwaar. Eén regel per adresregel."),
    )
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    wmo_decision_weeks = models.PositiveSmallIntegerField(
        _("beslistermijn Wmo-aanvraag (weken)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    other_decision_weeks = models.PositiveSmallIntegerField(
        _("beslistermijn Jeugdwet en andere wetten (weken)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    reassessment_notice_weeks = models.PositiveSmallIntegerField(
        _("herindicatie signaleren (weken voor de einddatum)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )

    class Meta:
        verbose_name = _("intake-instellingen")
        verbose_name_plural = _("intake-instellingen")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="intakesettings_one_per_muni")
        ]

    def __str__(self):
        return str(_("Intake-instellingen"))

    def clean(self):
        super().clean()
        validate_destination(self, "default_destination", "default_team")


def _field_changed(obj, field: str) -> bool:
    if obj.pk is None:
        return True
    before = type(obj)._base_manager.filter(pk=obj.pk).values_list(f"{field}_id", flat=True)
    return before.first() != getattr(obj, f"{field}_id")


def validate_destination(obj, kind_field: str, team_field: str) -> None:
    """A destination 'a specific team' names an active team of the municipality.
    A team deactivated after it was chosen does not block other changes (such
    as switching the rule off); it is refused only when chosen anew."""
    kind = getattr(obj, kind_field)
    team = getattr(obj, team_field)
    if kind == Destination.TEAM and team is None:
        raise ValidationError({team_field: _("Kies het team waar de vraag heen gaat.")})
    if kind != Destination.TEAM and team is not None:
        raise ValidationError(
            {team_field: _("Een team kiest u alleen bij de bestemming 'een bepaald team'.")}
        )
    if team is not None and team.municipality_id != obj.municipality_id:
        raise ValidationError({team_field: _("Kies een team van deze gemeente.")})
    if team is not None and not team.is_active and _field_changed(obj, team_field):
        raise ValidationError({team_field: _("Dit team is niet actief.")})


class TriageRule(MunicipalityOwned, VersionedModel):
    """One rule of the municipality's triage (schifting): when every condition
    that is filled in holds, the question goes to the destination. Rules are
    tried in order; the first that applies and leads somewhere decides."""

    position = models.PositiveIntegerField(_("volgorde"), default=0)
    name = models.CharField(_("omschrijving"), max_length=150)
    channel = models.CharField(
        _("kanaal"), max_length=20, choices=Channel.choices, blank=True, help_text=_("Leeg: elk.")
    )
    is_youth = models.BooleanField(
        _("jeugd"), null=True, blank=True, help_text=_("Leeg: jeugd en volwassenen.")
    )
    law = models.CharField(
        _("wet"), max_length=20, choices=Law.choices, blank=True, help_text=_("Leeg: elke.")
    )
    life_domain = models.ForeignKey(
        LifeDomain,
        verbose_name=_("leefgebied"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leeg: elk."),
    )
    area = models.ForeignKey(
        "teams.Area",
        verbose_name=_("gebied"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leeg: elk."),
    )
    destination = models.CharField(_("bestemming"), max_length=20, choices=Destination.choices)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Alleen bij de bestemming 'een bepaald team'."),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    # What the municipality admin sets on a rule, on the configuration page and
    # in the API alike (the position is changed by moving the rule on the page).
    SETTABLE_FIELDS = (
        "name",
        "channel",
        "is_youth",
        "law",
        "life_domain",
        "area",
        "destination",
        "team",
        "is_active",
    )

    class Meta:
        verbose_name = _("triageregel")
        verbose_name_plural = _("triageregels")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["municipality", "is_active", "position"])]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        validate_destination(self, "destination", "team")
        errors = {}
        if self.life_domain_id and self.life_domain.municipality_id != self.municipality_id:
            errors["life_domain"] = _("Kies een leefgebied van deze gemeente.")
        if self.area_id and self.area.municipality_id != self.municipality_id:
            errors["area"] = _("Kies een gebied van deze gemeente.")
        if errors:
            raise ValidationError(errors)

    def conditions_display(self) -> str:
        parts = []
        if self.channel:
            parts.append(f"{_('kanaal')}: {self.get_channel_display()}")
        if self.is_youth is not None:
            parts.append(str(_("jeugd") if self.is_youth else _("volwassene")))
        if self.law:
            parts.append(f"{_('wet')}: {self.get_law_display()}")
        if self.life_domain_id:
            parts.append(f"{_('leefgebied')}: {self.life_domain}")
        if self.area_id:
            parts.append(f"{_('gebied')}: {self.area}")
        return "; ".join(parts) or str(_("elke vraag"))


class Question(MunicipalityOwned, VersionedModel):
    """Vraag of melding: how a resident (or someone on their behalf) asks for
    help. The question, not the resident, is routed and forwarded."""

    class Status(models.TextChoices):
        NEW = "new", _("nieuw")
        IN_PROGRESS = "in_progress", _("in behandeling")
        CLOSED = "closed", _("afgesloten")

    class ReporterRelation(models.TextChoices):
        RELATIVE = "relative", _("familielid")
        GP = "gp", _("huisarts")
        SCHOOL = "school", _("school")
        POLICE = "police", _("politie")
        NEIGHBOUR = "neighbour", _("buurtbewoner")
        PROFESSIONAL = "professional", _("andere hulpverlener")
        OTHER = "other", _("anders")

    resident = models.ForeignKey(
        Resident, verbose_name=_("inwoner"), on_delete=models.PROTECT, related_name="questions"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("huishouden"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
    )
    # The resident's area when the question came in: what triage and the
    # reports use, even if the resident moves later.
    area = models.ForeignKey(
        "teams.Area",
        verbose_name=_("gebied"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
    )
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("ontvangen op"))
    received_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("ontvangen door"),
        on_delete=models.PROTECT,
        related_name="questions_received",
    )
    gate = models.ForeignKey(
        Team,
        verbose_name=_("ontvangen bij"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions_received",
        help_text=_("De poort (het loket of team) waar de vraag binnenkwam."),
    )
    reporter_name = models.CharField(_("naam melder"), max_length=150, blank=True)
    reporter_relation = models.CharField(
        _("relatie melder"), max_length=20, choices=ReporterRelation.choices, blank=True
    )
    reporter_contact = models.CharField(_("contactgegevens melder"), max_length=200, blank=True)
    resident_is_aware = models.BooleanField(
        _("inwoner is op de hoogte"),
        null=True,
        blank=True,
        help_text=_("Alleen bij een melding door een ander dan de inwoner."),
    )
    description = models.TextField(_("omschrijving van de vraag"), max_length=10_000)
    life_domains = models.ManyToManyField(
        LifeDomain, verbose_name=_("leefgebieden"), related_name="questions"
    )
    laws = models.JSONField(_("wetten"), default=list, blank=True)
    is_youth = models.BooleanField(_("jeugd (onder 18)"), default=False)
    youth_is_derived = models.BooleanField(
        _("jeugd afgeleid uit geboortedatum"), default=False, editable=False
    )
    investigation_deadline = models.DateField(
        _("uiterste datum onderzoek"),
        null=True,
        blank=True,
        help_text=_("Wettelijke onderzoekstermijn van een Wmo-melding."),
    )
    # Triage: where the rules sent it, which rule decided, and an override.
    triage_rule = models.ForeignKey(
        TriageRule,
        verbose_name=_("beslissende triageregel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    triage_rule_name = models.CharField(_("triageregel"), max_length=150, blank=True)
    triage_team = models.ForeignKey(
        Team,
        verbose_name=_("uitkomst triage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    override_reason = models.TextField(_("reden afwijking van de triage"), blank=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("bij team"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    assigned_to = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("behandelaar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions_assigned",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("afgesloten door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closure_note = models.TextField(_("afhandeling"), blank=True, max_length=2000)
    # Wmo: the resident may hand in a personal plan within a week of the report;
    # the investigation takes it into account.
    personal_plan_received_on = models.DateField(
        _("persoonlijk plan ontvangen op"), null=True, blank=True
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("casus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
    )
    created_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)
    # The registering form's (or an API client's Idempotency-Key) one-time key: a
    # second submit of the same form by the same staff member finds this question
    # instead of a copy. The key is the sender's own: the same key from someone
    # else is another registration (unique per municipality and staff member).
    submission_key = models.CharField(_("inzendsleutel"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "received_by", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="question_one_per_sender_submission",
            )
        ]
        indexes = [
            # The inbox: a team's open questions, unassigned first, oldest first.
            models.Index(
                fields=["municipality", "team", "status", "received_at", "id"],
                name="question_inbox",
            ),
            models.Index(fields=["municipality", "received_at"], name="question_muni_received"),
            models.Index(fields=["municipality", "resident"], name="question_muni_resident"),
        ]

    def __str__(self):
        return _("Vraag %(number)s") % {"number": self.pk}

    @property
    def is_overridden(self) -> bool:
        return bool(self.override_reason)

    @property
    def reported_by_other(self) -> bool:
        return bool(self.reporter_name or self.reporter_relation)

    def days_left(self, today: date | None = None) -> int | None:
        if self.investigation_deadline is None or self.status == self.Status.CLOSED:
            return None
        return (self.investigation_deadline - (today or timezone.localdate())).days

    @property
    def days_overdue(self) -> int:
        left = self.days_left()
        return -left if left is not None and left < 0 else 0

    def get_laws_display(self) -> str:
        labels = dict(Law.choices)
        return ", ".join(str(labels.get(code, code)) for code in self.laws)

    @staticmethod
    def deadline_for(received_on: date, weeks: int) -> date:
        return received_on + timedelta(weeks=weeks)

    def clean(self):
        super().clean()
        errors = {}
        now = timezone.now()
        if self.received_at and self.received_at > now + timedelta(minutes=1):
            errors["received_at"] = _("Het moment van ontvangst ligt in de toekomst.")
        laws = self.laws or []
        if not isinstance(laws, list) or any(code not in Law.values for code in laws):
            errors["laws"] = _("Kies uit Wmo 2015, Jeugdwet en Participatiewet.")
        else:
            self.laws = sorted(set(laws), key=Law.values.index)
        for field in ("resident", "household", "area", "gate", "team", "triage_team", "case"):
            obj = getattr(self, field, None) if getattr(self, f"{field}_id") else None
            if obj is not None and obj.municipality_id != self.municipality_id:
                errors[field] = _("Kies gegevens van deze gemeente.")
        for field in ("received_by", "assigned_to", "closed_by"):
            obj = getattr(self, field) if getattr(self, f"{field}_id") else None
            if obj is not None and obj.municipality_id != self.municipality_id:
                errors[field] = _("Kies een medewerker van deze gemeente.")
        if self.resident_is_aware is not None and not self.reported_by_other:
            errors["resident_is_aware"] = _(
                "Vul dit alleen in als iemand anders dan de inwoner de vraag meldde."
            )
        if errors:
            raise ValidationError(errors)


class QuestionForward(AppendOnlyModel, MunicipalityOwned):
    """Doorverwijzing: one forward of a question from one team to another, with
    the reason. Append-only; counted as the flow between loket and teams
    (grensverkeer) in the reports."""

    question = models.ForeignKey(
        Question, verbose_name=_("vraag"), on_delete=models.PROTECT, related_name="forwards"
    )
    from_team = models.ForeignKey(
        Team, verbose_name=_("van"), on_delete=models.PROTECT, related_name="+"
    )
    to_team = models.ForeignKey(
        Team, verbose_name=_("naar"), on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("op"), default=timezone.now)
    reason = models.TextField(_("reden"), max_length=2000)

    objects = ScopedManager(
        municipality="municipality",
        _manager_class=AppendOnlyManager,
    )

    class Meta:
        verbose_name = _("doorverwijzing")
        verbose_name_plural = _("doorverwijzingen")
        ordering = ["at", "pk"]
        base_manager_name = "append_only_base"
        indexes = [models.Index(fields=["municipality", "at"], name="forward_muni_at")]

    def __str__(self):
        return f"{self.from_team} → {self.to_team}"


class QuestionDescriptionRevision(TextRevision):
    """An earlier version of a question's description, kept when it was
    corrected (`apps.intake.services.question_description_correct`, or a
    correction of the registration that changed the description)."""

    question = models.ForeignKey(
        Question,
        verbose_name=_("vraag"),
        on_delete=models.PROTECT,
        related_name="description_revisions",
    )

    owner_field = "question"

    class Meta(TextRevision.Meta):
        verbose_name = _("eerdere versie van een omschrijving")
        verbose_name_plural = _("eerdere versies van omschrijvingen")

    def __str__(self):
        return f"{self.question} ({self.corrected_at:%Y-%m-%d %H:%M})"
