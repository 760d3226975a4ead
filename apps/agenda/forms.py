from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.agenda.models import Appointment
from apps.cases.forms import StaffMultipleChoiceField, VersionField, active_staff
from apps.core.forms import DateTimeInput, StyledForm, text_area
from apps.teams.models import Membership, active_membership_q
from apps.tenants.models import StaffMember

HANDLING = (
    Membership.Function.CONSULTANT,
    Membership.Function.TEAM_MEMBER,
    Membership.Function.CASE_DIRECTOR,
    Membership.Function.LIAISON,
    Membership.Function.SUPPORT,
    Membership.Function.COORDINATOR,
)


def colleagues_of(team):
    """Who can take part in an appointment of `team`'s case or question: its
    members with a handling function and its linked loket consultant (the
    service checks it again)."""
    return (
        active_staff()
        .filter(
            Q(memberships__team_id=team.pk, memberships__function__in=HANDLING)
            | Q(pk=team.linked_loket_consultant_id),
            active_membership_q("memberships__"),
        )
        .distinct()
    )


class AppointmentTimesForm(StyledForm):
    starts_at = forms.DateTimeField(label=_("Begint om"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Eindigt om"), widget=DateTimeInput())
    place = forms.CharField(
        label=_("Plaats"),
        max_length=200,
        required=False,
        help_text=_(
            "Bijvoorbeeld: bij de inwoner thuis, of het gemeentehuis. De plaats komt niet "
            "in de agenda-koppeling."
        ),
    )
    participants = StaffMultipleChoiceField(
        label=_("Deelnemers van de gemeente"),
        queryset=StaffMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Collega's die aan de casus of vraag werken. U bent zelf altijd deelnemer."),
    )
    other_participants = forms.CharField(
        label=_("Andere deelnemers"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld de inwoner, een familielid of de huisarts."),
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = colleagues_of(team)
        self.style_fields()

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("Het einde moet na het begin liggen."))
        return data


class AppointmentPlanForm(AppointmentTimesForm):
    kind = forms.ChoiceField(label=_("Soort"), choices=[("", "—"), *Appointment.Kind.choices])

    field_order = ["kind", "starts_at", "ends_at", "place", "participants", "other_participants"]


class AppointmentUpdateForm(AppointmentTimesForm):
    version = VersionField()


class AppointmentCancelForm(StyledForm):
    reason = text_area(label=_("Reden van annuleren"), max_length=2000, rows=3)
    version = VersionField()


class AppointmentRecordForm(StyledForm):
    note = text_area(label=_("Verslag"), max_length=10_000, required=False, rows=6)
    version = VersionField()
