"""How decisions takes part in casework without cases importing it: a case with
a proposal still waiting at the loket cannot be closed or moved to another team. Connected in
DecisionsConfig.ready. (That the loket sees a case once a proposal on it was
offered is a rule of `apps.access.rules.case_rule`.)"""

from django.utils.translation import gettext as _

from apps.cases.signals import case_closing, case_moving
from apps.core.exceptions import DomainError
from apps.decisions.models import Proposal


def refuse_close_with_pending_proposal(sender, case, **kwargs):
    if case.proposals.filter(status=Proposal.Status.SUBMITTED).exists():
        raise DomainError(
            _("Er ligt nog een voorstel bij het loket. Wacht het besluit af of trek het in.")
        )


def connect():
    case_closing.connect(
        refuse_close_with_pending_proposal, dispatch_uid="decisions.refuse_close_pending"
    )
    case_moving.connect(
        refuse_close_with_pending_proposal, dispatch_uid="decisions.refuse_move_pending"
    )
