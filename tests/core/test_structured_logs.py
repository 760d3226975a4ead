"""Structured logs: one JSON object per line with the request id, municipality
and user id of the request, and no personal data."""

import io
import json
import logging

import pytest
from django.test import Client

from apps.core.logging import JsonFormatter, RequestContextFilter, request_id_from, scrub


@pytest.fixture
def json_log():
    """The JSON lines the console handler of settings.LOGGING writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.django_db
def test_a_log_line_in_a_request_has_the_request_id_municipality_and_user_id(
    client, team_member, municipality, json_log
):
    client.force_login(team_member)

    response = client.get(
        f"/bestaat-niet/?q={team_member.email}", HTTP_X_REQUEST_ID="proxy-id-0123456789"
    )

    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-id-0123456789"
    lines = [line for line in json_log() if line["logger"] == "django.request"]
    assert lines, json_log()
    line = lines[-1]
    assert set(line) >= {"time", "level", "logger", "message", "request_id"}
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /bestaat-niet/"
    assert line["request_id"] == "proxy-id-0123456789"
    assert line["municipality_id"] == municipality.pk
    assert line["user_id"] == team_member.pk


@pytest.mark.django_db
def test_no_email_address_of_the_user_appears_in_the_log_of_a_failed_login(team_member, json_log):
    response = Client().post(
        _login_url(),
        {"username": team_member.email, "password": "niet-het-wachtwoord"},
    )

    assert response.status_code in (200, 403)
    lines = json_log()
    assert lines  # django-axes logged the failure
    text = "\n".join(json.dumps(line) for line in lines)
    assert team_member.email not in text
    assert team_member.email.split("@")[0] + "@" not in text
    assert all(line["request_id"] for line in lines if line["logger"].startswith("axes"))


def _login_url():
    from django.urls import reverse

    return reverse("accounts:login")


def test_every_response_carries_a_request_id_and_an_unsafe_incoming_one_is_replaced():
    first = Client().get("/healthz")
    second = Client().get("/healthz")
    forged = Client().get("/healthz", HTTP_X_REQUEST_ID="x\nlevel=ERROR user=jan@example.nl")

    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert "jan" not in forged["X-Request-ID"]
    assert len(forged["X-Request-ID"]) == 32


def test_request_id_keeps_only_short_safe_tokens():
    assert request_id_from("0f3c9a1e-6b2d-4f8e-9a7c-1d2e3f4a5b6c") == (
        "0f3c9a1e-6b2d-4f8e-9a7c-1d2e3f4a5b6c"
    )
    assert request_id_from("a" * 65) != "a" * 65
    assert request_id_from("short") != "short"
    assert request_id_from(None)


def test_log_lines_outside_a_request_have_no_request_context(json_log):
    logging.getLogger("apps.reporting").warning("report %s failed", 12)

    line = json_log()[-1]
    assert line["message"] == "report 12 failed"
    assert line["request_id"] is None
    assert line["municipality_id"] is None
    assert line["user_id"] is None


def test_scrub_removes_email_addresses_bsn_and_query_strings():
    text = scrub(
        "AXES: login failed username='jan.jansen@example.nl' bsn 123456782 "
        "GET /inwoners/?zoek=Jansen+Elst HTTP/1.1 report 42"
    )
    assert "jan.jansen" not in text
    assert "123456782" not in text
    assert "Jansen+Elst" not in text
    assert "/inwoners/?[query]" in text
    assert "report 42" in text
