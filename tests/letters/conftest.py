"""A municipality with a Wmo melding at Kernteam Elst, and one person per role."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope

from apps.decisions.models import Proposal
from apps.intake.models import IntakeSettings
from apps.teams.models import Membership, Team
from tests.conftest import make_person
from tests.factories import (
    CaseFactory,
    ProposalFactory,
    ProvisionTypeFactory,
    QuestionFactory,
    ResidentFactory,
    TeamFactory,
)

F = Membership.Function
K = Team.Kind


@pytest.fixture
def town(municipality):
    m = municipality
    with scope(municipality=m):
        loket = TeamFactory(municipality=m, kind=K.LOKET, name="Loket")
        elst = TeamFactory(municipality=m, kind=K.KERNTEAM, name="Elst")
        driel = TeamFactory(municipality=m, kind=K.KERNTEAM, name="Driel")
        IntakeSettings.objects.update_or_create(
            municipality=m,
            defaults={
                "letter_sender": "Gemeente Testdorp, Loket Samenleven",
                "postal_address": "Postbus 11\n6660 AA Elst",
                "phone": "0481 362 300",
            },
        )
    people = {
        "team_member": make_person(m, memberships=[(elst, F.TEAM_MEMBER)]),
        "coordinator": make_person(m, memberships=[(elst, F.COORDINATOR)]),
        "loket_consultant": make_person(m, memberships=[(loket, F.CONSULTANT)]),
        "other_team_member": make_person(m, memberships=[(driel, F.TEAM_MEMBER)]),
        "gate_clarifier": make_person(m, memberships=[(loket, F.GATE_CLARIFIER)]),
        "behavioural_expert": make_person(m, memberships=[(elst, F.BEHAVIOURAL_EXPERT)]),
        "volunteer": make_person(m, memberships=[(elst, F.VOLUNTEER)]),
        "municipality_admin": make_person(m, admin=True),
        "policy_advisor": make_person(m, policy=True),
        "staff": make_person(m),
    }
    with scope(municipality=m):
        resident = ResidentFactory(
            municipality=m, first_names="Anna", surname="Brief-Ontvanger", street="Dorpsstraat 1"
        )
        question = QuestionFactory(
            municipality=m,
            team=elst,
            resident=resident,
            laws=["wmo"],
            received_at=timezone.now() - timedelta(days=2),
            investigation_deadline=timezone.localdate() + timedelta(weeks=6) - timedelta(days=2),
        )
        plain = QuestionFactory(municipality=m, team=elst, resident=resident, laws=[])
    return {"m": m, "elst": elst, "driel": driel, "question": question, "plain": plain, **people}


@pytest.fixture
def proposal(town):
    """An application for a Wmo provision of a case of Kernteam Elst, at the loket."""
    m = town["m"]
    today = timezone.localdate()
    with scope(municipality=m):
        case = CaseFactory(
            municipality=m,
            team=town["elst"],
            resident__first_names="Cor",
            resident__surname="Aanvrager",
        )
        return ProposalFactory(
            municipality=m,
            case=case,
            provision_type=ProvisionTypeFactory(municipality=m, name="Hulp bij het huishouden"),
            status=Proposal.Status.SUBMITTED,
            submitted_at=timezone.now() - timedelta(days=10),
            application_date=today - timedelta(days=10),
            decision_deadline=today + timedelta(days=3),
        )
