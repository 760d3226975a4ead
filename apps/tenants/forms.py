from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ScopedModelForm, StyledForm
from apps.tenants.models import StaffMember


class StaffInviteForm(StyledForm):
    full_name = forms.CharField(label=_("naam"), max_length=200)
    email = forms.EmailField(label=_("e-mailadres"))
    is_municipality_admin = forms.BooleanField(label=_("functioneel beheerder"), required=False)
    is_policy_advisor = forms.BooleanField(label=_("beleidsadviseur"), required=False)


class StaffRolesForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = StaffMember
        fields = ["is_municipality_admin", "is_policy_advisor"]
