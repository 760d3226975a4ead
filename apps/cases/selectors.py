"""Reads of cases: who may see and work on which case, and the case lists.

Access to a case (docs/permissions.md, `case.view`): the owning team (members
with a working function, and its behavioural expert), the team's linked loket
consultant, the loket once a proposal is submitted, the director, and anyone
the director shared it with (a django-guardian grant). A policy advisor never.
The list filter is one query with subqueries and EXISTS, never guardian's
`get_objects_for_user`, so it stays fast with many cases and grants.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from apps.cases.models import (
    Case,
    CaseUserObjectPermission,
    FollowUp,
    Goal,
    Solution,
    SupportPlan,
)
from apps.intake.models import Resident
from apps.intake.selectors import HANDLING_FUNCTIONS, visible_questions
from apps.teams.models import Membership
from apps.teams.selectors import linked_team_ids, team_ids_where
from apps.tenants.models import StaffMember
from apps.tenants.permissions import Action, Role, has_action, roles_for

# The functions in the owning team that see its cases (a volunteer and a gate
# clarifier do not; a behavioural expert advises on them and reads them).
CASE_VIEWING_FUNCTIONS = (*HANDLING_FUNCTIONS, Membership.Function.BEHAVIOURAL_EXPERT)

VIEW_CASE = "view_case"

# The further cases a loket consultant sees, added by the apps above cases (which
# cases may not import): name -> a function returning a Q or an Exists on the case
# row. decisions registers "a proposal on the case was offered to the loket"
# (apps.decisions.apps). Registered once at start-up.
LOKET_CASE_RULES: dict = {}


def register_loket_case_rule(name: str, rule) -> None:
    LOKET_CASE_RULES[name] = rule


def _membership_team_ids(user, municipality, functions):
    """A subquery of the active teams where the user holds one of `functions`."""
    return team_ids_where(user, municipality, functions)


def shared_with(user):
    """EXISTS: the case was shared with `user` (a guardian grant)."""
    return Exists(
        CaseUserObjectPermission.objects.filter(
            content_object=OuterRef("pk"), user=user, permission__codename=VIEW_CASE
        )
    )


def visible_cases(user, municipality):
    """The cases of `municipality` that `user` may open.

    Every way in is an `IN (subquery)` or `EXISTS` on the case row itself, with no
    join, so PostgreSQL filters while it walks the list index and counts without
    joining teams and people (scripts/bench_cases.py)."""
    qs = Case.objects.filter(municipality=municipality)
    if not has_action(user, municipality, Action.CASE_VIEW):
        return qs.none()
    me = StaffMember.objects.filter(municipality=municipality, user=user, is_active=True)
    rule = (
        Q(team_id__in=_membership_team_ids(user, municipality, CASE_VIEWING_FUNCTIONS))
        | Q(team_id__in=linked_team_ids(user, municipality))
        | Q(director_id__in=me.values("pk"))
        | shared_with(user)
    )
    if Role.LOKET_CONSULTANT in roles_for(user, municipality):
        for loket_rule in LOKET_CASE_RULES.values():
            rule |= loket_rule()
    return qs.filter(rule)


def can_view_case(user, case) -> bool:
    return visible_cases(user, case.municipality).filter(pk=case.pk).exists()


def is_case_worker(user, case) -> bool:
    """Whether `user` works on the case (writes activities, assessments, the plan
    and voorwerk): a member of the owning team with a working function. For a
    case of the loket (its own path) that is a loket consultant. A behavioural
    expert, a colleague it was shared with and the loket reviewing a team's
    voorwerk only read it (the loket decides on voorwerk, it does not write it)."""
    if not has_action(user, case.municipality, Action.CASE_WORK):
        return False
    return (
        Membership.objects.active()
        .filter(team_id=case.team_id, staff_member__user=user, function__in=HANDLING_FUNCTIONS)
        .exists()
    )


def is_linked_consultant(user, case) -> bool:
    """The team's linked loket consultant (vaste contactpersoon), who joins its
    case discussions and home visits and records them on the case, while they
    work at the loket (`linked_team_ids`)."""
    if case.team.linked_loket_consultant_id is None:
        return False
    return linked_team_ids(user, case.municipality).filter(pk=case.team_id).exists()


def is_team_handler(staff_member, team) -> bool:
    """Whether a staff member can direct a case of `team`."""
    return (
        Membership.objects.active()
        .filter(team=team, staff_member=staff_member, function__in=HANDLING_FUNCTIONS)
        .exists()
    )


def is_coordinator_of(user, team) -> bool:
    return (
        Membership.objects.active()
        .filter(team=team, staff_member__user=user, function=Membership.Function.COORDINATOR)
        .exists()
    )


def case_list_qs(user, municipality):
    """The list rows: one query, whatever the number of cases."""
    return (
        visible_cases(user, municipality)
        .select_related("household", "resident", "team", "director__user")
        .order_by("-opened_on", "-pk")
    )


FOLLOW_UPS_SHOWN = 25


def due_follow_ups(user, municipality):
    """Check-ins that are due (today or earlier, not done) on closed cases the user
    directs or that belong to their teams: one query."""
    team_ids = _membership_team_ids(user, municipality, CASE_VIEWING_FUNCTIONS)
    cases = visible_cases(user, municipality).filter(
        Q(director__user=user) | Q(team_id__in=team_ids)
    )
    return list(
        FollowUp.objects.filter(
            case__in=cases, done_on__isnull=True, due_on__lte=timezone.localdate()
        )
        .select_related("case__household", "case__team", "case__director__user")
        .order_by("due_on", "pk")[:FOLLOW_UPS_SHOWN]
    )


def case_list(
    user,
    municipality,
    *,
    mine: bool = False,
    team=None,
    status: str = "",
    running: bool | None = None,
    term: str = "",
    next_follow_up: bool = False,
):
    """The case list of the page and the API: the cases `user` may see, those
    they direct (`mine`), of one `team`, with one `status`, running or not
    (`running`), whose household or resident is named like `term`; with the
    date of the next check-in due (`next_follow_up`). One query."""
    qs = case_list_qs(user, municipality)
    if mine:
        qs = qs.filter(director__user=user)
    if team is not None:
        qs = qs.filter(team=team)
    if status:
        qs = qs.filter(status=status)
    if running is not None:
        open_statuses = Q(status__in=Case.OPEN_STATUSES)
        qs = qs.filter(open_statuses) if running else qs.exclude(open_statuses)
    term = (term or "").strip()
    if term:
        qs = qs.filter(
            Q(household__name__icontains=term)
            | Q(resident__surname__icontains=term)
            | Q(resident__first_names__icontains=term)
            | Q(household__members__surname__icontains=term)
        ).distinct()
    if next_follow_up:
        qs = qs.annotate(
            next_follow_up=FollowUp.objects.filter(case=OuterRef("pk"), done_on__isnull=True)
            .order_by("due_on")
            .values("due_on")[:1]
        )
    return qs


def plans_with_goals():
    """Support plans with their goals (and life domain) and the solutions of
    each in the order of preference: the plan page and the API read plans
    through this. Three queries, whatever the number of goals."""
    return SupportPlan.objects.select_related(
        "case", "case__resident", "created_by__user", "updated_by__user"
    ).prefetch_related(
        Prefetch(
            "goals",
            queryset=Goal.objects.select_related("life_domain").prefetch_related(
                Prefetch("solutions", queryset=Solution.objects.order_by("level", "pk"))
            ),
        )
    )


def plan_versions(case) -> tuple[SupportPlan | None, list[SupportPlan]]:
    """The plan of `case` that counts now (the draft or the agreed version) and
    the older versions, newest first."""
    plans = list(plans_with_goals().filter(case=case).order_by("-number"))
    current = next((p for p in plans if p.status != SupportPlan.Status.SUPERSEDED), None)
    return current, [p for p in plans if p is not current]


@dataclass
class HouseholdOverview:
    """Everything of one household the user may see: "one household, one plan"."""

    household: object
    members: list
    cases: list
    questions: list
    provisions: list


def household_overview(user, municipality, household) -> HouseholdOverview | None:
    """The members, and as far as `user` may see them the cases (with their
    current plan), questions and provisions of `household`; None when they see
    none of its cases and questions (the household does not exist for them).
    A fixed number of queries."""
    cases = list(
        visible_cases(user, municipality)
        .filter(household=household)
        .select_related("resident", "team", "director__user")
        .prefetch_related(
            Prefetch(
                "plans",
                queryset=SupportPlan.objects.exclude(status=SupportPlan.Status.SUPERSEDED).order_by(
                    "-number"
                ),
                to_attr="current_plans",
            )
        )
        .order_by("-opened_on", "-pk")
    )
    questions = list(
        visible_questions(user, municipality)
        .filter(resident__household=household)
        .select_related("resident", "team", "case")
        .order_by("-received_at")
    )
    if not cases and not questions:
        return None
    return HouseholdOverview(
        household=household,
        members=list(Resident.objects.filter(household=household).order_by("date_of_birth", "pk")),
        cases=cases,
        questions=questions,
        provisions=list(
            # The decisions app's provisions, through the household's relation.
            household.provisions.filter(case__in=[c.pk for c in cases])
            .select_related("provision_type", "resident", "case")
            .order_by("-start_date", "-pk")
        ),
    )
