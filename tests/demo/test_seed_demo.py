import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict
from django.test import override_settings
from django_scopes import scope, scopes_disabled

from apps.accounts.models import User
from apps.decisions.models import ProvisionType
from apps.demo.management.commands.seed_demo import DEMO_PASSWORD
from apps.demo.work import STORIES
from apps.intake.models import (
    Household,
    IntakeSettings,
    LifeDomain,
    Question,
    QuestionForward,
    Resident,
    TriageRule,
)
from apps.intake.services import triage
from apps.intake.validators import is_valid_bsn
from apps.teams.models import Area, Membership, Organisation, Team
from apps.tenants.models import Municipality, StaffMember
from apps.tenants.permissions import Role, roles_for

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MODELS = [
    User,
    Municipality,
    StaffMember,
    Area,
    Organisation,
    Team,
    Membership,
    LifeDomain,
    IntakeSettings,
    TriageRule,
    Household,
    Resident,
    Question,
    QuestionForward,
    ProvisionType,
]


def seed():
    # The structure only: today's work has its own module (test_demo_work.py),
    # seeded once there.
    call_command("seed_demo", allow_without_debug=True, without_work=True)


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


def present_day():
    """The demo's hand-written questions of today, without Overbetuwe's 2015
    history (tests/demo/test_demo_history.py) and the generated working day
    (tests/demo/test_demo_work.py)."""
    return Question.objects.exclude(received_at__year=2015).exclude(
        description__in=[story.description for story in STORIES]
    )


@pytest.fixture(scope="module")
def demo_structure(django_db_setup, django_db_blocker):
    """The structure, seeded once for this module (committed) and flushed after
    its last test (the order: tests/demo/conftest.py)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        seed()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def seeded(demo_structure, db):
    """The seeded structure; a test changes it only inside its own transaction."""


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


# --- intake -----------------------------------------------------------------------


def test_overbetuwe_has_the_eleven_life_domains_of_its_report_and_others_the_zrm(seeded):
    from apps.demo.management.commands.seed_demo import OVERBETUWE_LIFE_DOMAINS
    from apps.intake.models import ZRM_LIFE_DOMAINS

    expected = {
        "Overbetuwe": OVERBETUWE_LIFE_DOMAINS,
        "Uithoorn": ZRM_LIFE_DOMAINS,
        "Ouder-Amstel": ZRM_LIFE_DOMAINS,
        "Steenwijkerland": ZRM_LIFE_DOMAINS,
    }
    assert len(OVERBETUWE_LIFE_DOMAINS) == 11
    for name, domains in expected.items():
        municipality = Municipality.objects.get(name=name)
        with scope(municipality=municipality):
            assert list(LifeDomain.objects.values_list("name", flat=True)) == domains


def test_overbetuwe_rules_send_veilig_thuis_and_youth_to_the_loket(seeded):
    overbetuwe = Municipality.objects.get(name="Overbetuwe")
    with scope(municipality=overbetuwe):
        rules = list(TriageRule.objects.order_by("position"))
        assert [(r.channel, r.is_youth, r.destination) for r in rules] == [
            ("veilig_thuis", None, "loket"),
            ("", True, "loket"),
        ]
        assert IntakeSettings.objects.get().default_destination == "area_team"


def test_overbetuwe_veilig_thuis_report_lands_at_the_loket(seeded):
    overbetuwe = Municipality.objects.get(name="Overbetuwe")
    with scope(municipality=overbetuwe):
        report = present_day().get(channel="veilig_thuis")
        assert report.team.name == "Loket Samenleven"
        assert report.triage_rule.name == "Meldingen Veilig Thuis altijd naar het loket"
        assert report.reported_by_other


def test_overbetuwe_phone_question_of_elst_lands_at_kernteam_elst(seeded):
    overbetuwe = Municipality.objects.get(name="Overbetuwe")
    with scope(municipality=overbetuwe):
        question = present_day().get(channel="telephone", area__name="Elst")
        assert question.team.name == "Kernteam Elst"
        assert question.triage_team == question.team
        assert question.triage_rule is None  # the default destination decided
        assert not question.is_youth
        assert question.investigation_deadline is not None  # a Wmo report
        # Randwijk, without a kernteam of its own, is served by Driel.
        walk_in = present_day().get(area__name="Randwijk")
        assert walk_in.team.name == "Kernteam Driel"


def test_overbetuwe_youth_question_is_forwarded_from_the_loket_with_a_reason(seeded):
    overbetuwe = Municipality.objects.get(name="Overbetuwe")
    with scope(municipality=overbetuwe):
        question = present_day().get(is_youth=True)
        assert question.youth_is_derived
        assert question.triage_team.name == "Loket Samenleven"
        forward = QuestionForward.objects.get(question=question)
        assert (forward.from_team.name, forward.to_team.name) == (
            "Loket Samenleven",
            "Kernteam Heteren",
        )
        assert forward.reason
        assert question.team.name == "Kernteam Heteren"


def test_demo_residents_have_valid_bsns_and_households(seeded):
    overbetuwe = Municipality.objects.get(name="Overbetuwe")
    with scope(municipality=overbetuwe):
        residents = list(Resident.objects.all())
        assert len(residents) >= 5
        assert all(is_valid_bsn(r.bsn) and r.bsn.startswith("9999") for r in residents)
        assert all(r.household_id for r in residents)
        bakker = Household.objects.get(name="Huishouden Bakker")
        assert bakker.members.count() == 2


@pytest.mark.parametrize(
    ("name", "area", "laws", "team"),
    [
        ("Uithoorn", "Thamerdal", [], "Sociaal Loket"),
        ("Ouder-Amstel", "Duivendrecht", [], "Zorgadviespunt"),
        ("Steenwijkerland", "Giethoorn", ["wmo"], "Gebiedsteam Jeugd en Wmo"),
        ("Steenwijkerland", None, ["jeugdwet"], "Gebiedsteam Jeugd en Wmo"),
        ("Steenwijkerland", "Vollenhove", ["participatiewet"], "Loket Steenwijkerland"),
    ],
)
def test_other_municipalities_triage_as_their_documents_describe(seeded, name, area, laws, team):
    municipality = Municipality.objects.get(name=name)
    with scope(municipality=municipality):
        outcome = triage(
            municipality=municipality,
            channel="telephone",
            is_youth=False,
            laws=laws,
            life_domains=[],
            area=Area.objects.get(name=area) if area else None,
        )
        assert outcome.team.name == team


def test_a_database_from_before_the_intake_gets_overbetuwes_own_life_domains(db):
    """The intake migration gave existing municipalities the ZRM defaults; while
    unused they make way for the report's list, and the demo questions load."""
    from apps.demo.management.commands.seed_demo import OVERBETUWE_LIFE_DOMAINS
    from apps.intake.services import life_domains_create_defaults

    with scopes_disabled():
        overbetuwe = Municipality.objects.create(name="Overbetuwe", cbs_code="GM1734")
    with scope(municipality=overbetuwe):
        life_domains_create_defaults(overbetuwe)
    seed()
    with scope(municipality=overbetuwe):
        assert list(LifeDomain.objects.values_list("name", flat=True)) == OVERBETUWE_LIFE_DOMAINS
        # The four demo questions, and the two behind the demo objections (#21 part 3).
        assert present_day().count() == 4 + 2


def test_life_domains_an_admin_changed_are_left_alone(db):
    with scopes_disabled():
        overbetuwe = Municipality.objects.create(name="Overbetuwe", cbs_code="GM1734")
    with scope(municipality=overbetuwe):
        LifeDomain.objects.create(municipality=overbetuwe, name="Eigen leefgebied")
    seed()
    with scope(municipality=overbetuwe):
        assert list(LifeDomain.objects.values_list("name", flat=True)) == ["Eigen leefgebied"]
        # The demo questions need the report's domains; they are skipped.
        assert not Question.objects.exists()


# --- decisions ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Overbetuwe", "Uithoorn", "Ouder-Amstel", "Steenwijkerland"])
def test_every_municipality_has_a_provision_catalogue_and_a_letter_sender(seeded, name):
    municipality = Municipality.objects.get(name=name)
    with scope(municipality=municipality):
        catalogue = {p.name: p for p in ProvisionType.objects.all()}
        settings = IntakeSettings.objects.get()
    assert {
        "Hulp bij het huishouden",
        "Rolstoel",
        "Leerlingenvervoer",
        "Begeleiding",
        "Jeugdhulp",
        "Schuldhulpverlening",
    } <= set(catalogue)
    household_help = catalogue["Hulp bij het huishouden"]
    assert (household_help.law, household_help.unit) == ("wmo", "hours_per_week")
    assert "2.3.5 Wmo 2015" in household_help.legal_basis
    assert not catalogue["Rolstoel"].end_date_required
    assert catalogue["Jeugdhulp"].law == "jeugdwet"
    assert (catalogue["Schuldhulpverlening"].law, catalogue["Schuldhulpverlening"].unit) == (
        "participatiewet",
        "trajectory",
    )
    assert name in settings.letter_sender and settings.postal_address and settings.phone


def test_overbetuwes_loket_consultant_decides_for_kernteam_elst(seeded):
    from apps.decisions.services import mandate_for

    overbetuwe = Municipality.objects.get(name="Overbetuwe")
    with scope(municipality=overbetuwe):
        elst = Team.objects.get(name="Kernteam Elst")
        consultant = elst.linked_loket_consultant
        assert consultant.user.email == "consulent@overbetuwe.demo.test"
        assert mandate_for(consultant, overbetuwe, "wmo") is not None
        assert mandate_for(consultant, overbetuwe, "jeugdwet") is not None
        assert mandate_for(consultant, overbetuwe, "participatiewet") is None


def test_an_admins_letter_sender_is_left_alone(seeded):
    overbetuwe = Municipality.objects.get(name="Overbetuwe")
    with scope(municipality=overbetuwe):
        IntakeSettings.objects.update(letter_sender="Eigen afzender")
    seed()
    with scope(municipality=overbetuwe):
        assert IntakeSettings.objects.get().letter_sender == "Eigen afzender"
