from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_scopes.forms import SafeModelChoiceField

from apps.accounts.forms import NormalizedEmailField, PasswordReconfirmMixin
from apps.core.forms import ScopedModelForm, StyledForm
from apps.tenants.models import (
    ACCESS_LOG_RETENTION_MAX_YEARS,
    ACCESS_LOG_RETENTION_MIN_YEARS,
    StaffMember,
)


class StaffInviteForm(StyledForm):
    full_name = forms.CharField(label=_("naam"), max_length=200)
    email = NormalizedEmailField(label=_("e-mailadres"))
    is_municipality_admin = forms.BooleanField(label=_("functioneel beheerder"), required=False)
    is_policy_advisor = forms.BooleanField(label=_("beleidsadviseur"), required=False)
    is_integration = forms.BooleanField(
        label=_("koppelingsaccount"),
        required=False,
        help_text=_(
            "Voor een koppeling met een ander systeem: logt niet in, heeft geen rollen of "
            "teams, en krijgt geen e-mail. U geeft er daarna een API-sleutel voor uit."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_integration") and (
            cleaned.get("is_municipality_admin") or cleaned.get("is_policy_advisor")
        ):
            raise forms.ValidationError(
                _("Een koppelingsaccount heeft geen rollen; kies het een of het ander.")
            )
        return cleaned


class AccessLogRetentionForm(StyledForm):
    access_log_retention_years = forms.IntegerField(
        label=_("bewaartermijn toegangslog (jaren)"),
        min_value=ACCESS_LOG_RETENTION_MIN_YEARS,
        max_value=ACCESS_LOG_RETENTION_MAX_YEARS,
        help_text=_(
            "Regels in het toegangslog die ouder zijn dan dit aantal jaren worden elke "
            "maand verwijderd. Stel de termijn vast met de functionaris "
            "gegevensbescherming."
        ),
    )


class StaffRolesForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = StaffMember
        fields = ["is_municipality_admin", "is_policy_advisor"]


def _max_days_help() -> str:
    days = settings.API_TOKEN_MAX_DAYS
    return ngettext(
        "Hoogstens %(days)s dag. Daarna werkt de sleutel niet meer.",
        "Hoogstens %(days)s dagen. Daarna werkt de sleutel niet meer.",
        days,
    ) % {"days": days}


def _days_field(default: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("geldig (dagen)"),
        min_value=1,
        initial=default,
        # Read when shown, so it follows the setting.
        help_text=lazy(_max_days_help, str)(),
    )


class _ApiTokenFormBase(PasswordReconfirmMixin, StyledForm):
    """What every key form asks: what it is for, how long it lasts (at most
    API_TOKEN_MAX_DAYS, read per form so a changed setting applies at once),
    and the person's password again."""

    default_days = 30

    name = forms.CharField(
        label=_("omschrijving"),
        max_length=100,
        help_text=_("Waarvoor de sleutel is, bijvoorbeeld de naam van de koppeling."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        max_days = settings.API_TOKEN_MAX_DAYS
        days = self.fields["days"]
        days.max_value = max_days
        days.validators.append(MaxValueValidator(max_days))
        days.widget.attrs["max"] = str(max_days)
        days.initial = min(self.default_days, max_days)


class ApiTokenForm(_ApiTokenFormBase):
    """The municipality admin's: a key for themselves or an integration account."""

    default_days = 90

    staff_member = SafeModelChoiceField(
        label=_("namens"),
        queryset=StaffMember.objects.none(),
        help_text=_(
            "Uzelf of een koppelingsaccount. De sleutel mag wat dat account in deze gemeente mag."
        ),
    )
    days = _days_field(default_days)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_member"].queryset = (
            StaffMember.objects.filter(is_active=True)
            .filter(Q(user=actor) | Q(is_integration=True))
            .select_related("user")
        )


class OwnApiTokenForm(_ApiTokenFormBase):
    """A person's own key: it acts as them, in the active municipality."""

    name = forms.CharField(
        label=_("omschrijving"),
        max_length=100,
        help_text=_("Waarvoor u de sleutel gebruikt, bijvoorbeeld de naam van uw script."),
    )
    days = _days_field(_ApiTokenFormBase.default_days)
