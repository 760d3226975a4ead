"""Objects of municipality A for the generic create-and-change walk
(tests/test_tenancy_urls.py): a case that user A directs, with a draft plan, a
goal and a solution, a draft proposal, a granted provision of the household,
and the extra request values the case and decision endpoints need."""

from datetime import timedelta

from django.utils import timezone
from django_scopes import scope

from apps.agenda.models import Appointment
from apps.cases.models import Case, Goal, Solution, SupportPlan
from apps.decisions.models import Proposal, Provision, ProvisionType
from apps.intake.models import Question, Resident
from apps.teams.models import Membership, Team
from apps.tenants.models import StaffMember
from tests.conftest import make_person
from tests.factories import (
    AppointmentFactory,
    CaseFactory,
    GoalFactory,
    ProposalFactory,
    ProvisionFactory,
    ProvisionTypeFactory,
    QuestionFactory,
    SolutionFactory,
    SupportPlanFactory,
    TeamFactory,
)


def case_objects_of_a(a, staff_a, own_team, life_domain):
    """({model: object of A}, {URL name: extra request values})."""
    F = Membership.Function
    colleague = make_person(a, memberships=[(own_team, F.TEAM_MEMBER)])
    outsider = make_person(a, memberships=[(Team.Kind.KERNTEAM, F.TEAM_MEMBER)])
    today = timezone.localdate().isoformat()
    with scope(municipality=a):
        case = CaseFactory(municipality=a, team=own_team, director=staff_a)
        plan = SupportPlanFactory(municipality=a, case=case, number=1, created_by=staff_a)
        goal = GoalFactory(municipality=a, plan=plan, life_domain=life_domain)
        provision_type = ProvisionTypeFactory(municipality=a)
        objects = {
            Case: case,
            Resident: case.resident,
            # A question of the case's household, not yet in a case.
            Question: QuestionFactory(municipality=a, team=own_team, resident=case.resident),
            SupportPlan: plan,
            Goal: goal,
            Solution: SolutionFactory(municipality=a, goal=goal),
            ProvisionType: provision_type,
            Proposal: ProposalFactory(
                municipality=a, case=case, plan=plan, provision_type=provision_type
            ),
            Provision: ProvisionFactory(
                municipality=a,
                decision__proposal__case=case,
                decision__proposal__provision_type=provision_type,
            ),
        }
        # The agenda: an appointment on the case, and a time to plan or move one to.
        objects[Appointment] = AppointmentFactory(municipality=a, case=case, organiser=staff_a)
        starts_at = timezone.now() + timedelta(days=2)
        times = {
            "starts_at": starts_at.isoformat(),
            "ends_at": (starts_at + timedelta(hours=1)).isoformat(),
        }
        # Starting a case needs a question of a household without an open case.
        new_question = QuestionFactory(municipality=a, team=own_team)
        url_values = {
            "api:case-list": {"question": new_question.pk},
            "api:activity-list": {"kind": "contact", "date": today},
            "api:assessment-list": {
                "assessed_on": today,
                "scores": [{"life_domain": life_domain.pk, "score": 3}],
            },
            "api:case-hand-over": {
                "to_director": StaffMember.objects.get(user=colleague, municipality=a).pk
            },
            "api:case-share": {
                "staff_member": StaffMember.objects.get(user=outsider, municipality=a).pk
            },
            "api:case-transfer": {**transfer_to(a), "reason": "Verhuisd"},
            "api:work-reassignment-list": work_to_move(a, staff_a),
            "api:plan-add-solution": {"level": 1},
            # (kind: a proposal of a provision; a withdrawal is #21 part 2's)
            "api:proposal-list": {
                "start_date": today,
                "motivation": "Voorwerk",
                "volume": "3",
                "delivery_form": "zin",
                "kind": "provision",
            },
            "api:proposal-detail": {
                "start_date": today,
                "motivation": "Voorwerk",
                "volume": "3",
                "delivery_form": "zin",
                "budget_amount": None,
                "budget_period": "",
                "kind": "provision",
            },
            "api:appointment-list": {"kind": "home_visit", **times},
            "api:appointment-detail": {"kind": "home_visit", **times},
        }
    return objects, url_values


def transfer_to(a) -> dict:
    """A team of A that takes a case over, with its new director there."""
    F = Membership.Function
    team = TeamFactory(municipality=a, kind=Team.Kind.KERNTEAM)
    director = make_person(a, memberships=[(team, F.TEAM_MEMBER)])
    with scope(municipality=a):
        return {
            "to_team": team.pk,
            "to_director": StaffMember.objects.get(user=director, municipality=a).pk,
        }


def work_to_move(a, staff_a) -> dict:
    """A colleague's open work in the team user A coordinates, and who takes it:
    the body of a work reassignment that succeeds."""
    F = Membership.Function
    with scope(municipality=a):
        team = Team.objects.get(
            memberships__staff_member=staff_a, memberships__function=F.COORDINATOR
        )
    leaving, taking = (make_person(a, memberships=[(team, F.TEAM_MEMBER)]) for _ in range(2))
    with scope(municipality=a):
        leaving = StaffMember.objects.get(user=leaving, municipality=a)
        question = QuestionFactory(
            municipality=a, team=team, assigned_to=leaving, status="in_progress"
        )
        case = CaseFactory(municipality=a, team=team, director=leaving)
        return {
            "team": team.pk,
            "from_staff": leaving.pk,
            "to_staff": StaffMember.objects.get(user=taking, municipality=a).pk,
            "reason": "Vertrekt",
            "questions": [question.pk],
            "cases": [case.pk],
        }
