"""Security headers and the Content Security Policy on every page, session
expiry, and Django's password rules on the set-password page."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.conftest import make_person
from tests.factories import UserFactory
from tests.pages import every_url, is_html_page

PASSWORD = "a-Long-test-passw0rd"

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']}: no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_policy(response):
    csp = policy(response)
    where = response.request["PATH_INFO"]
    assert csp["default-src"] == ["'self'"], where
    assert csp["object-src"] == ["'none'"], where
    assert csp["base-uri"] == ["'self'"], where
    assert csp["form-action"] == ["'self'"], where
    assert csp["frame-ancestors"] == ["'none'"], where
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in csp[directive], (where, directive)
        assert "'unsafe-eval'" not in csp[directive], (where, directive)
        assert "'unsafe-hashes'" not in csp[directive], (where, directive)
    return csp


def assert_nothing_inline(response):
    html = response.content.decode()
    where = response.request["PATH_INFO"]
    assert not INLINE_SCRIPT.findall(html), f"{where}: inline <script>"
    assert not STYLE_ELEMENT.findall(html), f"{where}: <style> element"
    assert not STYLE_ATTRIBUTE.findall(html), f"{where}: style attribute"
    assert not HANDLER_ATTRIBUTE.findall(html), f"{where}: event handler attribute"


def test_every_page_has_the_strict_policy_and_nothing_inline(client, everything, municipality):
    user, objects = everything
    client.force_login(user)
    pages = []
    for name, url in every_url(objects, municipality):
        response = client.get(url)
        assert_strict_policy(response)
        if is_html_page(response):
            assert_nothing_inline(response)
            pages.append(name)
    assert {
        "core:start",
        "teams:team_overview",
        "teams:team_detail",
        "teams:config_home",
        "teams:team_edit",
        "teams:membership_create",
        "tenants:staff_list",
        "tenants:staff_edit",
        "tenants:api_tokens",
    } <= set(pages)


def test_login_and_error_pages_have_the_policy_and_nothing_inline(db, municipality):
    person = make_person(municipality)
    anonymous = Client()
    for url in ("/inloggen/", "/wachtwoord-vergeten/", "/wachtwoord-vergeten/verstuurd/"):
        response = anonymous.get(url)
        assert response.status_code == 200
        assert_strict_policy(response)
        assert_nothing_inline(response)
    invalid_link = anonymous.get("/wachtwoord-instellen/MQ/bad-token/")
    assert_strict_policy(invalid_link)
    assert_nothing_inline(invalid_link)
    missing = anonymous.get("/bestaat-niet/")
    assert missing.status_code == 404
    assert_strict_policy(missing)
    assert_nothing_inline(missing)
    # The second step and the lockout page.
    browser = Client()
    browser.post("/inloggen/", {"username": person.email, "password": PASSWORD})
    response = browser.get("/inloggen/tweestapsverificatie/instellen/")
    assert response.status_code == 200
    assert_strict_policy(response)
    assert_nothing_inline(response)
    for _ in range(5):
        locked = anonymous.post("/inloggen/", {"username": "x@example.test", "password": "x"})
    assert locked.status_code == 429
    assert_strict_policy(locked)
    assert_nothing_inline(locked)


def test_forbidden_page_has_the_policy(client, team_member):
    client.force_login(team_member)
    response = client.get("/beheer/medewerkers/")
    assert response.status_code == 403
    assert_strict_policy(response)
    assert_nothing_inline(response)


def test_admin_pages_have_the_policy(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for url in ("/platformbeheer/", "/platformbeheer/tenants/staffmember/"):
        response = client.get(url)
        assert response.status_code == 200
        assert_strict_policy(response)
        assert not INLINE_SCRIPT.findall(response.content.decode()), url


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_api_docs_run_only_their_own_inline_code_by_nonce(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    csp = assert_strict_policy(response)
    nonces = {v for v in csp["script-src"] if v.startswith("'nonce-")}
    assert len(nonces) == 1 and nonces == {v for v in csp["style-src"] if v.startswith("'nonce-")}
    nonce = nonces.pop()[len("'nonce-") : -1]
    html = response.content.decode()
    inline = INLINE_SCRIPT.findall(html) + re.findall(r"<style\b[^>]*>", html)
    assert inline and all(f'nonce="{nonce}"' in tag for tag in inline)
    assert "fonts.googleapis.com" not in html  # no third-party fonts
    assert not STYLE_ATTRIBUTE.findall(html)


def test_the_portal_pages_carry_no_nonce(client, admin_user):
    """A nonce only appears where a template asks for one (the API docs)."""
    client.force_login(admin_user)
    csp = policy(client.get("/"))
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]


def test_htmx_is_told_to_add_no_inline_styles(client, admin_user):
    client.force_login(admin_user)
    html = client.get("/").content.decode()
    assert '"includeIndicatorStyles": false' in html


def test_security_headers(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/", secure=True)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# --- sessions ----------------------------------------------------------------


def test_a_session_ends_after_thirty_minutes_without_a_request(client, admin_user):
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(admin_user)
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_every_request_gives_the_session_another_thirty_minutes(client, admin_user):
    client.force_login(admin_user)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get("/")
    expires = Session.objects.get().expire_date
    assert expires > timezone.now() + timedelta(minutes=29)


def test_the_session_expiry_is_written_at_most_once_a_minute(client, admin_user):
    """Not on every request (an UPDATE per page and API call): the inactivity
    timeout is pushed back when the last push is a minute old."""
    client.force_login(admin_user)
    client.get("/")
    written = Session.objects.get().expire_date
    Session.objects.update(expire_date=written - timedelta(minutes=10))
    client.get("/")  # within the minute: nothing written
    assert Session.objects.get().expire_date == written - timedelta(minutes=10)
    later = time.time() + django_settings.SESSION_REFRESH_SECONDS
    with mock.patch("apps.core.middleware.time.time", return_value=later):
        client.get("/")
    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=29)


def test_the_session_cookie_ends_with_the_browser_and_is_hidden_from_scripts(municipality):
    person = make_person(municipality)
    response = Client().post("/inloggen/", {"username": person.email, "password": PASSWORD})
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


# --- passwords -------------------------------------------------------------


def test_the_password_rules_are_djangos_own():
    names = [validator["NAME"] for validator in django_settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "django.contrib.auth.password_validation.MinimumLengthValidator",
        "django.contrib.auth.password_validation.CommonPasswordValidator",
        "django.contrib.auth.password_validation.NumericPasswordValidator",
    ]


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("Kort-1", "password_too_short"),
        ("482913570264", "password_entirely_numeric"),
        ("password1234", "password_too_common"),
        ("sanne.de.vries.42", "password_too_similar"),
    ],
)
def test_the_set_password_page_applies_the_password_rules(db, password, rule):
    user = UserFactory(email="sanne.de.vries.42@example.test", full_name="Sanne de Vries")
    before = user.password
    browser = Client()
    link = (
        f"/wachtwoord-instellen/{urlsafe_base64_encode(force_bytes(user.pk))}/"
        f"{default_token_generator.make_token(user)}/"
    )
    set_url = browser.get(link, follow=True).redirect_chain[-1][0]
    response = browser.post(set_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["new_password2"]
    assert rule in {error.code for error in errors}
    assert "Controleer de invoer" in response.content.decode()
    user.refresh_from_db()
    assert user.password == before
