"""How decisions takes part in casework without cases importing it: the loket
sees a case once a proposal on it was offered, and a case with a proposal still
waiting at the loket cannot be closed. Connected in DecisionsConfig.ready."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from apps.cases.selectors import register_loket_case_rule
from apps.cases.signals import case_closing
from apps.core.exceptions import DomainError
from apps.decisions.models import Proposal


def offered_to_loket():
    """A case with a proposal submitted to the loket (at any time) is visible to
    the loket's consultants."""
    return Exists(Proposal.objects.filter(case=OuterRef("pk"), submitted_at__isnull=False))


def refuse_close_with_pending_proposal(sender, case, **kwargs):
    if case.proposals.filter(status=Proposal.Status.SUBMITTED).exists():
        raise DomainError(
            _("Er ligt nog een voorstel bij het loket. Wacht het besluit af of trek het in.")
        )


def connect():
    register_loket_case_rule("decisions.offered_to_loket", offered_to_loket)
    case_closing.connect(
        refuse_close_with_pending_proposal, dispatch_uid="decisions.refuse_close_pending"
    )
