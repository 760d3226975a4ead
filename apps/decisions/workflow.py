"""The transition table of a proposal's status (see apps.core.workflow)."""

from apps.core.workflow import Workflow
from apps.decisions.models import Objection, Proposal, Provision

S = Proposal.Status

PROPOSAL_FLOW = Workflow(
    {
        S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
        S.SUBMITTED: {S.DECIDED, S.RETURNED, S.WITHDRAWN},
        S.RETURNED: {S.SUBMITTED, S.WITHDRAWN},
        S.DECIDED: set(),
        S.WITHDRAWN: set(),
    },
)

# The team changes a draft, or a proposal the loket sent back with a question.
PROPOSAL_EDITABLE = frozenset(Proposal.EDITABLE_STATUSES)

V = Provision.Status

# A running provision ends (its end date passed) or is revised by a new grant;
# #21 part 2: the loket suspends and resumes it (not a decision), and a withdrawal
# decision ends it early, also while suspended. The daily sweep ends them in bulk,
# filtered on the running statuses (both may end).
PROVISION_FLOW = Workflow(
    {
        V.ACTIVE: {V.ENDED, V.REVISED, V.SUSPENDED, V.ENDED_EARLY},
        V.SUSPENDED: {V.ACTIVE, V.ENDED, V.REVISED, V.ENDED_EARLY},
        V.ENDED: set(),
        V.REVISED: set(),
        V.ENDED_EARLY: set(),
    }
)

# --- objections (bezwaar, #21 part 3) ---------------------------------------------------
# An objection is decided once or withdrawn by the lodger; either is final.

B = Objection.Status

OBJECTION_FLOW = Workflow({B.OPEN: {B.DECIDED, B.WITHDRAWN}, B.DECIDED: set(), B.WITHDRAWN: set()})
