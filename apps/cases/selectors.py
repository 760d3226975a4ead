"""Reads of cases: the case lists, filtered by who may see which case.

Who may see and work on a case (docs/permissions.md, `case.view`) is
`apps.access.rules`: the owning team (members with a working function, and its
behavioural expert), the team's linked loket consultant, the loket once a
proposal is submitted, the director, and anyone the director shared it with (a
django-guardian grant). A policy advisor never. The list filter is one query
with `IN` and EXISTS, never guardian's `get_objects_for_user`, so it stays fast
with many cases and grants.
"""

from apps.access import rules
from apps.cases.models import Case

# The rule's names where the cases' callers find them (`apps.access.rules`).
CASE_VIEWING_FUNCTIONS = rules.CASE_VIEWING_FUNCTIONS
VIEW_CASE = rules.VIEW_CASE
can_view_case = rules.can_view_case
is_case_worker = rules.is_case_worker
is_linked_consultant = rules.is_linked_consultant
is_team_handler = rules.is_team_handler
is_coordinator_of = rules.is_coordinator_of


def visible_cases(user, municipality):
    """The cases of `municipality` that `user` may open (the rule:
    `apps.access.rules.visible_cases`)."""
    return rules.visible_cases(user, municipality, Case.objects.filter(municipality=municipality))


def case_list_qs(user, municipality):
    """The list rows: one query, whatever the number of cases."""
    return (
        visible_cases(user, municipality)
        .select_related("household", "resident", "team", "director__user")
        .order_by("-opened_on", "-pk")
    )
