"""A small Overbetuwe for the loket's pages: the loket with a Wmo+Jeugdwet
consultant (linked to Kernteam Elst), a Jeugdwet-only consultant, a kernteam
member, and helpers that take a question through case and proposal with the
services."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope

from apps.cases import services as cases
from apps.decisions import services as decisions
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
def town(municipality):
    with scope(municipality=municipality):
        loket = TeamFactory(municipality=municipality, kind=Team.Kind.LOKET, name="Loket")
        elst = TeamFactory(municipality=municipality, kind=Team.Kind.KERNTEAM, name="Elst")
        driel = TeamFactory(municipality=municipality, kind=Team.Kind.KERNTEAM, name="Driel")
    member = make_person(municipality, memberships=[(elst, F.TEAM_MEMBER)])
    driel_member = make_person(municipality, memberships=[(driel, F.TEAM_MEMBER)])
    consultant = make_person(municipality, memberships=[(loket, F.CONSULTANT)])
    youth_consultant = make_person(municipality, memberships=[(loket, F.CONSULTANT)])
    with scope(municipality=municipality):
        Membership.objects.filter(staff_member__user=consultant).update(
            mandated_laws=["wmo", "jeugdwet"]
        )
        Membership.objects.filter(staff_member__user=youth_consultant).update(
            mandated_laws=["jeugdwet"]
        )
        elst.linked_loket_consultant = StaffMember.objects.get(user=consultant)
        elst.save()
        household_help = ProvisionTypeFactory(
            municipality=municipality,
            name="Hulp bij het huishouden",
            law="wmo",
            legal_basis="artikel 2.3.5 Wmo 2015",
        )
        youth_care = ProvisionTypeFactory(
            municipality=municipality, name="Jeugdhulp ambulant", law="jeugdwet"
        )
        domain = LifeDomainFactory(municipality=municipality, name="Huishouden")
    return {
        "m": municipality,
        "loket": loket,
        "elst": elst,
        "driel": driel,
        "member": member,
        "driel_member": driel_member,
        "consultant": consultant,
        "youth_consultant": youth_consultant,
        "household_help": household_help,
        "youth_care": youth_care,
        "domain": domain,
    }


def submitted_proposal(town, *, provision_type=None, team=None, actor=None, surname=None, **kw):
    """A question of `team` (Elst) taken through case, plan and a submitted proposal."""
    municipality = town["m"]
    team = team or town["elst"]
    actor = actor or town["member"]
    today = timezone.localdate()
    with scope(municipality=municipality):
        resident = ResidentFactory(
            municipality=municipality, first_names="Anna", surname=surname or "de Vries"
        )
        question = QuestionFactory(
            municipality=municipality, resident=resident, team=team, laws=["wmo"]
        )
        case = cases.case_open(actor=actor, question=question)
        plan = cases.plan_start(actor=actor, case=case)
        cases.goal_add(
            actor=actor,
            plan=plan,
            life_domain=town["domain"],
            description="Een schoon en veilig huis",
            expected_version=plan.version,
        )
        fields = {
            "volume": 3,
            "unit": "hours_per_week",
            "frequency": "per_week",
            "start_date": today,
            "end_date": today + timedelta(weeks=26),
            "motivation": "Mevrouw kan na haar heupoperatie niet meer zelf schoonmaken.",
            # #21 part 1: a grant needs a form of delivery.
            "delivery_form": "pgb",
            "budget_amount": 250,
            "budget_period": "per_month",
        }
        fields.update(kw)
        proposal = decisions.proposal_draft(
            actor=actor,
            case=case,
            provision_type=provision_type or town["household_help"],
            **fields,
        )
        return decisions.proposal_submit(actor=actor, proposal=proposal)
