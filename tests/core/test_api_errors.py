"""Errors the API gives outside a serializer: as JSON under /api/, with the
status codes the schema documents, and strict query parameters."""

import pytest
from django.test import override_settings
from django_scopes import scope
from rest_framework.test import APIClient

from tests.conftest import api_key_for
from tests.factories import TeamFactory


@pytest.fixture
def admin_api(admin_user, municipality):
    _, key = api_key_for(admin_user, municipality)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.fixture
def teams(municipality):
    with scope(municipality=municipality):
        return [
            TeamFactory(municipality=municipality, name="Actief 1"),
            TeamFactory(municipality=municipality, name="Actief 2"),
            TeamFactory(municipality=municipality, name="Opgeheven", is_active=False),
        ]


@pytest.mark.parametrize("path", ["/api/v1/teams/1.5/", "/api/v1/bestaat-niet/"])
def test_an_api_url_that_matches_no_route_gives_json_404(admin_api, path):
    response = admin_api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Niet gevonden."}


def test_a_page_url_that_matches_no_route_still_gives_the_page(client, db):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_a_server_error_under_api_is_json(admin_api, monkeypatch):
    from apps.tenants.api import views

    def broken(self, request):
        raise RuntimeError("stuk")

    monkeypatch.setattr(views.MeView, "get", broken)
    admin_api.raise_request_exception = False
    response = admin_api.get("/api/v1/me/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("value", ["abc", "0", "201", "-1", "1.5", "٣"])
def test_an_invalid_page_size_is_refused(admin_api, teams, value):
    response = admin_api.get("/api/v1/teams/", {"page_size": value})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_page_size_within_bounds_or_empty(admin_api, teams):
    assert len(admin_api.get("/api/v1/teams/", {"page_size": "2"}).json()["results"]) == 2
    assert len(admin_api.get("/api/v1/teams/", {"page_size": ""}).json()["results"]) == 3


def test_an_invalid_cursor_is_a_400_on_the_cursor(admin_api, teams):
    response = admin_api.get("/api/v1/teams/", {"cursor": "geen-cursor"})
    assert response.status_code == 400
    assert set(response.json()) == {"cursor"}


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("true", ["Actief 1", "Actief 2"]),
        ("1", ["Actief 1", "Actief 2"]),
        ("False", ["Opgeheven"]),
        ("", ["Actief 1", "Actief 2", "Opgeheven"]),
    ],
)
def test_boolean_filter(admin_api, teams, value, names):
    response = admin_api.get("/api/v1/teams/", {"is_active": value})
    assert response.status_code == 200
    assert sorted(t["name"] for t in response.json()["results"]) == names


def test_an_unreadable_boolean_filter_is_refused_not_ignored(admin_api, teams):
    response = admin_api.get("/api/v1/teams/", {"is_active": "nee"})
    assert response.status_code == 400
    assert "is_active" in response.json()


def test_the_schema_documents_the_error_responses(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    # 409: a change based on a stale `version`.
    assert set(paths["/api/v1/teams/{id}/"]["put"]["responses"]) == {
        "200",
        "400",
        "401",
        "403",
        "404",
        "409",
        "415",
        "429",
    }
    assert set(paths["/api/v1/teams/"]["post"]["responses"]) == {
        "201",
        "400",
        "401",
        "403",
        "415",
        "429",
    }
    # A list: 400 for its filters, 404 for an invalid cursor; empty filters are allowed.
    listing = paths["/api/v1/teams/"]["get"]
    assert {"400", "404"} <= set(listing["responses"])
    assert all(p["allowEmptyValue"] for p in listing["parameters"] if p["in"] == "query")
    page_size = next(p for p in listing["parameters"] if p["name"] == "page_size")
    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert "ValidationError" in schema["components"]["schemas"]
    assert set(paths["/api/v1/teams/"]["get"]["responses"]["200"]["content"]) == {
        "application/json"
    }
    error = paths["/api/v1/me/"]["get"]["responses"]["401"]["content"]["application/json"]
    assert error["schema"] == {"$ref": "#/components/schemas/ErrorDetail"}


def test_a_body_that_is_no_json_gets_a_documented_400(admin_api, client):
    response = admin_api.post("/api/v1/teams/", "\x00", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}
    schema = client.get("/api/v1/schema/?format=json").json()
    options = schema["components"]["schemas"]["ValidationError"]["additionalProperties"]["oneOf"]
    assert {"type": "string"} in options


def test_page_objects_of_custom_list_actions_are_not_documented_as_arrays(client, db):
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    for path in ("/api/v1/questions/", "/api/v1/residents/"):
        schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in schema, f"{path}: {schema}"
