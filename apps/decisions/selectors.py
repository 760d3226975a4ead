"""Reads of the loket's pages: the review queue and the deadlines lists. Each
list is a fixed number of queries, whatever the number of rows."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from apps.access import rules
from apps.cases.models import FollowUp
from apps.cases.selectors import visible_cases
from apps.decisions.models import Objection, Proposal, Provision, ProvisionEvent
from apps.intake.models import Question
from apps.tenants.models import StaffMember

# Rows per list on one page; the pages say when there are more.
LIST_LIMIT = 100
# "Due soon": within this many days.
DUE_SOON_DAYS = 7


def staff_of(user, municipality) -> StaffMember | None:
    return StaffMember.objects.filter(municipality=municipality, user=user, is_active=True).first()


def _queue_rows():
    return Proposal.objects.filter(status=Proposal.Status.SUBMITTED).select_related(
        "case__household",
        "case__team",
        "resident",
        "provision_type",
        "assigned_consultant__user",
    )


@dataclass
class Queue:
    mine: list = field(default_factory=list)
    unassigned: list = field(default_factory=list)
    colleagues: list = field(default_factory=list)
    more: dict = field(default_factory=dict)


def review_queue(staff: StaffMember | None) -> Queue:
    """Submitted proposals by decision deadline: for me (I am the team's linked
    consultant), the loket's queue (no one yet), and those with colleagues."""
    queue = Queue()
    base = _queue_rows()
    parts = {
        "mine": base.filter(assigned_consultant=staff) if staff else base.none(),
        "unassigned": base.filter(assigned_consultant__isnull=True),
        "colleagues": base.filter(assigned_consultant__isnull=False).exclude(
            assigned_consultant=staff
        )
        if staff
        else base.filter(assigned_consultant__isnull=False),
    }
    for name, qs in parts.items():
        rows, more = _limited_by(qs, "decision_deadline")
        setattr(queue, name, rows)
        queue.more[name] = more
    return queue


def review_queue_head(limit: int, today: date | None = None) -> tuple[list, dict]:
    """For the start page: the first `limit` submitted proposals of the whole
    queue by decision deadline (so the overdue ones come first; one without a
    deadline last), and the counts of the queue (`submitted`, `overdue`). Two
    queries, whatever the size of the queue. Who may see it: as the queue page,
    `proposal.decide` (checked by the caller)."""
    today = today or timezone.localdate()
    rows = list(
        _queue_rows().order_by(F("decision_deadline").asc(nulls_last=True), "pk")[: limit + 1]
    )
    counts = Proposal.objects.filter(status=Proposal.Status.SUBMITTED).aggregate(
        submitted=Count("pk"), overdue=Count("pk", filter=Q(decision_deadline__lt=today))
    )
    return rows[:limit], {**counts, "more": len(rows) > limit}


def submitted_count() -> int:
    """The number of proposals in the loket's queue (the navigation shows it)."""
    return Proposal.objects.filter(status=Proposal.Status.SUBMITTED).count()


def my_team_ids(user, municipality) -> tuple[int, ...]:
    """The active teams where the user works on or reads cases."""
    return rules.team_ids(user, municipality, rules.CASE_VIEWING_FUNCTIONS)


@dataclass
class Deadlines:
    today: date
    horizon: date
    investigations: list
    decisions: list
    reassessments: list
    follow_ups: list
    more: dict


def deadlines_for(user, municipality, today: date | None = None) -> Deadlines:
    """What is overdue or due within a week for the user's teams (and, for a
    loket consultant, the loket): investigations of Wmo reports, decisions on
    proposals, re-assessments of granted provisions, follow-up check-ins."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    team_ids = my_team_ids(user, municipality)
    is_loket = rules.for_user(user, municipality).is_loket
    cases = visible_cases(user, municipality).values("pk")
    more = {}

    investigations, more["investigations"] = _limited_by(
        Question.objects.filter(
            team_id__in=team_ids,
            investigation_deadline__lte=horizon,
        )
        .exclude(status=Question.Status.CLOSED)
        .select_related("resident", "team", "assigned_to__user"),
        "investigation_deadline",
    )
    decision_rule = Q(case__team_id__in=team_ids)
    if is_loket:
        decision_rule = Q()  # the loket sees every proposal offered to it
    decisions, more["decisions"] = _limited_by(
        Proposal.objects.filter(
            decision_rule,
            status=Proposal.Status.SUBMITTED,
            decision_deadline__lte=horizon,
        ).select_related("case__team", "resident", "provision_type", "assigned_consultant__user"),
        "decision_deadline",
    )
    reassessments, more["reassessments"] = _limited_by(
        Provision.objects.filter(
            status__in=Provision.RUNNING,
            reassessment_due_since__isnull=False,
            case__in=cases,
        ).select_related("case__team", "resident", "provision_type", "decision"),
        "end_date",
    )
    follow_ups, more["follow_ups"] = _limited_by(
        FollowUp.objects.filter(
            done_on__isnull=True, due_on__lte=horizon, case__in=cases
        ).select_related("case__team", "case__household", "case__director__user"),
        "due_on",
    )
    return Deadlines(
        today=today,
        horizon=horizon,
        investigations=investigations,
        decisions=decisions,
        reassessments=reassessments,
        follow_ups=follow_ups,
        more=more,
    )


def _limited_by(qs, order):
    rows = list(qs.order_by(order, "pk")[: LIST_LIMIT + 1])
    return rows[:LIST_LIMIT], len(rows) > LIST_LIMIT


def proposal_review(proposal: Proposal) -> dict:
    """What the loket's review page shows beside the proposal: the support plan
    with its goals, the decisions so far (and the final one) and the changes of
    the decision deadline."""
    plan = proposal.plan
    goals = (
        list(plan.goals.select_related("life_domain").prefetch_related("solutions")) if plan else []
    )
    decisions = list(proposal.decisions.select_related("consultant__user").order_by("pk"))
    return {
        "plan": plan,
        "goals": goals,
        "decisions": decisions,
        "final": next((d for d in decisions if d.is_final), None),
        "deadline_changes": list(proposal.deadline_changes.select_related("by__user")),
    }


# --- #21 part 2: a provision's lifecycle ---------------------------------------------------


def provisions_with_history():
    """Provisions with what their pages and API show: the type, the decision that
    granted and the one that ended them, their events (with the decision of each).
    A fixed number of queries for any number of rows."""
    return Provision.objects.select_related(
        "provision_type", "resident", "decision", "ended_by"
    ).prefetch_related(
        Prefetch(
            "events",
            queryset=ProvisionEvent.objects.select_related("by__user", "decision").order_by(
                "at", "pk"
            ),
        )
    )


def resident_provisions(user, resident) -> list:
    """Every provision of `resident` (current and past) whose case the user may
    open: running first, then by start date, newest first."""
    rows = rules.visible_provisions(
        user, resident.municipality, provisions_with_history().filter(resident=resident)
    ).order_by("-start_date", "-pk")[:LIST_LIMIT]
    rows = list(rows)
    rows.sort(key=lambda p: not p.is_running)
    return rows


# --- objections (bezwaar, #21 part 3) ---------------------------------------------------


def _objection_rows(user, municipality):
    return rules.visible_objections(user, municipality, Objection.objects.all()).select_related(
        "decision__resident", "decision__provision_type", "decision__case__team"
    )


def open_objections(user, municipality) -> tuple[list, bool]:
    """The open objections the user sees, by deadline (and whether there are more)."""
    return _limited_by(
        _objection_rows(user, municipality).filter(status=Objection.Status.OPEN), "deadline"
    )


def objection_deadlines(user, municipality, today: date | None = None) -> tuple[list, bool]:
    """Open objections the user sees that are overdue or due within a week."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    return _limited_by(
        _objection_rows(user, municipality).filter(
            status=Objection.Status.OPEN, deadline__lte=horizon
        ),
        "deadline",
    )
