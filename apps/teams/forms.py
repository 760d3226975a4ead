from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ScopedModelForm
from apps.teams.models import (
    LOKET_CONSULTANT_FILTER,
    Area,
    Law,
    Membership,
    Organisation,
    Team,
    TeamLocation,
)


class AreaForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = Area
        fields = ["name", "is_active"]


class OrganisationForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = Organisation
        fields = ["name", "kind", "is_active"]


class TeamForm(ScopedModelForm):
    relation_filters = {
        "areas": {"is_active": True},
        "run_by": {"is_active": True},
        "linked_loket_consultant": LOKET_CONSULTANT_FILTER,
    }

    class Meta(ScopedModelForm.Meta):
        model = Team
        fields = [
            "name",
            "kind",
            "access",
            "areas",
            "run_by",
            "linked_loket_consultant",
            "phone",
            "email",
            "is_active",
        ]
        widgets = {"areas": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["linked_loket_consultant"]
        field.queryset = field.queryset.select_related("user").distinct()


class TeamLocationForm(ScopedModelForm):
    relation_filters = {"team": {"is_active": True}}

    class Meta(ScopedModelForm.Meta):
        model = TeamLocation
        fields = ["team", "name", "address", "walk_in_hours", "is_active"]


class MembershipForm(ScopedModelForm):
    relation_filters = {
        "team": {"is_active": True},
        "staff_member": {"is_active": True, "is_integration": False},
        "organisation": {"is_active": True},
    }
    mandated_laws = forms.MultipleChoiceField(
        label=_("mandaat voor wetten"),
        choices=Law.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Alleen voor consulenten van het loket: de wetten waarvoor zij mogen beschikken."
        ),
    )

    class Meta(ScopedModelForm.Meta):
        model = Membership
        fields = [
            "staff_member",
            "team",
            "function",
            "organisation",
            "hours_per_week",
            "mandated_laws",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_member"].queryset = self.fields["staff_member"].queryset.select_related(
            "user"
        )
