"""A small world for the API tests of cases and decisions: a loket with a
mandated consultant, a kernteam linked to them with two members, a behavioural
expert, a policy advisor, a question at the kernteam, life domains and a
provision catalogue; and a case of another municipality."""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone
from django_scopes import scope
from rest_framework.test import APIClient

from apps.cases import services as cases
from apps.decisions import services as decisions
from apps.teams.models import Membership, Team
from apps.tenants.models import StaffMember
from tests.conftest import api_key_for, make_person
from tests.factories import (
    CaseFactory,
    LifeDomainFactory,
    ProposalFactory,
    ProvisionTypeFactory,
    QuestionFactory,
    ResidentFactory,
    TeamFactory,
)

F, K = Membership.Function, Team.Kind


def api_for(user, municipality):
    _token, key = api_key_for(user, municipality)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def staff(user, municipality):
    with scope(municipality=municipality):
        return StaffMember.objects.get(user=user, municipality=municipality)


def build_world(municipality, other_municipality):
    m = municipality
    with scope(municipality=m):
        loket = TeamFactory(municipality=m, kind=K.LOKET, name="Loket Samenleven")
        kernteam = TeamFactory(municipality=m, kind=K.KERNTEAM, name="Kernteam Elst")
        driel = TeamFactory(municipality=m, kind=K.KERNTEAM, name="Kernteam Driel")
    consultant = make_person(m, memberships=[(loket, F.CONSULTANT)])
    consultant2 = make_person(m, memberships=[(loket, F.CONSULTANT)])
    member = make_person(m, memberships=[(kernteam, F.TEAM_MEMBER)])
    colleague = make_person(m, memberships=[(kernteam, F.TEAM_MEMBER)])
    driel_member = make_person(m, memberships=[(driel, F.TEAM_MEMBER)])
    expert = make_person(m, memberships=[(kernteam, F.BEHAVIOURAL_EXPERT)])
    policy = make_person(m, policy=True)
    admin = make_person(m, admin=True)
    with scope(municipality=m):
        kernteam.linked_loket_consultant = staff(consultant, m)
        kernteam.save()
        resident = ResidentFactory(municipality=m, first_names="Anna", surname="de Vries")
        question = QuestionFactory(municipality=m, resident=resident, team=kernteam, laws=["wmo"])
        domains = [
            LifeDomainFactory(municipality=m, name=name, position=i)
            for i, name in enumerate(["Huisvesting", "Financiën", "Lichamelijke gezondheid"])
        ]
        household_help = ProvisionTypeFactory(
            municipality=m, name="Hulp bij het huishouden", law="wmo"
        )
        youth_care = ProvisionTypeFactory(municipality=m, name="Jeugdhulp", law="jeugdwet")
    with scope(municipality=other_municipality):
        foreign = SimpleNamespace(
            case=CaseFactory(municipality=other_municipality),
            provision_type=ProvisionTypeFactory(municipality=other_municipality),
            domain=LifeDomainFactory(municipality=other_municipality),
        )
        foreign.proposal = ProposalFactory(
            municipality=other_municipality,
            case=foreign.case,
            provision_type=foreign.provision_type,
        )
    return SimpleNamespace(
        municipality=m,
        loket=loket,
        kernteam=kernteam,
        driel=driel,
        consultant=consultant,
        consultant2=consultant2,
        member=member,
        colleague=colleague,
        driel_member=driel_member,
        expert=expert,
        policy=policy,
        admin=admin,
        resident=resident,
        question=question,
        domains=domains,
        household_help=household_help,
        youth_care=youth_care,
        foreign=foreign,
    )


def open_case(w, actor=None):
    with scope(municipality=w.municipality):
        return cases.case_open(actor=actor or w.member, question=w.question, title="Thuishulp")


def submitted_proposal(w, case=None, provision_type=None):
    case = case or open_case(w)
    today = timezone.localdate()
    with scope(municipality=w.municipality):
        proposal = decisions.proposal_draft(
            actor=w.member,
            case=case,
            provision_type=provision_type or w.household_help,
            volume=3,
            unit="hours_per_week",
            frequency="per_week",
            start_date=today,
            end_date=today + timedelta(weeks=52),
            motivation="Kan het huishouden niet meer aan.",
            delivery_form="pgb",
            budget_amount=250,
            budget_period="per_month",
        )
        return decisions.proposal_submit(actor=w.member, proposal=proposal)
