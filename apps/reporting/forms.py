from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ScopedModelForm, StyledFormMixin
from apps.reporting.models import Report, ReportSettings


class MonthInput(forms.TextInput):
    input_type = "month"


class ReportRequestForm(StyledFormMixin, forms.Form):
    """Two months; the service checks the period (order, length, future)."""

    period_start = forms.CharField(
        label=_("Van (maand)"),
        widget=MonthInput(attrs={"placeholder": "2015-01", "autocomplete": "off"}),
        help_text=_("Bijvoorbeeld 2015-01 voor januari 2015."),
        max_length=7,
    )
    period_end = forms.CharField(
        label=_("Tot en met (maand)"),
        widget=MonthInput(attrs={"placeholder": "2015-05", "autocomplete": "off"}),
        help_text=_("Bijvoorbeeld 2015-05 voor mei 2015. Een periode is ten hoogste 3 jaar."),
        max_length=7,
    )
    audience = forms.ChoiceField(
        label=_("Versie"),
        choices=[
            (
                Report.Audience.OUTSIDE,
                _("Om te delen: kleine aantallen verborgen (de grens van de gemeente)"),
            ),
            (
                Report.Audience.INTERNAL,
                _("Voor intern gebruik: alle aantallen, niet delen buiten de gemeente"),
            ),
        ],
        initial=Report.Audience.OUTSIDE,
        widget=forms.RadioSelect,
        # Not chosen: the version to share, the safe one.
        required=False,
    )
    compare_previous_year = forms.BooleanField(
        label=_("Vergelijken met dezelfde maanden een jaar eerder"),
        help_text=_("Onder elke tabel het verschil per cijfer; in de CSV ook de cijfers zelf."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def clean_audience(self):
        return self.cleaned_data.get("audience") or Report.Audience.OUTSIDE


class ReportSettingsForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = ReportSettings
        fields = ["small_count_threshold"]
