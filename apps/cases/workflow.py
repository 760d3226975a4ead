"""The transition tables of a case's and a support plan's status (see
apps.core.workflow). A case's status is written by the cases app only: the
decisions app asks `case_follow_proposals` to put it where its proposals and
decisions leave it."""

from django.utils.translation import gettext_lazy as _

from apps.cases.models import Case, SupportPlan
from apps.core.workflow import Workflow

C = Case.Status
_RUNNING = frozenset(Case.OPEN_STATUSES)

CASE_FLOW = Workflow(
    {
        # While it runs, its proposals and decisions move it between the
        # running statuses; it is closed with or without follow-up.
        **{status: (_RUNNING - {status}) | {C.CLOSED, C.FOLLOW_UP} for status in _RUNNING},
        C.FOLLOW_UP: {C.CLOSED, C.OPEN},
        C.CLOSED: {C.OPEN},
    },
    refused={
        C.CLOSED: _("Deze casus is afgesloten. Heropen hem eerst."),
        C.FOLLOW_UP: _("Deze casus is afgesloten. Heropen hem eerst."),
    },
)

P = SupportPlan.Status

PLAN_FLOW = Workflow(
    {P.DRAFT: {P.AGREED}, P.AGREED: {P.SUPERSEDED}, P.SUPERSEDED: set()},
)

# Only the draft of a plan is edited; an agreed version is frozen.
PLAN_EDITABLE = frozenset({P.DRAFT})
