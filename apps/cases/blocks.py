"""What cases adds to the start page (registered in CasesConfig.ready; assembled by
apps.portal)."""

from django.db.models import Count, F, Q

from apps.access import rules
from apps.cases.models import Case
from apps.cases.selectors import visible_cases
from apps.core.registry import StartBlock, head, register_start_block
from apps.intake.models import Question
from apps.intake.selectors import visible_questions
from apps.teams.models import Membership
from apps.tenants.permissions import Role


def coordinator_block(user, municipality, roles=None):
    """The caseload of the teams the user coordinates (open cases each member
    directs there) and their questions nobody has taken yet."""
    if roles is not None and Role.COORDINATOR not in roles:
        return None
    teams = rules.team_ids(user, municipality, [Membership.Function.COORDINATOR])
    directed = "staff_member__cases_directed"
    caseload = list(
        Membership.objects.active()
        .filter(team_id__in=teams, function__in=rules.HANDLING_FUNCTIONS)
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
    unassigned = head(
        visible_questions(user, municipality)
        .filter(team_id__in=teams, status=Question.Status.NEW, assigned_to__isnull=True)
        .select_related("resident", "team")
        .order_by("received_at", "pk")
    )
    return {"caseload": caseload, "unassigned": unassigned}


def shell_partner_block(user, municipality, roles=None):
    """A shell partner's (schil) work: the open cases they were asked to join
    and still take part in. Never the team's inbox or caseload."""
    if roles is not None and Role.SHELL_PARTNER not in roles:
        return None
    return {
        "cases": head(
            visible_cases(user, municipality)
            .filter(
                status__in=Case.OPEN_STATUSES,
                joins__staff_member__user=user,
                joins__revoked_at__isnull=True,
            )
            .distinct()
            .select_related("household", "team")
            .order_by("-pk")
        )
    }


def register():
    register_start_block(
        StartBlock(
            key="shell_partner",
            order=25,
            build=shell_partner_block,
            residents=lambda block: block["cases"].rows,
        )
    )
    register_start_block(
        StartBlock(
            key="coordinator",
            order=40,
            build=coordinator_block,
            residents=lambda block: block["unassigned"].rows,
        )
    )
