from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from apps.core.forms import ScopedModelForm, StyledForm
from apps.tenants.models import StaffMember


class StaffInviteForm(StyledForm):
    full_name = forms.CharField(label=_("naam"), max_length=200)
    email = forms.EmailField(label=_("e-mailadres"))
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


class StaffRolesForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = StaffMember
        fields = ["is_municipality_admin", "is_policy_advisor"]


class ApiTokenForm(StyledForm):
    name = forms.CharField(
        label=_("omschrijving"),
        max_length=100,
        help_text=_("Waarvoor de sleutel is, bijvoorbeeld de naam van de koppeling."),
    )
    staff_member = SafeModelChoiceField(
        label=_("namens"),
        queryset=StaffMember.objects.none(),
        help_text=_(
            "Uzelf of een koppelingsaccount. De sleutel mag wat dat account in deze gemeente mag."
        ),
    )
    days = forms.IntegerField(label=_("geldig (dagen)"), min_value=1, max_value=365, initial=90)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_member"].queryset = (
            StaffMember.objects.filter(is_active=True)
            .filter(Q(user=actor) | Q(is_integration=True))
            .select_related("user")
        )
