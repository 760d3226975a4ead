"""What intake adds to the start page and the menu (registered in IntakeConfig.ready;
assembled by apps.portal)."""

from django.db.models import Q

from apps.access import rules
from apps.core.registry import NavCount, StartBlock, head, register_nav_count, register_start_block
from apps.intake.models import Question
from apps.intake.selectors import new_question_count, visible_questions
from apps.teams.models import Membership
from apps.tenants.permissions import Action, Role


def gate_block(user, municipality, roles=None):
    """The gate clarifier's new questions (not yet taken up by anyone): those
    they registered and those waiting at a team where they clarify questions,
    the longest waiting first."""
    if roles is not None and Role.GATE_CLARIFIER not in roles:
        return None
    gates = rules.team_ids(user, municipality, [Membership.Function.GATE_CLARIFIER])
    return head(
        visible_questions(user, municipality)
        .filter(Q(received_by__user=user) | Q(team_id__in=gates), status=Question.Status.NEW)
        .select_related("resident", "team")
        .order_by("received_at", "pk")
    )


def register():
    register_start_block(
        StartBlock(key="gate", order=10, build=gate_block, residents=lambda block: block.rows)
    )
    register_nav_count(NavCount(key="inbox", action=Action.QUESTION_VIEW, count=new_question_count))
