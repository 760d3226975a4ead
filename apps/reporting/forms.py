from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ScopedModelForm, StyledFormMixin
from apps.reporting.models import ReportSettings


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class ReportSettingsForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = ReportSettings
        fields = ["small_count_threshold"]
