"""Forms of a provision's lifecycle (#21 part 2): suspend and resume. The rules
are the services'; these forms only parse the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput, StyledForm


class ProvisionSuspendForm(StyledForm):
    date = forms.DateField(
        label=_("Opgeschort vanaf"),
        widget=DateInput(),
        help_text=_("Bijvoorbeeld de dag van opname in het ziekenhuis."),
    )
    reason = forms.CharField(
        label=_("Reden"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProvisionResumeForm(StyledForm):
    date = forms.DateField(label=_("Hervat vanaf"), widget=DateInput())
    reason = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawalForm(StyledForm):
    """Voorstel tot intrekking: the date the provision ends and why."""

    end_date = forms.DateField(
        label=_("Eindigt per"),
        widget=DateInput(),
        help_text=_("Niet voor de ingangsdatum en niet na de huidige einddatum."),
    )
    motivation = forms.CharField(
        label=_("Motivering"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Waarom de ondersteuning niet meer nodig is; komt in de besluitbrief."),
    )
