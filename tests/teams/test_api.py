import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from apps.teams.models import Membership, Team
from apps.tenants.models import ApiToken
from apps.tenants.services import api_token_revoke, staff_set_active
from tests.conftest import api_key_for, make_person
from tests.factories import AreaFactory, MembershipFactory, TeamFactory

F, K = Membership.Function, Team.Kind


def token_client(user, municipality, days=30):
    token, key = api_key_for(user, municipality, days=days)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api, token


@pytest.fixture
def admin_api(admin_user, municipality):
    return token_client(admin_user, municipality)[0]


def test_token_is_stored_hashed_and_bound_to_its_municipality(admin_user, municipality):
    api, token = token_client(admin_user, municipality)
    key = api._credentials["HTTP_AUTHORIZATION"].split()[1]
    with scopes_disabled():
        assert not ApiToken.objects.filter(key_hash=key).exists()
    me = api.get("/api/v1/me/").json()
    assert me["municipality"]["cbs_code"] == municipality.cbs_code
    assert "municipality_admin" in me["roles"]


def test_list_shows_only_the_tokens_municipality(admin_api, municipality, other_municipality):
    with scope(municipality=municipality):
        TeamFactory(municipality=municipality, name="Kernteam Elst")
    with scope(municipality=other_municipality):
        TeamFactory(municipality=other_municipality, name="Sociaal Team Uithoorn")
    names = [t["name"] for t in admin_api.get("/api/v1/teams/").json()["results"]]
    assert names == ["Kernteam Elst"]


def test_a_person_of_two_municipalities_acts_in_the_tokens_one(municipality, other_municipality):
    user = make_person(municipality, memberships=[(K.LOKET, F.CONSULTANT)])
    make_person(other_municipality, user=user, admin=True)
    api, _ = token_client(user, municipality)
    me = api.get("/api/v1/me/").json()
    assert me["municipality"]["id"] == municipality.pk
    assert "municipality_admin" not in me["roles"]
    assert api.post("/api/v1/teams/", {"name": "X", "kind": "kernteam"}).status_code == 403


@pytest.mark.parametrize("state", ["expired", "revoked", "unknown", "staff_deactivated"])
def test_unusable_tokens_are_refused(admin_user, municipality, state):
    api, token = token_client(admin_user, municipality)
    with scope(municipality=municipality):
        if state == "expired":
            ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
        elif state == "revoked":
            api_token_revoke(actor=None, token=token)
        elif state == "unknown":
            api.credentials(HTTP_AUTHORIZATION="Token tgp_not-a-real-key")
        else:
            staff_set_active(actor=None, staff=token.staff_member, is_active=False)
    response = api.get("/api/v1/teams/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_anonymous_requests_are_refused(db):
    assert APIClient().get("/api/v1/teams/").status_code in (401, 403)


def test_create_team_through_the_api(admin_api, municipality):
    with scope(municipality=municipality):
        area = AreaFactory(municipality=municipality, name="Driel")
    response = admin_api.post(
        "/api/v1/teams/",
        {"name": "Kernteam Driel", "kind": "kernteam", "areas": [area.pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["areas"] == [area.pk]
    assert response.json()["version"] == 1
    with scope(municipality=municipality):
        assert Team.objects.get(name="Kernteam Driel").municipality == municipality


def test_bad_input_gets_a_message_per_field_and_saves_nothing(admin_api, municipality):
    response = admin_api.post("/api/v1/teams/", {"kind": "castle"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"name", "kind"}
    with scope(municipality=municipality):
        assert not Team.objects.exists()


def test_ids_of_another_municipality_in_the_body_do_not_exist(
    admin_api, municipality, other_municipality
):
    with scope(municipality=other_municipality):
        foreign_area = AreaFactory(municipality=other_municipality)
    response = admin_api.post(
        "/api/v1/teams/",
        {"name": "Team", "kind": "kernteam", "areas": [foreign_area.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "areas" in response.json()


def test_model_rules_come_back_as_field_errors(admin_api, municipality):
    with scope(municipality=municipality):
        team = TeamFactory(municipality=municipality, kind=K.KERNTEAM)
        staff = make_person(municipality).staff_memberships.get()
    response = admin_api.post(
        "/api/v1/memberships/",
        {
            "staff_member": staff.pk,
            "team": team.pk,
            "function": "consultant",
            "mandated_laws": ["wmo"],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "mandated_laws" in response.json()
    with scope(municipality=municipality):
        assert not Membership.objects.exists()


def test_stale_version_is_refused(admin_api, municipality):
    with scope(municipality=municipality):
        team = TeamFactory(municipality=municipality, name="Oud")
    first = admin_api.patch(
        f"/api/v1/teams/{team.pk}/", {"name": "Nieuw", "version": 1}, format="json"
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    second = admin_api.patch(
        f"/api/v1/teams/{team.pk}/", {"name": "Anders", "version": 1}, format="json"
    )
    assert second.status_code == 409
    assert "gewijzigd" in second.json()["detail"]
    with scope(municipality=municipality):
        team.refresh_from_db()
        assert team.name == "Nieuw"


def test_team_member_can_read_but_not_write(team_member, municipality):
    api, _ = token_client(team_member, municipality)
    assert api.get("/api/v1/memberships/").status_code == 200
    with scope(municipality=municipality):
        team = Team.objects.get()
    assert api.patch(f"/api/v1/teams/{team.pk}/", {"name": "X"}, format="json").status_code == 403
    assert api.delete(f"/api/v1/teams/{team.pk}/").status_code in (403, 405)


def test_membership_list_has_a_fixed_number_of_queries(
    admin_api, municipality, django_assert_max_num_queries
):
    with scope(municipality=municipality):
        MembershipFactory.create_batch(3, municipality=municipality)
    with django_assert_max_num_queries(30) as small:
        admin_api.get("/api/v1/memberships/")
    with scope(municipality=municipality):
        MembershipFactory.create_batch(20, municipality=municipality)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_api.get("/api/v1/memberships/")
    assert len(response.json()["results"]) == 23


def test_schema_is_served_and_documents_the_endpoints(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/teams/" in schema["paths"]
    assert "/api/v1/memberships/{id}/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    assert client.get("/api/v1/docs/").status_code == 200


def test_schema_generates_without_warnings(db, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "name: kind" in text  # filters are documented


def test_a_change_without_version_is_refused(admin_api, municipality):
    with scope(municipality=municipality):
        team = TeamFactory(municipality=municipality, name="Oud")
    response = admin_api.patch(f"/api/v1/teams/{team.pk}/", {"name": "Nieuw"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()
    with scope(municipality=municipality):
        team.refresh_from_db()
        assert team.name == "Oud"


def test_api_tokens_do_not_open_pages_or_the_admin(municipality):
    from tests.factories import UserFactory

    superuser = UserFactory(is_superuser=True, is_staff=True)
    make_person(municipality, user=superuser, admin=True)
    api, _ = token_client(superuser, municipality)
    assert api.get("/api/v1/me/").status_code == 200
    # On a page the header is ignored: the visitor is anonymous and must log in.
    assert api.get("/beheer/teams/").status_code == 302
    assert api.get("/platformbeheer/").status_code == 302
