"""One test per seed document (shared/seeds/000–004): the demo municipality is
organised as its document describes it. `seed_demo` runs once for tests/demo
(it takes a while; tests/demo/conftest.py); the idempotency test runs it a second
time, inside its own transaction."""

from datetime import date

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_scopes import scope, scopes_disabled

from apps.accounts.models import User
from apps.cases.models import Activity
from apps.teams.models import (
    Area,
    ExecutingOrganisation,
    Law,
    Membership,
    Organisation,
    Team,
    TeamLocation,
)
from apps.tenants.models import Municipality, StaffMember
from apps.tenants.permissions import Role, roles_for

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
COUNTED = [
    User,
    Municipality,
    StaffMember,
    Area,
    Organisation,
    ExecutingOrganisation,
    Team,
    TeamLocation,
    Membership,
    Activity,
]


@pytest.fixture
def seeded(demo_full, db):
    """The seeded demo (tests/demo/conftest.py; the test body may read it)."""


def municipality(cbs_code):
    return Municipality.objects.get(cbs_code=cbs_code)


def team_names(**filters):
    return set(Team.objects.filter(**filters).values_list("name", flat=True))


def test_000_loket_with_behavioural_expert_and_the_ended_spt(seeded):
    zuidwoude = municipality("GM9000")
    with scope(municipality=zuidwoude):
        loket = Team.objects.get(kind=Team.Kind.LOKET)
        assert loket.name == "'t Loket" and loket.is_active
        laws = set()
        for membership in Membership.objects.active().loket_consultants().filter(team=loket):
            laws |= set(membership.mandated_laws)
        assert laws == {Law.WMO, Law.JEUGDWET, Law.PARTICIPATIEWET}
        # The behavioural expert is linked directly to 't Loket, a few hours a week.
        expert = Membership.objects.get(function="behavioural_expert", is_active=True)
        assert expert.team == loket and expert.hours_per_week <= 16
        # Consulted by a consultant: an activity on a case of the loket.
        consultation = Activity.objects.get(kind=Activity.Kind.EXPERT_CONSULTATION)
        assert consultation.case.team == loket
        assert expert.staff_member in consultation.participants.all()
        # The SpT advised for two years and was ended, with its history kept.
        spt = Team.objects.get(name="Specialistisch Team (SpT)")
        assert spt.has_ended and spt.successor == loket
        assert (spt.started_on, spt.ended_on) == (date(2015, 3, 7), date(2017, 3, 7))
        assert spt.end_reason
        members = Membership.objects.filter(team=spt)
        assert members.count() == 4 and not members.filter(is_active=True).exists()
        assert set(members.values_list("ended_on", flat=True)) == {spt.ended_on}
    former = User.objects.get(email="spt@zuidwoude.demo.test")
    assert Role.FORMER_MEMBER in roles_for(former, zuidwoude)


def test_001_one_wijkteam_from_2020_replacing_three(seeded):
    oosterveen = municipality("GM9001")
    with scope(municipality=oosterveen):
        wijkteam = Team.objects.get(kind=Team.Kind.WIJKTEAM)
        assert wijkteam.started_on == date(2020, 1, 1) and wijkteam.access == "direct"
        assert team_names(is_active=True) == {"Wijkteam", "Wijkteam Toegang"}
        replaced = Team.objects.filter(is_active=False)
        assert set(replaced.values_list("name", flat=True)) == {
            "Team Sociale Ondersteuning",
            "Centrum voor Jeugd en Gezin",
            "Samenlevingsloket",
        }
        for team in replaced:
            assert team.ended_on == date(2019, 12, 31) and team.successor == wijkteam
        mothers = set(
            Membership.objects.filter(team=wijkteam, is_active=True).values_list(
                "organisation__name", flat=True
            )
        )
        assert {"Cardea", "Kwadraad", "MEE", "Welzijnskwartier"} <= mothers
        # One phone number, one e-mail address, walk-in at de Burgt and het Kwadrant.
        assert wijkteam.phone and wijkteam.email
        assert set(TeamLocation.objects.filter(team=wijkteam).values_list("name", flat=True)) == {
            "De Burgt",
            "Het Kwadrant",
        }
        # Who grants: the Wijkteam's own consultants, as a small loket team.
        toegang = Team.objects.get(name="Wijkteam Toegang")
        assert toegang.kind == Team.Kind.LOKET
        assert Membership.objects.active().loket_consultants().filter(team=toegang).exists()
    seconded = User.objects.get(email="wijkteamlid@oosterveen.demo.test")
    roles = roles_for(seconded, oosterveen)
    assert Role.FORMER_MEMBER in roles


def test_002_overbetuwe_kernteams_loket_and_lejo(seeded):
    overbetuwe = municipality("GM1734")
    with scope(municipality=overbetuwe):
        assert len(team_names(kind=Team.Kind.KERNTEAM)) == 6
        assert team_names(kind=Team.Kind.LOKET) == {"Loket Samenleven"}
        lejo = Team.objects.get(kind=Team.Kind.EXPERTISE)
        assert lejo.access == Team.Access.REFERRAL
        assert Membership.objects.filter(team=lejo, function="behavioural_expert").exists()
        # Randwijk and Valburg have no kernteam of their own.
        assert not Team.objects.filter(areas__name__in=["Randwijk", "Valburg"], kind="loket")


def test_003_duo_municipalities_and_duo_plus(seeded):
    diemen = municipality("GM0384")
    with scope(municipality=diemen):
        brede_hoed = Team.objects.get(name="Brede Hoed team")
        assert brede_hoed.access == Team.Access.DIRECT
        assert team_names(kind=Team.Kind.LOKET) == {
            "Team Maatschappelijke ondersteuning",
            "Team Sociale zaken",
        }
        sz = Membership.objects.active().loket_consultants().get(team__name="Team Sociale zaken")
        assert sz.mandated_laws == [Law.PARTICIPATIEWET]
        mo = (
            Membership.objects.active()
            .loket_consultants()
            .get(team__name="Team Maatschappelijke ondersteuning")
        )
        assert Law.PARTICIPATIEWET not in mo.mandated_laws
    # The DUO+ klantmanager's mandates per law, per municipality: the Sociaal
    # Loket of Uithoorn does all three laws; in Ouder-Amstel the Zorgadviespunt
    # Wmo and Jeugdwet, Werk & Inkomen the Participatiewet.
    with scopes_disabled():
        mandates = {
            (m.municipality.name, m.team.name): m.mandated_laws
            for m in Membership.objects.filter(
                staff_member__user__email="klantmanager@duoplus.demo.test"
            ).select_related("municipality", "team")
        }
    assert mandates == {
        ("Uithoorn", "Sociaal Loket"): [Law.WMO, Law.JEUGDWET, Law.PARTICIPATIEWET],
        ("Ouder-Amstel", "Zorgadviespunt"): [Law.WMO, Law.JEUGDWET],
        ("Ouder-Amstel", "Klantmanagers Werk & Inkomen"): [Law.PARTICIPATIEWET],
    }
    for cbs_code, loket, social in [
        ("GM0451", "Sociaal Loket", "Sociaal Team Uithoorn"),
        ("GM0437", "Zorgadviespunt", "Kernteam Ouder-Amstel"),
    ]:
        with scope(municipality=municipality(cbs_code)):
            assert Team.objects.get(name=loket).run_by.kind == Organisation.Kind.EXECUTING
            assert Team.objects.get(name=social).access == Team.Access.REFERRAL
    # DUO+ is one record, linked from each municipality it serves.
    duo_plus = ExecutingOrganisation.objects.get()
    assert duo_plus.name == "DUO+"
    with scopes_disabled():
        served = set(duo_plus.municipality_links.values_list("municipality__name", flat=True))
    assert served == {"Uithoorn", "Ouder-Amstel", "Diemen"}
    duo = User.objects.get(email="klantmanager@duoplus.demo.test")
    with scopes_disabled():
        assert set(
            StaffMember.objects.filter(user=duo).values_list("municipality__name", flat=True)
        ) == {"Uithoorn", "Ouder-Amstel"}


def test_004_steenwijkerland_one_gebiedsteam_with_a_shell(seeded):
    steenwijkerland = municipality("GM1708")
    with scope(municipality=steenwijkerland):
        gebiedsteam = Team.objects.get(kind=Team.Kind.GEBIEDSTEAM)
        assert gebiedsteam.access == Team.Access.DIRECT
        assert gebiedsteam.areas.count() == 4
        partners = set(Organisation.objects.filter(kind="partner").values_list("name", flat=True))
        assert {"Huisartsen", "Wijkverpleging", "Jeugdgezondheidszorg"} <= partners
        assert Organisation.objects.get(kind=Organisation.Kind.EXECUTING).name == "IGSD"


def counts():
    with scopes_disabled():
        return {model.__name__: model.objects.count() for model in COUNTED}


def test_a_second_run_changes_nothing(seeded):
    before = counts()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("seed_demo", allow_without_debug=True, verbosity=0)
    assert counts() == before
