"""The provision catalogue, voorwerk (a proposed provision), decisions
(beschikkingen), their letters, granted provisions and deadline changes.

Only `apps.decisions.services.proposal_decide` writes a decision: it checks
that the actor is a loket consultant of the proposal's municipality mandated
for the provision's law. Decisions are append-only, also in the database."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from apps.cases.models import same_municipality_errors
from apps.core.files import PrivateStorage
from apps.core.models import (
    AppendOnlyError,
    AppendOnlyManager,
    AppendOnlyModel,
    AppendOnlyQuerySet,
    EditedByModel,
    MunicipalityOwned,
    VersionedModel,
)
from apps.teams.models import Law, UniqueNameMixin


class Unit(models.TextChoices):
    HOURS_PER_WEEK = "hours_per_week", _("uur per week")
    HOURS_PER_MONTH = "hours_per_month", _("uur per maand")
    DAY_PARTS_PER_WEEK = "day_parts_per_week", _("dagdelen per week")
    PIECE = "piece", _("stuk")
    TRIP = "trip", _("rit")
    MINUTES = "minutes", _("minuten")
    EURO = "euro", _("euro")
    TRAJECTORY = "trajectory", _("traject")


class Frequency(models.TextChoices):
    ONCE = "once", _("eenmalig")
    PER_WEEK = "per_week", _("per week")
    PER_MONTH = "per_month", _("per maand")
    PER_YEAR = "per_year", _("per jaar")


class ProposalKind(models.TextChoices):
    """#21 part 2 (provision lifecycle): what a proposal asks the loket to decide.
    A withdrawal (intrekking) ends the running provision it `revises` early."""

    PROVISION = "provision", _("voorziening")
    WITHDRAWAL = "withdrawal", _("intrekking")


class ProvisionType(UniqueNameMixin, MunicipalityOwned, VersionedModel):
    """An individual provision (maatwerkvoorziening) the municipality can grant:
    the catalogue, configured by the municipality admin."""

    name = models.CharField(_("naam"), max_length=150)
    law = models.CharField(_("wet"), max_length=20, choices=Law.choices)
    legal_basis = models.CharField(
        _("grondslag (artikel)"),
        max_length=200,
        help_text=_("Bijvoorbeeld: artikel 2.3.5 Wmo 2015 en artikel 8 Verordening Wmo."),
    )
    unit = models.CharField(_("eenheid"), max_length=30, choices=Unit.choices)
    end_date_required = models.BooleanField(_("einddatum verplicht"), default=True)
    default_duration_weeks = models.PositiveSmallIntegerField(
        _("standaardduur (weken)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(520)],
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("voorziening")
        verbose_name_plural = _("voorzieningen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="provisiontype_unique_name",
                violation_error_message=_("Er is al een voorziening met deze naam."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.validate_unique_name()
        if self.pk is not None and self.law:
            before = type(self)._base_manager.filter(pk=self.pk).values_list("law", flat=True)
            was = before.first()
            if was is not None and was != self.law and self.proposals.exists():
                # A mandate is checked against the law of the provision: the law
                # of one already proposed or granted never changes under it.
                raise ValidationError(
                    {
                        "law": _(
                            "Voor deze voorziening zijn al voorstellen gedaan onder de "
                            "%(law)s; de wet blijft. Maak een nieuwe voorziening voor een "
                            "andere wet (en zet deze op niet actief)."
                        )
                        % {"law": Law(was).label}
                    }
                )


# --- #21 part 1: providers (zorgaanbieders) and the form of delivery (ZIN/pgb) -------


AGB_CODE_VALIDATOR = RegexValidator(r"^[0-9]{8}$", _("Een AGB-code bestaat uit precies 8 cijfers."))


class Provider(UniqueNameMixin, MunicipalityOwned, VersionedModel):
    """Zorgaanbieder: a provider the municipality has contracted for some of its
    provisions. A grant in kind (zorg in natura) names one; configured by the
    municipality admin."""

    name = models.CharField(_("naam"), max_length=150)
    agb_code = models.CharField(
        _("AGB-code"),
        max_length=8,
        blank=True,
        validators=[AGB_CODE_VALIDATOR],
        help_text=_("De AGB-code van de aanbieder (8 cijfers), als die er een heeft."),
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    provision_types = models.ManyToManyField(
        ProvisionType,
        verbose_name=_("gecontracteerd voor"),
        blank=True,
        related_name="providers",
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="provider_unique_name",
                violation_error_message=_("Er is al een aanbieder met deze naam."),
            ),
            models.UniqueConstraint(
                fields=["municipality", "agb_code"],
                condition=~models.Q(agb_code=""),
                name="provider_unique_agb_code",
                violation_error_message=_("Er is al een aanbieder met deze AGB-code."),
            ),
        ]

    def __str__(self):
        return f"{self.name} (AGB {self.agb_code})" if self.agb_code else self.name

    def clean(self):
        super().clean()
        self.validate_unique_name()
        if self.agb_code and self.municipality_id:
            clash = (
                type(self)
                ._base_manager.filter(municipality_id=self.municipality_id, agb_code=self.agb_code)
                .exclude(pk=self.pk)
            )
            if clash.exists():
                raise ValidationError(
                    {"agb_code": _("Er is in deze gemeente al een aanbieder met deze AGB-code.")}
                )


class DeliveryForm(models.TextChoices):
    ZIN = "zin", _("zorg in natura")
    PGB = "pgb", _("persoonsgebonden budget")


class BudgetPeriod(models.TextChoices):
    PER_WEEK = "per_week", _("per week")
    PER_MONTH = "per_month", _("per maand")
    PER_YEAR = "per_year", _("per jaar")
    TOTAL = "total", _("voor de hele periode")


DELIVERY_FIELDS = ("delivery_form", "provider", "budget_amount", "budget_period")


def delivery_form_errors(
    *,
    municipality_id,
    provision_type,
    delivery_form,
    provider,
    budget_amount,
    budget_period,
    required: bool,
    provider_active: bool = True,
) -> dict:
    """The one rule of the form of delivery, by field. Zorg in natura names an
    active provider of the municipality contracted for the provision, and no
    budget; a pgb has an amount above zero and a period, and no provider.
    `required`: a grant must have a form (voorwerk may leave it open)."""
    errors = {}
    if not delivery_form:
        if required:
            errors["delivery_form"] = _(
                "Kies de leveringsvorm: zorg in natura of persoonsgebonden budget."
            )
        elif provider is not None:
            errors["provider"] = _("Een aanbieder hoort bij zorg in natura: kies die vorm.")
        elif budget_amount is not None or budget_period:
            errors["budget_amount"] = _(
                "Een budget hoort bij een persoonsgebonden budget: kies die vorm."
            )
        return errors
    if delivery_form == DeliveryForm.ZIN:
        if provider is None:
            errors["provider"] = _("Kies de aanbieder die de zorg in natura levert.")
        elif provider.municipality_id != municipality_id:
            errors["provider"] = _("Kies een aanbieder van deze gemeente.")
        elif provider_active and not provider.is_active:
            errors["provider"] = _("Deze aanbieder is niet (meer) actief.")
        elif (
            provision_type is not None
            and not provider.provision_types.filter(pk=provision_type.pk).exists()
        ):
            errors["provider"] = _("Deze aanbieder is niet gecontracteerd voor %(provision)s.") % {
                "provision": provision_type.name
            }
        if budget_amount is not None:
            errors["budget_amount"] = _("Bij zorg in natura hoort geen budget.")
        elif budget_period:
            errors["budget_period"] = _("Bij zorg in natura hoort geen budgetperiode.")
    elif delivery_form == DeliveryForm.PGB:
        if provider is not None:
            errors["provider"] = _("Bij een persoonsgebonden budget hoort geen aanbieder.")
        if budget_amount is None:
            errors["budget_amount"] = _("Geef het bedrag van het persoonsgebonden budget op.")
        elif budget_amount <= 0:
            errors["budget_amount"] = _("Het budget moet meer dan € 0 zijn.")
        if not budget_period:
            errors["budget_period"] = _("Geef de periode van het budget op.")
    else:
        errors["delivery_form"] = _("Kies zorg in natura of persoonsgebonden budget.")
    return errors


class DeliveryFormFields(models.Model):
    """The form of delivery of a proposed or granted provision (#21): zorg in
    natura by a provider, or a personal budget (pgb) of an amount per period.
    Empty on rows from before it existed, and on voorwerk that leaves it open."""

    delivery_form = models.CharField(
        _("leveringsvorm"), max_length=3, choices=DeliveryForm.choices, blank=True
    )
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("aanbieder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    budget_amount = models.DecimalField(
        _("budget (euro)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_period = models.CharField(
        _("budgetperiode"), max_length=10, choices=BudgetPeriod.choices, blank=True
    )

    class Meta:
        abstract = True

    @property
    def delivery_form_text(self) -> str:
        """ "in natura, geleverd door …" or "als persoonsgebonden budget van € … per …"."""
        return delivery_form_text(self)


def delivery_form_text(obj) -> str:
    if obj.delivery_form == DeliveryForm.ZIN and obj.provider_id:
        return _("in natura, geleverd door %(provider)s") % {"provider": obj.provider}
    if obj.delivery_form == DeliveryForm.PGB and obj.budget_amount is not None:
        amount = number_format(obj.budget_amount, decimal_pos=2, use_l10n=True, force_grouping=True)
        return _("als persoonsgebonden budget van € %(amount)s %(period)s") % {
            "amount": amount,
            "period": obj.get_budget_period_display(),
        }
    return ""


class Proposal(EditedByModel, DeliveryFormFields, MunicipalityOwned, VersionedModel):
    """Voorwerk: a proposed individual provision, drafted with the support plan
    and offered to the loket, which decides on it. A loket consultant on the
    loket's own path drafts one too; then it is not voorwerk."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        SUBMITTED = "submitted", _("ingediend bij het loket")
        RETURNED = "returned", _("teruggestuurd met een vraag")
        DECIDED = "decided", _("besloten")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("casus"), on_delete=models.PROTECT, related_name="proposals"
    )
    plan = models.ForeignKey(
        "cases.SupportPlan",
        verbose_name=_("ondersteuningsplan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    resident = models.ForeignKey(
        "intake.Resident",
        verbose_name=_("voor inwoner"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    provision_type = models.ForeignKey(
        ProvisionType,
        verbose_name=_("voorziening"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    volume = models.DecimalField(
        _("omvang"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("eenheid"), max_length=30, choices=Unit.choices, blank=True)
    frequency = models.CharField(
        _("frequentie"), max_length=20, choices=Frequency.choices, blank=True
    )
    start_date = models.DateField(_("ingangsdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    motivation = models.TextField(_("motivering"), max_length=10_000)
    revises = models.ForeignKey(
        "decisions.Provision",
        verbose_name=_("herziet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
        help_text=_("Een lopende voorziening die dit voorstel herziet of verlengt."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    is_voorwerk = models.BooleanField(
        _("voorwerk van een team"),
        default=True,
        help_text=_("Opgesteld door een team, niet door het loket zelf."),
    )
    drafted_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("opgesteld door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Set when it is offered to the loket: the application date (aanvraag) is
    # the first submission, the deadline follows the law.
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("ingediend door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    application_date = models.DateField(_("datum aanvraag"), null=True, blank=True)
    decision_deadline = models.DateField(_("beslistermijn"), null=True, blank=True)
    returned_at = models.DateTimeField(_("teruggestuurd op"), null=True, blank=True)
    assigned_consultant = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("consulent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals_to_review",
        help_text=_("De vaste loketconsulent van het team; leeg: de wachtrij van het loket."),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    # --- #21 part 2 (provision lifecycle): a withdrawal ends `revises` on `end_date`.
    kind = models.CharField(
        _("soort voorstel"), max_length=20, choices=ProposalKind.choices, default="provision"
    )

    class Meta:
        verbose_name = _("voorstel maatwerkvoorziening")
        verbose_name_plural = _("voorstellen maatwerkvoorziening")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The loket's review queue: submitted, by deadline.
            models.Index(
                fields=["municipality", "status", "decision_deadline", "id"],
                name="proposal_queue",
            ),
            models.Index(fields=["municipality", "case"], name="proposal_muni_case"),
        ]

    def __str__(self):
        return _("Voorstel %(number)s: %(provision)s") % {
            "number": self.pk,
            "provision": self.provision_type,
        }

    @property
    def law(self) -> str:
        return self.provision_type.law

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_withdrawal(self) -> bool:
        return self.kind == ProposalKind.WITHDRAWAL

    def days_left(self, today=None) -> int | None:
        if self.decision_deadline is None or self.status != self.Status.SUBMITTED:
            return None
        return (self.decision_deadline - (today or timezone.localdate())).days

    def clean(self):
        super().clean()
        errors = same_municipality_errors(
            self,
            (
                "case",
                "plan",
                "resident",
                "drafted_by",
                "updated_by",
                "submitted_by",
                "assigned_consultant",
                "revises",
            ),
        )
        if self.provision_type_id and (self.provision_type.municipality_id != self.municipality_id):
            errors["provision_type"] = _("Kies een voorziening uit de catalogus van deze gemeente.")
        elif self.provision_type_id and not self.provision_type.is_active and self.is_editable:
            errors["provision_type"] = _("Deze voorziening staat niet (meer) in de catalogus.")
        if self.plan_id and self.case_id and self.plan.case_id != self.case_id:
            errors["plan"] = _("Kies het ondersteuningsplan van deze casus.")
        if (
            self.resident_id
            and self.case_id
            and "resident" not in errors
            and self.resident.household_id != self.case.household_id
        ):
            errors["resident"] = _("Kies een lid van het huishouden van deze casus.")
        if self.volume is not None and not self.unit:
            errors["unit"] = _("Geef de eenheid van de omvang op.")
        if self.unit and self.volume is None:
            errors["volume"] = _("Geef de omvang op.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("De einddatum ligt voor de ingangsdatum.")
        if (
            self.provision_type_id
            and "provision_type" not in errors
            and self.provision_type.end_date_required
            and not self.end_date
        ):
            errors["end_date"] = _("Voor deze voorziening is een einddatum verplicht.")
        if (
            self.revises_id
            and "revises" not in errors
            and self.case_id
            and self.revises.household_id != self.case.household_id
        ):
            errors["revises"] = _("Kies een voorziening van dit huishouden.")
        # #21 part 1: the form of delivery; voorwerk may leave it open.
        for name, message in delivery_form_errors(
            municipality_id=self.municipality_id,
            provision_type=self.provision_type if self.provision_type_id else None,
            delivery_form=self.delivery_form,
            provider=self.provider,
            budget_amount=self.budget_amount,
            budget_period=self.budget_period,
            required=False,
            provider_active=self.is_editable,
        ).items():
            errors.setdefault(name, message)
        if self.kind == ProposalKind.WITHDRAWAL and not self.revises_id and "revises" not in errors:
            errors["revises"] = _("Kies de lopende voorziening die wordt ingetrokken.")
        if errors:
            raise ValidationError(errors)


DECISION_FLAG = "portal.decision_service"


def _database_flag(value: str) -> None:
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [DECISION_FLAG, value])


class _DecisionWriteGuard:
    """Who may write a decision: whoever holds the one key, which is issued once,
    to `apps.decisions.services` when it is imported (the app's `ready()` imports
    it at start-up, before any script or shell runs). `proposal_decide` opens the
    guard with it after checking the mandate; every ORM path that inserts a
    decision (save, create, bulk_create, on any manager) checks it. There is no
    public way to open it: a script that imports the models cannot write a
    decision. On PostgreSQL the database also refuses changes and deletes, and an
    insert without the flag the opened guard sets in the transaction.)"""

    def __init__(self):
        # Only the identity of the key is kept here: the services hold the key.
        self._key_id = None
        self._open = ContextVar("decision_write_key", default=None)

    def issue_key(self) -> object:
        if self._key_id is not None:
            raise RuntimeError("The key to write decisions is issued once, to the services.")
        key = object()
        self._key_id = id(key)
        return key

    def _is_key(self, key) -> bool:
        return self._key_id is not None and key is not None and id(key) == self._key_id

    @contextmanager
    def opened(self, key):
        if not self._is_key(key):
            raise AppendOnlyError("A decision is written only by proposal_decide.")
        token = self._open.set(key)
        try:
            # PostgreSQL refuses an INSERT into the decisions table unless the
            # transaction carries this flag (decisions/0003): set here, inside
            # the service's transaction, and cleared before it goes on.
            _database_flag("on")
            try:
                yield
            finally:
                _database_flag("")
        finally:
            self._open.reset(token)

    def check(self) -> None:
        if not self._is_key(self._open.get()):
            raise AppendOnlyError("A decision is written only by proposal_decide.")


decision_write_guard = _DecisionWriteGuard()


class DecisionQuerySet(AppendOnlyQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        decision_write_guard.check()
        return super().bulk_create(objs, *args, **kwargs)

    def _insert(self, *args, **kwargs):
        # The one ORM path every insert takes (save and bulk_create alike).
        decision_write_guard.check()
        return super()._insert(*args, **kwargs)


DecisionManager = models.Manager.from_queryset(DecisionQuerySet)


class Decision(AppendOnlyModel, DeliveryFormFields, MunicipalityOwned):
    """Besluit (beschikking) on a proposal. Written once by `proposal_decide`,
    never changed: a change is a new decision (a revision). A proposal has at
    most one final decision (grant or refusal); a return for information lets
    the team resubmit."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("toegekend zoals voorgesteld")
        GRANTED_CHANGED = "granted_changed", _("toegekend met wijzigingen")
        REFUSED = "refused", _("afgewezen")
        RETURNED = "returned", _("teruggestuurd voor informatie")

    FINAL_OUTCOMES = (Outcome.GRANTED, Outcome.GRANTED_CHANGED, Outcome.REFUSED)
    GRANTS = (Outcome.GRANTED, Outcome.GRANTED_CHANGED)

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("voorstel"), on_delete=models.PROTECT, related_name="decisions"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("casus"), on_delete=models.PROTECT, related_name="decisions"
    )
    resident = models.ForeignKey(
        "intake.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    outcome = models.CharField(_("besluit"), max_length=20, choices=Outcome.choices)
    consultant = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("consulent"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    # The mandate used: the loket membership and the law it covers.
    mandate = models.ForeignKey(
        "teams.Membership",
        verbose_name=_("mandaat"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    law = models.CharField(_("wet"), max_length=20, choices=Law.choices)
    provision_type = models.ForeignKey(
        ProvisionType, verbose_name=_("voorziening"), on_delete=models.PROTECT, related_name="+"
    )
    legal_basis = models.CharField(_("grondslag"), max_length=200)
    volume = models.DecimalField(_("omvang"), max_digits=8, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("eenheid"), max_length=30, choices=Unit.choices, blank=True)
    frequency = models.CharField(
        _("frequentie"), max_length=20, choices=Frequency.choices, blank=True
    )
    start_date = models.DateField(_("ingangsdatum"), null=True, blank=True)
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    reasons = models.TextField(_("motivering"), max_length=10_000, blank=True)
    via_voorwerk = models.BooleanField(_("via voorwerk van een team"))
    application_date = models.DateField(_("datum aanvraag"))
    deadline = models.DateField(_("beslistermijn"))
    decided_at = models.DateTimeField(_("besloten op"), default=timezone.now)
    # --- #21 part 2 (provision lifecycle): the proposal's kind, copied.
    kind = models.CharField(
        _("soort besluit"), max_length=20, choices=ProposalKind.choices, default="provision"
    )

    objects = ScopedManager(municipality="municipality", _manager_class=DecisionManager)
    append_only_base = DecisionManager()

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        ordering = ["-decided_at", "-pk"]
        base_manager_name = "append_only_base"
        constraints = [
            # Decided at most once, whatever races: the database refuses a second.
            models.UniqueConstraint(
                fields=["proposal"],
                condition=models.Q(outcome__in=["granted", "granted_changed", "refused"]),
                name="decision_one_final_per_proposal",
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "decided_at"], name="decision_muni_decided"),
        ]

    def save(self, *args, **kwargs):
        decision_write_guard.check()
        super().save(*args, **kwargs)

    def __str__(self):  # noqa: DJ012 - the save guard comes first on purpose
        return _("Besluit %(number)s: %(outcome)s") % {
            "number": self.pk,
            "outcome": self.outcome_label,
        }

    @property
    def is_final(self) -> bool:
        return self.outcome in self.FINAL_OUTCOMES

    @property
    def is_withdrawal(self) -> bool:
        return self.kind == ProposalKind.WITHDRAWAL

    # How an outcome reads for a withdrawal (#21 part 2): "ingetrokken", not "toegekend".
    WITHDRAWAL_OUTCOME_LABELS = {
        "granted": _("ingetrokken zoals voorgesteld"),
        "refused": _("intrekking afgewezen: de voorziening loopt door"),
        "returned": _("teruggestuurd voor informatie"),
    }

    @property
    def outcome_label(self) -> str:
        """The outcome as pages and letters show it, per kind of decision."""
        if self.is_withdrawal:
            label = self.WITHDRAWAL_OUTCOME_LABELS.get(self.outcome)
            if label is not None:
                return str(label)
        return self.get_outcome_display()

    @property
    def is_grant(self) -> bool:
        return self.outcome in self.GRANTS

    @property
    def met_deadline(self) -> bool:
        return timezone.localdate(self.decided_at) <= self.deadline

    @property
    def objection_deadline(self):
        """Bezwaar: six weeks after the day the decision is sent."""
        return timezone.localdate(self.decided_at) + timedelta(weeks=6)


class DecisionLetter(MunicipalityOwned):
    """The decision letter (PDF), built once per decision by a background task."""

    decision = models.OneToOneField(
        Decision, verbose_name=_("besluit"), on_delete=models.PROTECT, related_name="letter"
    )
    file = models.FileField(
        _("bestand"), storage=PrivateStorage(), upload_to="decision_letters/%Y/%m/"
    )
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("besluitbrief")
        verbose_name_plural = _("besluitbrieven")

    def __str__(self):
        return _("Besluitbrief bij besluit %(number)s") % {"number": self.decision_id}


class Provision(DeliveryFormFields, MunicipalityOwned, VersionedModel):
    """A granted provision (toekenning), running from the start to the end date.
    An end date means a re-assessment (herindicatie); the daily task marks when
    it is due."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("lopend")
        ENDED = "ended", _("beëindigd")
        REVISED = "revised", _("herzien")
        # --- #21 part 2 (provision lifecycle)
        SUSPENDED = "suspended", _("opgeschort")
        ENDED_EARLY = "ended_early", _("vroegtijdig beëindigd (ingetrokken)")

    RUNNING = (Status.ACTIVE, Status.SUSPENDED)

    decision = models.OneToOneField(
        Decision, verbose_name=_("besluit"), on_delete=models.PROTECT, related_name="provision"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("casus"), on_delete=models.PROTECT, related_name="provisions"
    )
    household = models.ForeignKey(
        "intake.Household",
        verbose_name=_("huishouden"),
        on_delete=models.PROTECT,
        related_name="provisions",
    )
    resident = models.ForeignKey(
        "intake.Resident",
        verbose_name=_("inwoner"),
        on_delete=models.PROTECT,
        related_name="provisions",
    )
    provision_type = models.ForeignKey(
        ProvisionType, verbose_name=_("voorziening"), on_delete=models.PROTECT, related_name="+"
    )
    volume = models.DecimalField(_("omvang"), max_digits=8, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("eenheid"), max_length=30, choices=Unit.choices, blank=True)
    frequency = models.CharField(
        _("frequentie"), max_length=20, choices=Frequency.choices, blank=True
    )
    start_date = models.DateField(_("ingangsdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    reassessment_due_since = models.DateField(
        _("herindicatie gesignaleerd op"), null=True, blank=True
    )
    # --- #21 part 2 (provision lifecycle): suspension and the early end.
    suspended_since = models.DateField(_("opgeschort vanaf"), null=True, blank=True)
    ended_on = models.DateField(_("beëindigd per"), null=True, blank=True)
    ended_by = models.ForeignKey(
        Decision,
        verbose_name=_("ingetrokken bij besluit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ended_provisions",
    )

    class Meta:
        verbose_name = _("toegekende voorziening")
        verbose_name_plural = _("toegekende voorzieningen")
        ordering = ["end_date", "pk"]
        indexes = [
            models.Index(fields=["municipality", "status", "end_date"], name="provision_end"),
            models.Index(fields=["municipality", "household"], name="provision_household"),
        ]

    def __str__(self):
        return f"{self.provision_type} ({self.resident})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING


class DeadlineChange(AppendOnlyModel, MunicipalityOwned):
    """A statutory deadline suspended (opgeschort) or extended (verdaagd), with
    the reason and the new date. On a question (the Wmo investigation) or on a
    proposal (the decision)."""

    class Kind(models.TextChoices):
        SUSPEND = "suspend", _("opgeschort")
        EXTEND = "extend", _("verlengd")

    question = models.ForeignKey(
        "intake.Question",
        verbose_name=_("vraag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadline_changes",
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("voorstel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadline_changes",
    )
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    old_date = models.DateField(_("oude termijn"))
    new_date = models.DateField(_("nieuwe termijn"))
    reason = models.TextField(_("reden"), max_length=2000)
    by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("op"), default=timezone.now)

    objects = ScopedManager(municipality="municipality", _manager_class=AppendOnlyManager)

    class Meta:
        verbose_name = _("termijnwijziging")
        verbose_name_plural = _("termijnwijzigingen")
        ordering = ["at", "pk"]
        base_manager_name = "append_only_base"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(question__isnull=False, proposal__isnull=True)
                    | models.Q(question__isnull=True, proposal__isnull=False)
                ),
                name="deadlinechange_one_subject",
            )
        ]

    def __str__(self):
        old, new = (date_format(d, "SHORT_DATE_FORMAT") for d in (self.old_date, self.new_date))
        return f"{self.get_kind_display()}: {old} → {new}"


# --- #21 part 2: a provision's lifecycle ---------------------------------------------------


class ProvisionEvent(AppendOnlyModel, MunicipalityOwned):
    """What happened to a granted provision: suspended (opgeschort) and resumed
    by the loket, ended early by a withdrawal decision, ended on its date by the
    daily task, revised by a new grant. Append-only, also in the database."""

    class Kind(models.TextChoices):
        SUSPENDED = "suspended", _("opgeschort")
        RESUMED = "resumed", _("hervat")
        ENDED_EARLY = "ended_early", _("vroegtijdig beëindigd (ingetrokken)")
        ENDED = "ended", _("beëindigd op de einddatum")
        REVISED = "revised", _("herzien")

    provision = models.ForeignKey(
        Provision, verbose_name=_("voorziening"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("gebeurtenis"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("per datum"))
    reason = models.TextField(_("reden"), max_length=2000, blank=True)
    by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("besluit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provision_events",
    )
    at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    objects = ScopedManager(municipality="municipality", _manager_class=AppendOnlyManager)

    class Meta:
        verbose_name = _("gebeurtenis van een voorziening")
        verbose_name_plural = _("gebeurtenissen van voorzieningen")
        ordering = ["at", "pk"]
        base_manager_name = "append_only_base"

    def __str__(self):
        return f"{self.get_kind_display()}: {date_format(self.date, 'SHORT_DATE_FORMAT')}"

    def clean(self):
        super().clean()
        errors = same_municipality_errors(self, ("provision", "by", "decision"))
        if errors:
            raise ValidationError(errors)


# --- objections (bezwaar), issue #21 part 3 -----------------------------------------
# Awb chapters 6 and 7: an objection against a final decision, its statutory
# clock (6 weeks, 12 with an advisory committee, once extendable by at most 6),
# and the decision on it (beslissing op bezwaar), written once. The services
# are at the end of `apps.decisions.services`; `docs/architecture.md`
# ("Objections") explains the choices where the law leaves room.


class Objection(EditedByModel, MunicipalityOwned, VersionedModel):
    """Bezwaar: an objection against a final decision (grant, changed grant or
    refusal), registered by the loket."""

    class LodgedBy(models.TextChoices):
        RESIDENT = "resident", _("de inwoner zelf")
        REPRESENTATIVE = "representative", _("een wettelijk vertegenwoordiger")
        RELATIVE_OR_OTHER = "relative_or_other", _("een familielid of ander")

    class Status(models.TextChoices):
        OPEN = "open", _("in behandeling")
        DECIDED = "decided", _("besloten")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    decision = models.ForeignKey(
        Decision,
        verbose_name=_("besluit"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    received_on = models.DateField(_("ontvangen op"))
    lodged_by_name = models.CharField(_("ingediend door (naam)"), max_length=200)
    lodged_by_relation = models.CharField(
        _("ingediend door"), max_length=20, choices=LodgedBy.choices
    )
    grounds = models.TextField(_("gronden van het bezwaar"), max_length=10_000)
    advisory_committee = models.BooleanField(
        _("met een onafhankelijke adviescommissie"),
        default=False,
        help_text=_("Awb 7:13: de beslistermijn is dan twaalf weken in plaats van zes."),
    )
    late = models.BooleanField(_("na de bezwaartermijn ontvangen"), default=False, editable=False)
    # The statutory term as computed at registration, and the current one (the
    # same, or later after the one extension).
    statutory_deadline = models.DateField(_("wettelijke beslistermijn"), editable=False)
    deadline = models.DateField(_("beslistermijn"), editable=False)
    extension_reason = models.TextField(_("reden van verdaging"), max_length=2000, blank=True)
    extended_at = models.DateTimeField(_("verdaagd op"), null=True, blank=True)
    extended_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("verdaagd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    registered_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("geregistreerd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Well-founded: the new decision is prepared as a loket proposal and decided
    # through `proposal_decide`.
    new_proposal = models.OneToOneField(
        Proposal,
        verbose_name=_("nieuw voorstel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objection",
    )
    created_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("bezwaar")
        verbose_name_plural = _("bezwaren")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["municipality", "status", "deadline"], name="objection_open"),
            models.Index(fields=["municipality", "received_on"], name="objection_received"),
        ]

    def __str__(self):
        return _("Bezwaar %(number)s tegen besluit %(decision)s") % {
            "number": self.pk,
            "decision": self.decision_id,
        }

    @property
    def is_extended(self) -> bool:
        return self.extended_at is not None

    def days_left(self, today=None) -> int | None:
        if self.status != self.Status.OPEN:
            return None
        return (self.deadline - (today or timezone.localdate())).days

    def clean(self):
        super().clean()
        errors = same_municipality_errors(
            self, ("decision", "registered_by", "extended_by", "updated_by", "new_proposal")
        )
        if errors:
            raise ValidationError(errors)


class ObjectionDecision(AppendOnlyModel, MunicipalityOwned):
    """Beslissing op bezwaar: the outcome of an objection, written once by
    `objection_decide` (under the same mandate as the decision) and never changed."""

    class Outcome(models.TextChoices):
        WELL_FOUNDED = "well_founded", _("gegrond")
        UNFOUNDED = "unfounded", _("ongegrond")
        INADMISSIBLE = "inadmissible", _("niet-ontvankelijk")

    objection = models.OneToOneField(
        Objection, verbose_name=_("bezwaar"), on_delete=models.PROTECT, related_name="result"
    )
    outcome = models.CharField(_("beslissing"), max_length=20, choices=Outcome.choices)
    reasons = models.TextField(_("motivering"), max_length=10_000)
    decided_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("besloten door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    mandate = models.ForeignKey(
        "teams.Membership", verbose_name=_("mandaat"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("besloten op"), default=timezone.now)

    objects = ScopedManager(municipality="municipality", _manager_class=AppendOnlyManager)

    class Meta:
        verbose_name = _("beslissing op bezwaar")
        verbose_name_plural = _("beslissingen op bezwaar")
        ordering = ["-decided_at", "-pk"]
        base_manager_name = "append_only_base"

    def __str__(self):
        return _("Beslissing op bezwaar %(number)s: %(outcome)s") % {
            "number": self.objection_id,
            "outcome": self.get_outcome_display(),
        }

    @property
    def met_deadline(self) -> bool:
        return timezone.localdate(self.decided_at) <= self.objection.deadline


class ObjectionLetter(MunicipalityOwned):
    """The letter with the decision on an objection (PDF), built once."""

    objection_decision = models.OneToOneField(
        ObjectionDecision,
        verbose_name=_("beslissing op bezwaar"),
        on_delete=models.PROTECT,
        related_name="letter",
    )
    file = models.FileField(
        _("bestand"), storage=PrivateStorage(), upload_to="objection_letters/%Y/%m/"
    )
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("brief beslissing op bezwaar")
        verbose_name_plural = _("brieven beslissing op bezwaar")

    def __str__(self):
        return _("Brief bij de beslissing op bezwaar %(number)s") % {
            "number": self.objection_decision.objection_id
        }
