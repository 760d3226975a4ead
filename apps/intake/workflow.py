"""The transition table of a question's status (see apps.core.workflow)."""

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Workflow
from apps.intake.models import Question

S = Question.Status

QUESTION_FLOW = Workflow(
    {
        # Taken (again by its handler), forwarded (new at the receiving team),
        # or closed.
        S.NEW: {S.NEW, S.IN_PROGRESS, S.CLOSED},
        S.IN_PROGRESS: {S.NEW, S.IN_PROGRESS, S.CLOSED},
        S.CLOSED: set(),
    },
    refused={S.CLOSED: _("Deze vraag is afgesloten.")},
)

# What was registered may be corrected while the question is handled.
QUESTION_EDITABLE = frozenset({S.NEW, S.IN_PROGRESS})
