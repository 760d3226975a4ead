import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict
from django_scopes import scope, scopes_disabled

from apps.accounts.models import User
from apps.core.management.commands.seed_demo import DEMO_PASSWORD
from apps.teams.models import Area, Membership, Organisation, Team
from apps.tenants.models import Municipality, StaffMember
from apps.tenants.permissions import Role, roles_for

MODELS = [User, Municipality, StaffMember, Area, Organisation, Team, Membership]


def seed():
    call_command("seed_demo", allow_without_debug=True)


def everything():
    with scopes_disabled():
        rows = {
            m.__name__: sorted(map(str, (model_to_dict(o) for o in m.objects.all())))
            for m in MODELS
        }
        rows["team_areas"] = sorted(
            (t.name, a.name) for t in Team.objects.all() for a in t.areas.all()
        )
    return rows


@pytest.fixture
def seeded(db):
    seed()


def test_running_twice_changes_nothing(seeded):
    before = everything()
    seed()
    assert everything() == before


def test_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


def test_overbetuwe_as_its_report_describes_it(seeded):
    overbetuwe = Municipality.objects.get(cbs_code="GM1734")
    with scope(municipality=overbetuwe):
        kernteams = set(Team.objects.filter(kind=Team.Kind.KERNTEAM).values_list("name", flat=True))
        assert kernteams == {
            "Kernteam Elst",
            "Kernteam Driel",
            "Kernteam Heteren",
            "Kernteam Zetten-Hemmen",
            "Kernteam Oosterhout/Slijk-Ewijk",
            "Kernteam Herveld-Andelst",
        }
        assert Team.objects.get(kind=Team.Kind.LOKET).name == "Loket Samenleven"
        elst = Team.objects.get(name="Kernteam Elst")
        assert [a.name for a in elst.areas.all()] == ["Elst"]
        assert elst.linked_loket_consultant.user.email == "consulent@overbetuwe.demo.test"
        orgs = set(
            Membership.objects.filter(team=elst).values_list("organisation__name", flat=True)
        )
        assert {"STUW", "MEE", "RIBW", "De Driestroom"} <= orgs
        assert Membership.objects.filter(team=elst, function="volunteer").count() == 6


def test_duo_plus_staff_serve_uithoorn_and_ouder_amstel_with_one_account(seeded):
    duo = User.objects.get(email="klantmanager@duoplus.demo.test")
    with scopes_disabled():
        municipalities = set(
            StaffMember.objects.filter(user=duo).values_list("municipality__name", flat=True)
        )
    assert municipalities == {"Uithoorn", "Ouder-Amstel"}
    for name in municipalities:
        assert Role.LOKET_CONSULTANT in roles_for(duo, Municipality.objects.get(name=name))


def test_uithoorn_social_team_is_referral_only_with_a_behavioural_expert(seeded):
    uithoorn = Municipality.objects.get(name="Uithoorn")
    with scope(municipality=uithoorn):
        team = Team.objects.get(name="Sociaal Team Uithoorn")
        assert team.access == Team.Access.REFERRAL
        expert = Membership.objects.get(team=team, function="behavioural_expert")
        assert expert.hours_per_week == 16
        assert (
            Membership.objects.filter(team=team, function__in=["case_director", "liaison"]).count()
            == 8
        )
        assert Team.objects.get(kind=Team.Kind.LOKET).run_by.name == "DUO+"


def test_steenwijkerland_has_one_gebiedsteam_with_shell_partners(seeded):
    steenwijkerland = Municipality.objects.get(name="Steenwijkerland")
    with scope(municipality=steenwijkerland):
        assert Team.objects.filter(kind=Team.Kind.GEBIEDSTEAM).count() == 1
        partners = Organisation.objects.filter(kind=Organisation.Kind.PARTNER)
        assert {"Huisartsen", "Woningcorporaties", "Wijkverpleging"} <= set(
            partners.values_list("name", flat=True)
        )


ROLE_LOGINS = [
    Role.MUNICIPALITY_ADMIN,
    Role.POLICY_ADVISOR,
    Role.LOKET_CONSULTANT,
    Role.GATE_CLARIFIER,
    Role.TEAM_MEMBER,
    Role.BEHAVIOURAL_EXPERT,
    Role.COORDINATOR,
    Role.VOLUNTEER,
]


@pytest.mark.parametrize("name", ["Overbetuwe", "Uithoorn", "Ouder-Amstel", "Steenwijkerland"])
def test_every_role_has_a_demo_login_in_every_municipality(seeded, client, name):
    municipality = Municipality.objects.get(name=name)
    with scopes_disabled():
        users = [s.user for s in StaffMember.objects.filter(municipality=municipality)]
    covered = set()
    for user in users:
        if user.check_password(DEMO_PASSWORD):
            covered |= roles_for(user, municipality)
    assert set(ROLE_LOGINS) <= covered


def test_demo_user_logs_in_and_sees_the_start_page(seeded, client, settings):
    settings.OTP_REQUIRED = False  # as in `make run` (DEBUG on): no authenticator app needed
    response = client.post(
        "/inloggen/",
        {"username": "kernteamlid@overbetuwe.demo.test", "password": DEMO_PASSWORD},
        follow=True,
    )
    body = response.content.decode()
    assert "U werkt in de gemeente Overbetuwe" in body
    assert "Kernteam Elst" in body
