"""The transition table of an appointment's status (see apps.core.workflow)."""

from django.utils.translation import gettext_lazy as _

from apps.agenda.models import Appointment
from apps.core.workflow import Workflow

S = Appointment.Status

APPOINTMENT_FLOW = Workflow(
    {S.PLANNED: {S.HELD, S.CANCELLED}, S.HELD: set(), S.CANCELLED: set()},
    refused={
        S.HELD: _("Deze afspraak is al vastgelegd als activiteit."),
        S.CANCELLED: _("Deze afspraak is geannuleerd."),
    },
)
