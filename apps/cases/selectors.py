"""Reads of cases: the case lists, filtered by who may see which case.

Who may see and work on a case (docs/permissions.md, `case.view`) is
`apps.access.rules`: the owning team (members with a working function, and its
behavioural expert), the team's linked loket consultant, the loket once a
proposal is submitted, the director, and anyone the director shared it with (a
django-guardian grant). A policy advisor never. The list filter is one query
with `IN` and EXISTS, never guardian's `get_objects_for_user`, so it stays fast
with many cases and grants.
"""

from dataclasses import dataclass, fields
from operator import attrgetter

from django.db.models import Count, OuterRef, Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from apps.access import rules
from apps.cases.models import (
    Activity,
    ActivityNoteRevision,
    Assessment,
    AssessmentScore,
    Case,
    CaseUserObjectPermission,
    DirectorChange,
    FollowUp,
    Goal,
    Solution,
    SupportPlan,
    TeamChange,
)
from apps.cases.registry import case_sections
from apps.intake.models import Question, Resident
from apps.intake.selectors import visible_questions
from apps.intake.workflow import QUESTION_EDITABLE
from apps.teams.models import Membership
from apps.tenants.models import StaffMember


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


FOLLOW_UPS_SHOWN = 25


def due_follow_ups(user, municipality):
    """Check-ins that are due (today or earlier, not done) on closed cases the user
    directs or that belong to their teams: one query."""
    team_ids = rules.team_ids(user, municipality, rules.CASE_VIEWING_FUNCTIONS)
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


# --- one case: what its page and the API's case detail show ----------------------------


def case_record_prefetches() -> list[Prefetch]:
    """The case's own record besides its row: its questions (with their team and
    resident; newest first, the model's order), the changes of director, the
    follow-up check-ins and the shares. One query each; the case page
    (`case_contents`) and the API's case detail read them through these."""
    return [
        Prefetch("questions", queryset=Question.objects.select_related("team", "resident")),
        Prefetch(
            "director_changes",
            queryset=DirectorChange.objects.select_related(
                "from_director__user", "to_director__user", "by__user"
            ),
        ),
        Prefetch(
            "team_changes",
            queryset=TeamChange.objects.select_related(
                "from_team", "to_team", "to_director__user", "by__user"
            ),
        ),
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("done_by__user")),
        Prefetch(
            "user_grants",
            queryset=CaseUserObjectPermission.objects.select_related("user", "granted_by__user"),
        ),
    ]


def latest_zrm_scores(case) -> list[dict]:
    """Per life domain the latest score of the case's assessments, the one of the
    assessment before it and the change between them (`domain`, `score`,
    `previous`, `change`; None without an earlier assessment), in the order of
    the life domains. One query."""
    scores = (
        AssessmentScore.objects.filter(assessment__case=case)
        .select_related("assessment", "life_domain")
        .order_by("-assessment__assessed_on", "-assessment__pk")
    )
    latest, seen = {}, {}
    for score in scores:
        domain = score.life_domain_id
        if domain not in latest:
            latest[domain] = {"domain": score.life_domain, "score": score, "previous": None}
        elif latest[domain]["previous"] is None and seen.get(domain) != score.assessment_id:
            latest[domain]["previous"] = score
        seen.setdefault(domain, score.assessment_id)
    zrm = sorted(latest.values(), key=lambda row: (row["domain"].position, row["domain"].name))
    for row in zrm:
        prev = row["previous"]
        row["change"] = row["score"].score - prev.score if prev else None
    return zrm


@dataclass
class CaseContents:
    """Everything the case page shows of a case, besides the case itself. The
    sections of the apps above cases (`apps.cases.registry`) come in `sections`,
    under the context names their providers give."""

    members: list
    questions: list
    director_changes: list
    team_changes: list
    activities: list
    zrm: list
    assessments: list
    plans: list
    current_plan: SupportPlan | None
    follow_ups: list
    shares: list
    addable_questions: list
    sections: dict

    def as_context(self) -> dict:
        """The page's template context: the parts by their field names, the
        registered sections by theirs."""
        parts = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "sections"}
        return {**parts, **self.sections}

    def resident_ids(self) -> list[int]:
        """Every resident the page names: the household's members, and whose
        the questions, addable questions and the sections' rows (proposals,
        provisions) are. The page's access-log entry names them all, so each
        one's own overview shows that the case page showed them."""
        rows = [*self.questions, *self.addable_questions]
        for value in self.sections.values():
            if isinstance(value, list | tuple):
                rows.extend(value)
        ids = [member.pk for member in self.members]
        ids += [row.resident_id for row in rows if getattr(row, "resident_id", None)]
        return list(dict.fromkeys(ids))


def case_contents(case, user) -> CaseContents:
    """What `user` sees of `case` on its page, in a fixed number of queries. The
    questions are listed oldest first; those the user may not open (of another
    team, for a colleague the case was shared with) are marked `openable =
    False`, so the page shows them without a link that would end on "Geen
    toegang"."""
    prefetch_related_objects([case], *case_record_prefetches())
    questions = sorted(case.questions.all(), key=attrgetter("received_at", "pk"))
    visible = visible_questions(user, case.municipality)
    openable = set(visible.filter(case=case).values_list("pk", flat=True))
    for question in questions:
        question.openable = question.pk in openable
    plans = list(SupportPlan.objects.filter(case=case).order_by("-number"))
    return CaseContents(
        members=list(Resident.objects.filter(household_id=case.household_id).order_by("pk")),
        questions=questions,
        director_changes=list(case.director_changes.all()),
        team_changes=list(case.team_changes.all()),
        activities=list(
            Activity.objects.filter(case=case)
            .select_related("recorded_by__user")
            .prefetch_related(
                "participants__user",
                Prefetch(
                    "note_revisions",
                    queryset=ActivityNoteRevision.objects.select_related(
                        "written_by__user", "corrected_by__user"
                    ),
                ),
            )
            .order_by("-date", "-pk")
        ),
        zrm=latest_zrm_scores(case),
        assessments=list(
            Assessment.objects.filter(case=case)
            .select_related("assessed_by__user")
            .order_by("-assessed_on", "-pk")
        ),
        plans=plans,
        current_plan=next((p for p in plans if p.status != SupportPlan.Status.SUPERSEDED), None),
        follow_ups=list(case.follow_ups.all()),
        shares=list(case.user_grants.all()),
        addable_questions=list(
            visible.filter(resident__household_id=case.household_id, case__isnull=True)
            .exclude(status=Question.Status.CLOSED)
            .select_related("resident")
            .order_by("received_at")
        ),
        sections=case_sections(case, user),
    )


@dataclass(frozen=True)
class WorkOfMember:
    """The open work of one person in one team: the questions they handle and
    the cases they direct there (what a work reassignment moves)."""

    questions: list
    cases: list

    @property
    def keys(self) -> frozenset[str]:
        """The preview's fingerprint: what the coordinator saw is what moves."""
        return frozenset([f"q{q.pk}" for q in self.questions] + [f"c{c.pk}" for c in self.cases])


def work_of(*, team, staff_member, for_update: bool = False) -> WorkOfMember:
    """Two queries. `for_update`: the rows locked (in the caller's transaction),
    in a fixed order."""
    questions = Question.objects.filter(
        municipality=team.municipality,
        team=team,
        assigned_to=staff_member,
        status__in=QUESTION_EDITABLE,
    ).order_by("pk")
    cases = (
        Case.objects.filter(municipality=team.municipality, team=team, director=staff_member)
        .exclude(status=Case.Status.CLOSED)
        .order_by("pk")
    )
    if for_update:
        questions = questions.select_related("resident").select_for_update(of=("self",))
        cases = cases.select_related("resident", "municipality").select_for_update(of=("self",))
    else:
        questions = questions.select_related("resident")
        cases = cases.select_related("resident")
    return WorkOfMember(questions=list(questions), cases=list(cases))


@dataclass(frozen=True)
class Workload:
    """One person's open work in a team (the team's work page)."""

    staff_member: object
    questions: int
    cases: int
    is_member: bool


def team_workload(team) -> list[Workload]:
    """Who holds which open work in `team`: the questions they handle and the
    cases they direct, counted in SQL, with whether they are still an active
    member there (someone who left still shows while work waits for them).
    Four queries whatever the team's size."""
    questions = dict(
        Question.objects.filter(
            municipality=team.municipality,
            team=team,
            status__in=QUESTION_EDITABLE,
            assigned_to__isnull=False,
        )
        .values_list("assigned_to")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cases = dict(
        Case.objects.filter(municipality=team.municipality, team=team)
        .exclude(status=Case.Status.CLOSED)
        .values_list("director")
        .annotate(n=Count("pk"))
        .order_by()
    )
    members = set(
        Membership.objects.active()
        .filter(team=team, function__in=rules.HANDLING_FUNCTIONS)
        .values_list("staff_member_id", flat=True)
    )
    people = StaffMember.objects.filter(
        pk__in=set(questions) | set(cases) | members
    ).select_related("user")
    rows = [
        Workload(
            staff_member=person,
            questions=questions.get(person.pk, 0),
            cases=cases.get(person.pk, 0),
            is_member=person.pk in members,
        )
        for person in people
    ]
    return sorted(rows, key=lambda row: (row.is_member, row.staff_member.user.full_name))


@dataclass(frozen=True)
class TeamOpenWork:
    """What is still open at a team about to end: its open questions outside a
    case (those of a case go with the case) and its cases not closed."""

    questions: list
    cases: list

    @property
    def is_empty(self) -> bool:
        return not self.questions and not self.cases


def team_open_work(*, team, for_update: bool = False) -> TeamOpenWork:
    """Two queries. `for_update`: the rows locked (in the caller's transaction),
    in a fixed order."""
    questions = Question.objects.filter(
        municipality=team.municipality,
        team=team,
        case__isnull=True,
        status__in=QUESTION_EDITABLE,
    ).order_by("pk")
    cases = (
        Case.objects.filter(municipality=team.municipality, team=team)
        .exclude(status=Case.Status.CLOSED)
        .order_by("pk")
    )
    if for_update:
        questions = questions.select_related("resident").select_for_update(of=("self",))
        cases = cases.select_related("resident", "municipality").select_for_update(of=("self",))
    else:
        questions = questions.select_related("resident")
        cases = cases.select_related("resident")
    return TeamOpenWork(questions=list(questions), cases=list(cases))


def case_joins(case) -> list:
    """The shell partners asked to join the case, revoked ones included (the
    case page's history). One query."""
    return list(
        case.joins.select_related("staff_member__user", "asked_by__user", "revoked_by__user")
    )
