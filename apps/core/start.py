"""The start page per role: "what should I do now". One block for each role the
person holds in the active municipality, each the head (at most `SHOWN` rows) of
a list that has a page of its own, read through the selectors of those lists
with their permission and tenancy rules.

Every block is a fixed number of queries, whatever the amount of data. No block
shows more about residents than the list it links to. Like those lists, the page
is a read of what it shows: the view writes one access-log entry naming the
residents in its blocks (`residents_shown`; apps/audit).
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from apps.access import rules
from apps.tenants.permissions import Action, Role, has_action

# Rows per block; the block links to the full list.
SHOWN = 10


@dataclass
class Head:
    """The first rows of a list and whether there are more."""

    rows: list = field(default_factory=list)
    more: bool = False


def _head(qs, limit=SHOWN) -> Head:
    rows = list(qs[: limit + 1])
    return Head(rows=rows[:limit], more=len(rows) > limit)


def gate_block(user, municipality) -> Head:
    """The gate clarifier's new questions (not yet taken up by anyone): those
    they registered and those waiting at a team where they clarify questions,
    the longest waiting first."""
    from apps.intake.models import Question
    from apps.intake.selectors import visible_questions
    from apps.teams.models import Membership

    gates = rules.team_ids(user, municipality, [Membership.Function.GATE_CLARIFIER])
    return _head(
        visible_questions(user, municipality)
        .filter(Q(received_by__user=user) | Q(team_id__in=gates), status=Question.Status.NEW)
        .select_related("resident", "team")
        .order_by("received_at", "pk")
    )


def team_member_block(user, municipality) -> dict:
    """The team member's open cases they direct, the check-ins that are due on
    cases of theirs or their teams, and voorwerk the loket returned to them."""
    from apps.cases.models import Case
    from apps.cases.selectors import case_list_qs, visible_cases
    from apps.cases.views import due_follow_ups
    from apps.decisions.models import Proposal

    cases = _head(
        case_list_qs(user, municipality).filter(director__user=user, status__in=Case.OPEN_STATUSES)
    )
    follow_ups = due_follow_ups(user, municipality)
    returned = _head(
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


def loket_block() -> dict:
    from apps.decisions.selectors import review_queue_head

    rows, counts = review_queue_head(SHOWN)
    return {"rows": rows, **counts}


def coordinator_block(user, municipality) -> dict:
    """The caseload of the teams the user coordinates (open cases each member
    directs there) and their questions nobody has taken yet."""
    from apps.cases.models import Case
    from apps.intake.models import Question
    from apps.intake.selectors import HANDLING_FUNCTIONS, visible_questions
    from apps.teams.models import Membership

    teams = rules.team_ids(user, municipality, [Membership.Function.COORDINATOR])
    directed = "staff_member__cases_directed"
    caseload = list(
        Membership.objects.active()
        .filter(team_id__in=teams, function__in=HANDLING_FUNCTIONS)
        .values("team_id", "team__name", "staff_member_id", "staff_member__user__full_name")
        .annotate(
            open_cases=Count(
                directed,
                filter=Q(
                    **{
                        f"{directed}__team_id": F("team_id"),
                        f"{directed}__status__in": Case.OPEN_STATUSES,
                    }
                ),
                distinct=True,
            )
        )
        .order_by("team__name", "-open_cases", "staff_member__user__full_name")
    )
    unassigned = _head(
        visible_questions(user, municipality)
        .filter(team_id__in=teams, status=Question.Status.NEW, assigned_to__isnull=True)
        .select_related("resident", "team")
        .order_by("received_at", "pk")
    )
    return {"caseload": caseload, "unassigned": unassigned}


def policy_block(user, municipality) -> Head:
    from apps.reporting.services import visible_reports

    return _head(visible_reports(user, municipality).order_by("-created_at", "-pk"))


def start_blocks(user, municipality, roles) -> dict:
    """The blocks the start page shows this person: a key per role they hold."""
    blocks = {}
    if Role.GATE_CLARIFIER in roles:
        blocks["gate"] = gate_block(user, municipality)
    if Role.TEAM_MEMBER in roles:
        blocks["team_member"] = team_member_block(user, municipality)
    if Role.LOKET_CONSULTANT in roles and has_action(user, municipality, Action.PROPOSAL_DECIDE):
        blocks["loket"] = loket_block()
    if Role.COORDINATOR in roles:
        blocks["coordinator"] = coordinator_block(user, municipality)
    if Role.POLICY_ADVISOR in roles:
        blocks["policy"] = policy_block(user, municipality)
    if Role.MUNICIPALITY_ADMIN in roles:
        blocks["admin"] = True
    return blocks


def residents_shown(blocks: dict) -> list[int]:
    """The ids of the residents the blocks name (questions, cases, check-ins,
    proposals), without a query: each block selected what it shows."""
    rows = []
    if "gate" in blocks:
        rows += blocks["gate"].rows
    if "team_member" in blocks:
        block = blocks["team_member"]
        rows += block["cases"].rows + block["returned"].rows
        rows += [follow_up.case for follow_up in block["follow_ups"].rows]
    if "loket" in blocks:
        rows += blocks["loket"]["rows"]
    if "coordinator" in blocks:
        rows += blocks["coordinator"]["unassigned"].rows
    return list(dict.fromkeys(row.resident_id for row in rows if row.resident_id))
