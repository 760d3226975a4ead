"""What decisions adds to the start page and the menu (registered in
DecisionsConfig.ready; assembled by apps.portal). The team member's block lives
here because it shows the voorwerk the loket returned beside their cases."""

from django.db.models import F, Q

from apps.cases.models import Case
from apps.cases.selectors import case_list_qs, due_follow_ups, visible_cases
from apps.core.registry import (
    SHOWN,
    Head,
    NavCount,
    StartBlock,
    head,
    register_nav_count,
    register_start_block,
)
from apps.decisions.models import Proposal
from apps.decisions.selectors import review_queue_head, submitted_count
from apps.tenants.permissions import Action, Role, has_action


def team_member_block(user, municipality, roles=None):
    """The team member's open cases they direct, the check-ins that are due on
    cases of theirs or their teams, and voorwerk the loket returned to them."""
    if roles is not None and Role.TEAM_MEMBER not in roles:
        return None
    cases = head(
        case_list_qs(user, municipality).filter(director__user=user, status__in=Case.OPEN_STATUSES)
    )
    follow_ups = due_follow_ups(user, municipality)
    returned = head(
        Proposal.objects.filter(
            status=Proposal.Status.RETURNED,
            case__in=visible_cases(user, municipality).values("pk"),
        )
        .filter(
            Q(drafted_by__user=user) | Q(submitted_by__user=user) | Q(case__director__user=user)
        )
        .select_related("case__household", "provision_type", "resident")
        .order_by(F("returned_at").desc(nulls_last=True), "-pk")
    )
    return {
        "cases": cases,
        "follow_ups": Head(rows=follow_ups[:SHOWN], more=len(follow_ups) > SHOWN),
        "returned": returned,
    }


def loket_block(user=None, municipality=None, roles=None):
    """The loket's review queue by decision deadline, overdue first."""
    if roles is not None and not (
        Role.LOKET_CONSULTANT in roles and has_action(user, municipality, Action.PROPOSAL_DECIDE)
    ):
        return None
    rows, counts = review_queue_head(SHOWN)
    return {"rows": rows, **counts}


def _team_member_residents(block) -> list:
    rows = block["cases"].rows + block["returned"].rows
    return rows + [follow_up.case for follow_up in block["follow_ups"].rows]


def register():
    register_start_block(
        StartBlock(
            key="team_member",
            order=20,
            build=team_member_block,
            residents=_team_member_residents,
        )
    )
    register_start_block(
        StartBlock(key="loket", order=30, build=loket_block, residents=lambda b: b["rows"])
    )
    register_nav_count(
        NavCount(
            key="queue",
            action=Action.PROPOSAL_DECIDE,
            count=lambda user, municipality: submitted_count(),
        )
    )
