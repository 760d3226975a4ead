"""Forms of the loket's pages: deciding on a proposal, changing a deadline,
recording a Wmo personal plan. The rules are the services'; these forms only
parse the input and show the services' messages on their fields."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from apps.cases.models import Case
from apps.core.forms import DateInput, StyledForm
from apps.decisions.models import (
    BudgetPeriod,
    DeadlineChange,
    Decision,
    DeliveryForm,
    Frequency,
    Objection,
    ObjectionDecision,
    Provider,
    Provision,
    ProvisionType,
    Unit,
)
from apps.decisions.services import (
    CHANGEABLE,
    OBJECTION_MAX_EXTENSION_WEEKS,
    PROPOSAL_FIELDS,
)
from apps.intake.models import Resident

OUTCOME_LABELS = {
    Decision.Outcome.GRANTED: _("Toekennen zoals voorgesteld"),
    Decision.Outcome.GRANTED_CHANGED: _("Toekennen met wijzigingen (vul hieronder in)"),
    Decision.Outcome.REFUSED: _("Afwijzen (met redenen)"),
    Decision.Outcome.RETURNED: _("Terugsturen naar het team met een vraag"),
}

# #21 part 2: how the outcomes read for a withdrawal (no grant "with changes").
WITHDRAWAL_OUTCOME_LABELS = [
    (Decision.Outcome.GRANTED, _("Intrekken zoals voorgesteld")),
    (Decision.Outcome.REFUSED, _("Intrekking afwijzen: de voorziening loopt door (met redenen)")),
    (Decision.Outcome.RETURNED, _("Terugsturen naar het team met een vraag")),
]

# What a changed grant may change: the service's rule.
CHANGE_FIELDS = CHANGEABLE


# --- #21 part 1: the form of delivery, on the proposal and the decision ------------------


def delivery_form_fields() -> dict:
    """The form fields of the form of delivery (zorg in natura by a provider, or a
    pgb of an amount per period); the rule is `delivery_form_errors`."""
    provider = SafeModelChoiceField(
        label=_("Aanbieder"),
        queryset=Provider.objects.none(),
        required=False,
        help_text=_("Bij zorg in natura: de aanbieder die levert."),
    )
    provider.label_from_instance = str
    return {
        "delivery_form": forms.ChoiceField(
            label=_("Leveringsvorm"),
            required=False,
            choices=[("", "—"), *DeliveryForm.choices],
            help_text=_("Bij toekenning verplicht: zorg in natura of persoonsgebonden budget."),
        ),
        "provider": provider,
        "budget_amount": forms.DecimalField(
            label=_("Budget (euro)"),
            required=False,
            max_digits=10,
            decimal_places=2,
            min_value=0,
            help_text=_("Bij een persoonsgebonden budget: het bedrag."),
        ),
        "budget_period": forms.ChoiceField(
            label=_("Budgetperiode"),
            required=False,
            choices=[("", "—"), *BudgetPeriod.choices],
            help_text=_("Het bedrag geldt per week, maand of jaar, of voor de hele periode."),
        ),
    }


def provider_choices(provision_type_id=None, current_id=None):
    """Active providers (contracted for the provision, when given), and the one
    already chosen."""
    q = Q(is_active=True)
    if provision_type_id is not None:
        q &= Q(provision_types=provision_type_id)
    if current_id is not None:
        q |= Q(pk=current_id)
    return Provider.objects.filter(q).distinct().order_by("name")


def delivery_clean(data: dict) -> dict:
    """Blank choices are "" for the service; an empty amount stays None."""
    for name in ("delivery_form", "budget_period"):
        if name in data and data[name] is None:
            data[name] = ""
    return data


class DecideForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("", _("— kies —")), *OUTCOME_LABELS.items()],
    )
    reasons = forms.CharField(
        label=_("Motivering of vraag"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Verplicht bij afwijzen (de redenen komen in de brief), bij toekennen met "
            "wijzigingen (waarom anders) en bij terugsturen (welke informatie nog nodig is)."
        ),
    )
    volume = forms.DecimalField(
        label=_("Omvang"), required=False, max_digits=8, decimal_places=2, min_value=0
    )
    unit = forms.ChoiceField(label=_("Eenheid"), required=False, choices=[("", "—"), *Unit.choices])
    frequency = forms.ChoiceField(
        label=_("Frequentie"), required=False, choices=[("", "—"), *Frequency.choices]
    )
    start_date = forms.DateField(label=_("Ingangsdatum"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("Einddatum"), required=False, widget=DateInput())
    locals().update(delivery_form_fields())
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, proposal=None, **kwargs):
        if proposal is not None and not kwargs.get("data"):
            kwargs.setdefault("initial", {}).update(
                {name: getattr(proposal, name) for name in CHANGE_FIELDS},
                version=proposal.version,
            )
            kwargs["initial"]["provider"] = proposal.provider_id
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        if proposal is not None:
            self.fields["provider"].queryset = provider_choices(
                proposal.provision_type_id, proposal.provider_id
            )
        self.fields["outcome"].widget.attrs["aria-required"] = "true"
        if proposal is not None and proposal.is_withdrawal:  # #21 part 2
            self.fields["outcome"].choices = [("", _("— kies —")), *WITHDRAWAL_OUTCOME_LABELS]

    def main_fields(self):
        return [self["outcome"], self["reasons"]]

    def change_fields(self):
        return [self[name] for name in CHANGE_FIELDS]

    def changes(self) -> dict:
        """The values typed for the grant; the service's `decision_changes` says
        what the outcome does with them. For another outcome only the fields
        sent count (a form without them changes nothing)."""
        data = self.cleaned_data
        sent = (
            CHANGE_FIELDS
            if data["outcome"] == Decision.Outcome.GRANTED_CHANGED
            else [name for name in CHANGE_FIELDS if name in self.data]
        )
        return delivery_clean({name: data.get(name) for name in sent})


class DeadlineChangeForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Opschorten of verlengen"),
        choices=[("", _("— kies —")), *DeadlineChange.Kind.choices],
        help_text=_(
            "Opschorten: de termijn staat stil, bijvoorbeeld terwijl de inwoner gegevens "
            "aanvult. Verlengen (verdagen): er is meer tijd nodig, bijvoorbeeld voor een advies."
        ),
    )
    new_date = forms.DateField(label=_("Nieuwe termijn"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reden"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PersonalPlanForm(StyledForm):
    received_on = forms.DateField(
        label=_("Persoonlijk plan ontvangen op"),
        widget=DateInput(),
        help_text=_(
            "Een Wmo-inwoner mag binnen de termijn na de melding een persoonlijk plan geven; "
            "het onderzoek houdt er rekening mee."
        ),
    )


# --- voorwerk, the team side ---------------------------------------------------------


class ProvisionTypeChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_law_display()}, {obj.get_unit_display()})"


class ProposalForm(StyledForm):
    """Voorwerk: the proposed provision. The unit follows the provision unless
    changed; an empty end date gets the provision's default duration."""

    provision_type = ProvisionTypeChoiceField(
        label=_("Voorziening"), queryset=ProvisionType.objects.none()
    )
    resident = SafeModelChoiceField(label=_("Voor inwoner"), queryset=Resident.objects.none())
    volume = forms.DecimalField(
        label=_("Omvang"), max_digits=8, decimal_places=2, min_value=0, required=False
    )
    unit = forms.ChoiceField(
        label=_("Eenheid"),
        choices=[("", "—"), *Unit.choices],
        required=False,
        help_text=_("Leeg: de eenheid van de gekozen voorziening."),
    )
    frequency = forms.ChoiceField(
        label=_("Frequentie"), choices=[("", "—"), *Frequency.choices], required=False
    )
    start_date = forms.DateField(label=_("Ingangsdatum"), widget=DateInput())
    end_date = forms.DateField(
        label=_("Einddatum"),
        widget=DateInput(),
        required=False,
        help_text=_("Leeg: de standaardduur van de voorziening."),
    )
    motivation = forms.CharField(
        label=_("Motivering"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    revises = SafeModelChoiceField(
        label=_("Herziet of verlengt"),
        queryset=Provision.objects.none(),
        required=False,
        help_text=_(
            "Bij een herindicatie: de lopende voorziening die dit voorstel opvolgt. Bij "
            "toekenning wordt die als herzien afgesloten."
        ),
    )
    locals().update(delivery_form_fields())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # The service's fields; the plan is the case's current one.
    FIELDS = tuple(name for name in PROPOSAL_FIELDS if name != "plan")

    def __init__(self, *args, case: Case, proposal=None, chosen=None, follows=None, **kwargs):
        super().__init__(*args, **kwargs)
        catalogue = ProvisionType.objects.filter(is_active=True)
        if proposal is not None:
            catalogue = ProvisionType.objects.filter(
                Q(is_active=True) | Q(pk=proposal.provision_type_id)
            )
        self.fields["provision_type"].queryset = catalogue.order_by("name")
        self.fields["resident"].queryset = Resident.objects.filter(
            household_id=case.household_id
        ).order_by("date_of_birth", "pk")
        self.fields["revises"].queryset = (
            Provision.objects.filter(household_id=case.household_id, status__in=Provision.RUNNING)
            .select_related("provision_type", "resident")
            .order_by("end_date", "pk")
        )
        self.fields["provider"].queryset = provider_choices(
            current_id=proposal.provider_id if proposal is not None else None
        )
        self.fields["revises"].label_from_instance = lambda v: (
            _("%(provision)s voor %(name)s, tot %(end)s")
            % {
                "provision": v.provision_type.name,
                "name": v.resident.full_name,
                "end": date_format(v.end_date, "SHORT_DATE_FORMAT") if v.end_date else "…",
            }
        )
        if proposal is None and follows is not None:
            # A re-assessment: the running provision, continued from its end date.
            self.initial.update(
                revises=follows.pk,
                provision_type=follows.provision_type_id,
                resident=follows.resident_id,
                volume=follows.volume,
                unit=follows.unit,
                frequency=follows.frequency,
                start_date=(follows.end_date + timedelta(days=1))
                if follows.end_date
                else timezone.localdate(),
            )
        if proposal is None:
            self.initial.setdefault("resident", case.resident_id)
            self.initial.setdefault("start_date", timezone.localdate())
            if chosen is not None:
                self.initial.setdefault("provision_type", chosen.pk)
                self.initial.setdefault("unit", chosen.unit)
            self.fields.pop("version")
        else:
            for name in self.FIELDS:
                self.initial.setdefault(name, getattr(proposal, name))
            self.initial["provision_type"] = proposal.provision_type_id
            self.initial["resident"] = proposal.resident_id
            self.initial["revises"] = proposal.revises_id
            self.initial["provider"] = proposal.provider_id
            self.initial["version"] = proposal.version
            self.fields["version"].required = True
        self.style_fields()

    def clean(self):
        data = super().clean()
        provision = data.get("provision_type")
        # The unit left empty is the provision's own (the API asks for it explicitly).
        if provision is not None and data.get("volume") is not None and not data.get("unit"):
            data["unit"] = provision.unit
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in self.FIELDS if name != "provision_type"} | {
            "unit": data.get("unit") or "",
            "frequency": data.get("frequency") or "",
            "delivery_form": data.get("delivery_form") or "",
            "budget_period": data.get("budget_period") or "",
        }


# --- objections (bezwaar, #21 part 3) ---------------------------------------------------


class ObjectionForm(StyledForm):
    """Register an objection against the decision of the page."""

    received_on = forms.DateField(label=_("Bezwaarschrift ontvangen op"), widget=DateInput())
    lodged_by_name = forms.CharField(label=_("Ingediend door (naam)"), max_length=200)
    lodged_by_relation = forms.ChoiceField(
        label=_("Wie diende het bezwaar in"),
        choices=[("", _("— kies —")), *Objection.LodgedBy.choices],
    )
    grounds = forms.CharField(
        label=_("Gronden van het bezwaar"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Waarom is de indiener het niet eens met het besluit?"),
    )
    advisory_committee = forms.BooleanField(
        label=_("Met een onafhankelijke adviescommissie (beslistermijn twaalf weken)"),
        required=False,
    )


class ObjectionExtendForm(StyledForm):
    weeks = forms.IntegerField(
        label=_("Verdagen met (weken)"),
        min_value=1,
        max_value=OBJECTION_MAX_EXTENSION_WEEKS,
        help_text=_("Eén keer, met ten hoogste zes weken (Awb 7:10 lid 3)."),
    )
    reason = forms.CharField(
        label=_("Reden van de verdaging"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ObjectionWithdrawForm(StyledForm):
    withdrawn_on = forms.DateField(label=_("Ingetrokken op"), widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)


class ObjectionDecideForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Beslissing op het bezwaar"),
        choices=[("", _("— kies —")), *ObjectionDecision.Outcome.choices],
        help_text=_("Gegrond: er volgt een nieuw besluit, dat u daarna voorbereidt en neemt."),
    )
    reasons = forms.CharField(
        label=_("Motivering"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ObjectionDecisionFindForm(StyledForm):
    """The loket's way to the registration page by the decision's number (a gate
    clarifier does not open cases, so does not reach the decision page)."""

    decision = forms.IntegerField(
        label=_("Besluitnummer"),
        min_value=1,
        help_text=_("Het nummer van het besluit in de brief (kenmerk)."),
    )
