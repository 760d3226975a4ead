"""Reads of cases: who may see and work on which case, and the case lists.

Access to a case (docs/permissions.md, `case.view`): the owning team (members
with a working function, and its behavioural expert), the team's linked loket
consultant, the loket once a proposal is submitted, the director, and anyone
the director shared it with (a django-guardian grant). A policy advisor never.
The list filter is one query with subqueries and EXISTS, never guardian's
`get_objects_for_user`, so it stays fast with many cases and grants.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from apps.cases.models import Case, CaseUserObjectPermission, FollowUp
from apps.intake.selectors import HANDLING_FUNCTIONS
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
