"""A team's contact data and walk-in locations (#19, seed 001): edited by the
municipality admin, shown on the team page, in the API's team and in letters;
the shared executing organisation (seed 003) is the platform admin's."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from apps.letters import services as letters
from apps.letters.placeholders import LetterKind
from apps.teams.models import ExecutingOrganisation, Membership, Organisation, Team, TeamLocation
from tests.conftest import api_key_for, make_person
from tests.factories import (
    ExecutingOrganisationFactory,
    LetterTemplateFactory,
    OrganisationFactory,
    QuestionFactory,
    TeamFactory,
    TeamLocationFactory,
)

F, K = Membership.Function, Team.Kind


@pytest.fixture
def wijkteam(municipality):
    with scope(municipality=municipality):
        return TeamFactory(municipality=municipality, name="Wijkteam", kind=K.WIJKTEAM)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def team_values(team, **changes):
    return {
        "name": team.name,
        "kind": team.kind,
        "access": team.access,
        "is_active": "on",
        "version": team.version,
        **changes,
    }


def test_admin_sets_phone_and_email_shown_on_the_team_page(admin_client, wijkteam, municipality):
    response = admin_client.post(
        f"/beheer/teams/{wijkteam.pk}/",
        team_values(wijkteam, phone="071 123 45 67", email="wijkteam@gemeente.test"),
    )
    assert response.status_code == 302
    with scope(municipality=municipality):
        wijkteam.refresh_from_db()
    assert (wijkteam.phone, wijkteam.email) == ("071 123 45 67", "wijkteam@gemeente.test")
    page = admin_client.get(f"/teams/{wijkteam.pk}/").content.decode()
    assert "071 123 45 67" in page and "mailto:wijkteam@gemeente.test" in page


@pytest.mark.parametrize("field,value", [("email", "geen-e-mailadres"), ("phone", "bel mij maar")])
def test_a_bad_email_or_phone_is_refused_naming_the_field(
    admin_client, wijkteam, municipality, field, value
):
    response = admin_client.post(
        f"/beheer/teams/{wijkteam.pk}/", team_values(wijkteam, **{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'href="#id_{field}"' in response.content.decode()
    with scope(municipality=municipality):
        wijkteam.refresh_from_db()
    assert getattr(wijkteam, field) == "" and wijkteam.version == 1


def test_admin_adds_a_walk_in_location_shown_on_the_team_page(admin_client, wijkteam, municipality):
    response = admin_client.post(
        "/beheer/inlooplocaties/nieuw/",
        {
            "team": wijkteam.pk,
            "name": "De Burgt",
            "address": "Burgtplein 1",
            "walk_in_hours": "maandag 9.00–12.00 uur",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    with scope(municipality=municipality):
        location = TeamLocation.objects.get()
    assert location.team == wijkteam and location.municipality == municipality
    assert "De Burgt" in admin_client.get("/beheer/inlooplocaties/").content.decode()
    page = admin_client.get(f"/teams/{wijkteam.pk}/").content.decode()
    assert "Burgtplein 1" in page and "maandag 9.00–12.00 uur" in page


def test_a_location_without_name_or_address_saves_nothing(admin_client, wijkteam, municipality):
    response = admin_client.post("/beheer/inlooplocaties/nieuw/", {"team": wijkteam.pk})
    assert response.status_code == 200
    assert {"name", "address"} <= set(response.context["form"].errors)
    assert 'id="error-summary"' in response.content.decode()
    with scope(municipality=municipality):
        assert not TeamLocation.objects.exists()


def test_a_second_location_with_the_same_name_is_refused_on_the_name(
    admin_client, wijkteam, municipality
):
    with scope(municipality=municipality):
        TeamLocationFactory(municipality=municipality, team=wijkteam, name="Het Kwadrant")
    response = admin_client.post(
        "/beheer/inlooplocaties/nieuw/",
        {"team": wijkteam.pk, "name": "het kwadrant", "address": "Elders 2", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    with scope(municipality=municipality):
        assert TeamLocation.objects.count() == 1


def test_a_concurrent_edit_of_a_location_is_refused(admin_client, wijkteam, municipality):
    with scope(municipality=municipality):
        location = TeamLocationFactory(municipality=municipality, team=wijkteam, name="De Burgt")
    values = {"team": wijkteam.pk, "address": "Burgtplein 1", "is_active": "on", "version": 1}
    url = f"/beheer/inlooplocaties/{location.pk}/"
    assert admin_client.post(url, {**values, "name": "De Burgt (zaal 1)"}).status_code == 302
    second = admin_client.post(url, {**values, "name": "De Burgt (zaal 2)"})
    assert second.status_code == 200
    assert "Iemand anders heeft dit gegeven intussen gewijzigd" in second.content.decode()
    with scope(municipality=municipality):
        location.refresh_from_db()
    assert location.name == "De Burgt (zaal 1)"


def test_a_location_of_another_municipality_does_not_exist(
    admin_client, municipality, other_municipality
):
    with scope(municipality=other_municipality):
        foreign = TeamLocationFactory(municipality=other_municipality)
    url = f"/beheer/inlooplocaties/{foreign.pk}/"
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"name": "x", "address": "y"}).status_code == 404


def test_only_the_municipality_admin_edits_locations(client, municipality, wijkteam):
    member = make_person(municipality, memberships=[(wijkteam, F.COORDINATOR)])
    with scope(municipality=municipality):
        location = TeamLocationFactory(municipality=municipality, team=wijkteam)
    client.force_login(member)
    for url in (
        "/beheer/inlooplocaties/",
        "/beheer/inlooplocaties/nieuw/",
        f"/beheer/inlooplocaties/{location.pk}/",
        f"/beheer/teams/{wijkteam.pk}/",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/beheer/inlooplocaties/{location.pk}/",
        {"team": wijkteam.pk, "name": "Overgenomen", "address": "x", "version": 1},
    )
    assert response.status_code == 403
    # The team page (with its locations) is for every staff member.
    assert client.get(f"/teams/{wijkteam.pk}/").status_code == 200


def test_the_location_list_costs_a_fixed_number_of_queries(
    admin_client, municipality, django_assert_max_num_queries
):
    def grow(n):
        with scope(municipality=municipality):
            TeamLocationFactory.create_batch(n, municipality=municipality)

    grow(2)
    with django_assert_max_num_queries(50) as small:
        assert admin_client.get("/beheer/inlooplocaties/").status_code == 200
    grow(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert admin_client.get("/beheer/inlooplocaties/").status_code == 200


def test_the_api_team_has_contact_data_and_locations(admin_user, municipality, wijkteam):
    with scope(municipality=municipality):
        TeamLocationFactory(municipality=municipality, team=wijkteam, name="De Burgt")
    _token, key = api_key_for(admin_user, municipality)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.patch(
        f"/api/v1/teams/{wijkteam.pk}/",
        {"phone": "071 123 45 67", "email": "wijkteam@gemeente.test", "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = api.get(f"/api/v1/teams/{wijkteam.pk}/").json()
    assert body["phone"] == "071 123 45 67" and body["email"] == "wijkteam@gemeente.test"
    assert [location["name"] for location in body["locations"]] == ["De Burgt"]
    bad = api.patch(f"/api/v1/teams/{wijkteam.pk}/", {"email": "geen", "version": 2}, format="json")
    assert bad.status_code == 400 and "email" in bad.json()


def test_a_letter_names_the_team_phone_email_and_walk_in_addresses(municipality, wijkteam):
    member = make_person(municipality, memberships=[(wijkteam, F.TEAM_MEMBER)])
    with scope(municipality=municipality):
        Team.objects.filter(pk=wijkteam.pk).update(phone="071 123 45 67", email="wt@gemeente.test")
        wijkteam.refresh_from_db()
        TeamLocationFactory(
            municipality=municipality,
            team=wijkteam,
            name="De Burgt",
            address="Burgtplein 1",
            walk_in_hours="maandag 9.00–12.00 uur",
        )
        TeamLocationFactory(municipality=municipality, team=wijkteam, name="Oud", is_active=False)
        LetterTemplateFactory(
            municipality=municipality,
            kind=LetterKind.ACKNOWLEDGEMENT,
            subject="Uw melding bij {team}",
            body="Bel {team_telefoon}, mail {team_email} of kom langs: {inloopadressen}.",
        )
        question = QuestionFactory(municipality=municipality, team=wijkteam, laws=["wmo"])
        preview = letters.letter_preview(
            actor=member, kind=LetterKind.ACKNOWLEDGEMENT, question=question
        )
    assert preview["subject"] == "Uw melding bij Wijkteam"
    assert preview["body"] == (
        "Bel 071 123 45 67, mail wt@gemeente.test of kom langs: "
        "De Burgt, Burgtplein 1 (maandag 9.00–12.00 uur)."
    )


# --- the shared executing organisation (DUO+) -----------------------------------------


def test_only_the_platform_admin_manages_executing_organisations(
    client, admin_user, municipality, other_municipality, django_user_model
):
    platform = django_user_model.objects.create_superuser(
        email="platform@example.test", password="x", full_name="Platform"
    )
    duo = ExecutingOrganisationFactory(name="DUO+")
    with scope(municipality=municipality):
        OrganisationFactory(
            municipality=municipality, name="DUO+", kind=Organisation.Kind.EXECUTING, shared=duo
        )
    url = reverse("admin:teams_executingorganisation_change", args=[duo.pk])
    client.force_login(admin_user)  # a municipality admin
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, {"name": "Overgenomen"}).status_code in (302, 403)
    duo.refresh_from_db()
    assert duo.name == "DUO+"
    client.force_login(platform)
    page = client.get(url)
    assert page.status_code == 200 and municipality.name in page.content.decode()
    with scopes_disabled():
        assert ExecutingOrganisation.objects.count() == 1


def test_a_municipality_sees_only_the_shared_name(admin_client, municipality, other_municipality):
    duo = ExecutingOrganisationFactory(name="DUO+")
    with scope(municipality=municipality):
        OrganisationFactory(
            municipality=municipality, name="DUO+", kind=Organisation.Kind.EXECUTING, shared=duo
        )
    with scope(municipality=other_municipality):
        OrganisationFactory(
            municipality=other_municipality,
            name="DUO+ Vestiging Elders",
            kind=Organisation.Kind.EXECUTING,
            shared=duo,
        )
    page = admin_client.get("/beheer/organisaties/").content.decode()
    assert "gedeeld met andere gemeenten: DUO+" in page
    assert "Vestiging Elders" not in page and other_municipality.name not in page


def test_only_an_executing_organisation_links_to_a_shared_one(municipality):
    duo = ExecutingOrganisationFactory(name="DUO+")
    with scope(municipality=municipality):
        mother = OrganisationFactory(municipality=municipality, kind="mother", shared=duo)
        with pytest.raises(Exception, match="uitvoeringsorganisatie"):
            mother.full_clean()


# --- the role table (docs/permissions.md, "Team contact data …") -------------------------


def person_with_role(municipality, role, team):
    if role == "municipality_admin":
        return make_person(municipality, admin=True)
    if role == "policy_advisor":
        return make_person(municipality, policy=True)
    if role == "former_member":
        with scope(municipality=municipality):
            ended = TeamFactory(municipality=municipality, name="Opgeheven team")
        person = make_person(municipality, memberships=[(ended, F.TEAM_MEMBER)])
        with scope(municipality=municipality):
            day = ended.started_on
            Team.objects.filter(pk=ended.pk).update(is_active=False, ended_on=day)
            Membership.objects.filter(team=ended).update(is_active=False, ended_on=day)
        return person
    function, kind = {
        "loket_consultant": (F.CONSULTANT, K.LOKET),
        "gate_clarifier": (F.GATE_CLARIFIER, K.LOKET),
        "team_member": (F.TEAM_MEMBER, None),
        "behavioural_expert": (F.BEHAVIOURAL_EXPERT, None),
        "coordinator": (F.COORDINATOR, None),
        "volunteer": (F.VOLUNTEER, None),
        "shell_partner": (F.SHELL_PARTNER, None),
    }[role]
    return make_person(municipality, memberships=[(kind or team, function)])


ROLES = [
    "municipality_admin",
    "policy_advisor",
    "loket_consultant",
    "gate_clarifier",
    "team_member",
    "behavioural_expert",
    "coordinator",
    "volunteer",
    "former_member",
    "shell_partner",
]


@pytest.mark.parametrize("role", ROLES)
def test_the_role_table_for_contact_data_and_locations(client, municipality, wijkteam, role):
    person = person_with_role(municipality, role, wijkteam)
    with scope(municipality=municipality):
        location = TeamLocationFactory(municipality=municipality, team=wijkteam)
    client.force_login(person)
    expected = 200 if role == "municipality_admin" else 403
    for url in (
        "/beheer/inlooplocaties/",
        "/beheer/inlooplocaties/nieuw/",
        f"/beheer/inlooplocaties/{location.pk}/",
        f"/beheer/teams/{wijkteam.pk}/",
    ):
        assert client.get(url).status_code == expected, (role, url)
    # Executing organisations of several municipalities: the platform admin only.
    assert client.get(reverse("admin:teams_executingorganisation_changelist")).status_code in (
        302,
        403,
    )
