"""Forms of the loket's pages: deciding on a proposal, changing a deadline,
recording a Wmo personal plan. The rules are the services'; these forms only
parse the input and show the services' messages on their fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput, StyledForm
from apps.decisions.models import DeadlineChange, Decision, Frequency, Unit

OUTCOME_LABELS = {
    Decision.Outcome.GRANTED: _("Toekennen zoals voorgesteld"),
    Decision.Outcome.GRANTED_CHANGED: _("Toekennen met wijzigingen (vul hieronder in)"),
    Decision.Outcome.REFUSED: _("Afwijzen (met redenen)"),
    Decision.Outcome.RETURNED: _("Terugsturen naar het team met een vraag"),
}

# What a changed grant may change (the service's CHANGEABLE).
CHANGE_FIELDS = ("volume", "unit", "frequency", "start_date", "end_date")


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
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, proposal=None, **kwargs):
        if proposal is not None and not kwargs.get("data"):
            kwargs.setdefault("initial", {}).update(
                {name: getattr(proposal, name) for name in CHANGE_FIELDS},
                version=proposal.version,
            )
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        self.fields["outcome"].widget.attrs["aria-required"] = "true"

    def clean(self):
        """What was typed is what is decided: a changed value with any outcome
        but 'grant changed' is refused (it would be silently dropped)."""
        data = super().clean()
        outcome = data.get("outcome")
        if self.proposal is None or outcome == Decision.Outcome.GRANTED_CHANGED or not outcome:
            return data
        for name in CHANGE_FIELDS:
            if name not in data or name not in self.data:  # not sent: nothing changed
                continue
            typed = data.get(name)
            proposed = getattr(self.proposal, name)
            if (typed or None) != (proposed or None):
                self.add_error(
                    name,
                    _(
                        "U wijzigde dit, maar koos niet 'Toekennen met wijzigingen'. Kies dat, "
                        "of zet de waarde terug op die van het voorstel."
                    ),
                )
        return data

    def main_fields(self):
        return [self["outcome"], self["reasons"]]

    def change_fields(self):
        return [self[name] for name in CHANGE_FIELDS]

    def changes(self) -> dict:
        """The changed grant's values (only for 'grant changed')."""
        if self.cleaned_data["outcome"] != Decision.Outcome.GRANTED_CHANGED:
            return {}
        data = self.cleaned_data
        return {
            "volume": data.get("volume"),
            "unit": data.get("unit") or "",
            "frequency": data.get("frequency") or "",
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
        }


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
