"""The whole path of the issue in services: a kernteam member takes a question
through case, home visit, ZRM, plan and proposal; the loket consultant grants
it and the letter is built; the kernteam member cannot decide."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_scopes import scope
from pypdf import PdfReader

from apps.cases import services as cases
from apps.cases.models import Activity, Case, Solution
from apps.decisions import services as decisions
from apps.decisions.models import Decision, DecisionLetter, Proposal, Provision
from apps.teams.models import Membership, Team
from apps.tenants.models import StaffMember
from tests.conftest import make_person
from tests.factories import (
    LifeDomainFactory,
    ProvisionTypeFactory,
    QuestionFactory,
    ResidentFactory,
    TeamFactory,
)

F = Membership.Function


@pytest.fixture
def world(municipality):
    with scope(municipality=municipality):
        loket = TeamFactory(municipality=municipality, kind=Team.Kind.LOKET, name="Loket")
        kernteam = TeamFactory(municipality=municipality, kind=Team.Kind.KERNTEAM, name="Elst")
    member = make_person(municipality, memberships=[(kernteam, F.TEAM_MEMBER)])
    consultant = make_person(municipality, memberships=[(loket, F.CONSULTANT)])
    with scope(municipality=municipality):
        consultant_staff = StaffMember.objects.get(user=consultant)
        kernteam.linked_loket_consultant = consultant_staff
        kernteam.save()
        resident = ResidentFactory(
            municipality=municipality, first_names="Anna", surname="de Vries-Testbrief"
        )
        question = QuestionFactory(
            municipality=municipality, resident=resident, team=kernteam, laws=["wmo"]
        )
        domains = [LifeDomainFactory(municipality=municipality) for _ in range(3)]
        provision_type = ProvisionTypeFactory(
            municipality=municipality, name="Hulp bij het huishouden", law="wmo"
        )
    return {
        "loket": loket,
        "kernteam": kernteam,
        "member": member,
        "consultant": consultant,
        "question": question,
        "domains": domains,
        "provision_type": provision_type,
    }


def test_kernteam_voorwerk_is_granted_by_the_loket_and_the_letter_is_a_pdf(
    municipality, world, django_capture_on_commit_callbacks
):
    member, consultant = world["member"], world["consultant"]
    today = timezone.localdate()
    with scope(municipality=municipality):
        case = cases.case_open(actor=member, question=world["question"])
        assert case.director.user == member
        assert case.household.members.filter(pk=world["question"].resident_id).exists()
        visit = cases.activity_record(
            actor=member,
            case=case,
            kind=Activity.Kind.HOME_VISIT,
            date=today,
            participants=list(StaffMember.objects.filter(user__in=[member, consultant])),
            note="Samen op bezoek.",
        )
        assert visit.is_joint and visit.joint_laws == ["wmo"]
        cases.assessment_record(
            actor=member,
            case=case,
            assessed_on=today,
            scores=dict.fromkeys(world["domains"], 2),
        )
        plan = cases.plan_start(actor=member, case=case)
        goal = cases.goal_add(
            actor=member,
            plan=plan,
            life_domain=world["domains"][0],
            description="Schoon huis",
            expected_version=plan.version,
        )
        plan.refresh_from_db()
        cases.solution_add(
            actor=member,
            goal=goal,
            level=Solution.Level.INDIVIDUAL_PROVISION,
            description="Huishoudelijke hulp",
            expected_version=plan.version,
        )
        plan.refresh_from_db()
        cases.plan_agree(actor=member, plan=plan, agreed_on=today, expected_version=plan.version)
        proposal = decisions.proposal_draft(
            actor=member,
            case=case,
            provision_type=world["provision_type"],
            volume=3,
            unit="hours_per_week",
            frequency="per_week",
            start_date=today,
            end_date=today + timedelta(weeks=52),
            motivation="Kan niet meer zelf schoonmaken.",
            delivery_form="pgb",
            budget_amount=250,
            budget_period="per_month",
        )
        assert proposal.is_voorwerk and proposal.plan == plan
        proposal = decisions.proposal_submit(actor=member, proposal=proposal)
        assert proposal.application_date == today
        assert proposal.decision_deadline == today + timedelta(weeks=2)
        assert proposal.assigned_consultant.user == consultant
        case.refresh_from_db()
        assert case.status == Case.Status.PROPOSAL_PENDING

        with pytest.raises(PermissionDenied):
            decisions.proposal_decide(actor=member, proposal=proposal, outcome="granted")
        assert not Decision.objects.exists()

        with django_capture_on_commit_callbacks(execute=True):
            decision = decisions.proposal_decide(
                actor=consultant, proposal=proposal, outcome="granted"
            )
        assert decision.via_voorwerk and decision.law == "wmo"
        assert Provision.objects.get(decision=decision).end_date == today + timedelta(weeks=52)
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.DECIDED
        letter = DecisionLetter.objects.get(decision=decision)
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(letter.file.read())).pages)
        # pypdf may split a word where the font kerns it: compare without spaces.
        squeezed = "".join(text.split())
        assert "deVries-Testbrief" in squeezed
        assert "Hulpbijhethuishouden" in squeezed
        assert "bezwaar" in squeezed
