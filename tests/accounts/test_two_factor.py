"""The second factor: every session that logged in with a password confirms it
with a code from an authenticator app (TOTP) before it reaches a page or the
API. These tests use a plain `django.test.Client`, whose `force_login` checks
only the password step (the `client` fixture also passes the second one)."""

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from apps.accounts.services import secret_for_display
from tests.conftest import api_key_for, make_person, totp_code
from tests.factories import UserFactory

PASSWORD = "a-Long-test-passw0rd"
VERIFY = "/inloggen/tweestapsverificatie/"
SETUP = "/inloggen/tweestapsverificatie/instellen/"


@pytest.fixture
def person(municipality):
    return make_person(municipality)


def with_app(user):
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def password_login(email, password=PASSWORD, next_url=None):
    browser = Client()
    data = {"username": email, "password": password}
    if next_url:
        data["next"] = next_url
    response = browser.post("/inloggen/", data, follow=True)
    return browser, response


def test_without_the_second_factor_no_page_is_reached(person):
    browser = Client()
    browser.force_login(person)
    for url in ("/", "/teams/", "/beheer/medewerkers/", "/geen-gemeente/"):
        response = browser.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY), url
    # A person without an app is sent on to set one up.
    response = browser.get("/teams/", follow=True)
    assert response.redirect_chain[-1][0] == f"{SETUP}?next=%2Fteams%2F"


def test_without_the_second_factor_the_api_answers_403_in_json(person):
    browser = Client()
    browser.force_login(person)
    response = browser.get("/api/v1/me/")
    assert response.status_code == 403
    assert "authenticator-app" in response.json()["detail"]
    assert browser.get("/api/v1/teams/").status_code == 403


def test_the_login_pages_stay_reachable_before_the_second_step(person):
    browser = Client()
    browser.force_login(person)
    for url in ("/wachtwoord-vergeten/", "/healthz", VERIFY):
        assert browser.get(url).status_code in (200, 302), url
    assert browser.get(SETUP).status_code == 200
    assert browser.post("/uitloggen/").status_code == 302
    assert "_auth_user_id" not in browser.session


def test_first_login_sets_up_the_app_and_then_reaches_pages_and_api(person):
    browser, response = password_login(person.email, next_url="/teams/")
    assert response.redirect_chain[-1][0] == f"{SETUP}?next=%2Fteams%2F"
    body = response.content.decode()
    assert "<svg" in body and 'class="portal-qr"' in body
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    assert secret_for_display(device) in body
    assert "no-store" in response["Cache-Control"]
    # Reloading shows the same secret (the app may have scanned it already).
    assert secret_for_display(device) in browser.get(SETUP).content.decode()
    assert TOTPDevice.objects.filter(user=person).count() == 1

    response = browser.post(SETUP, {"code": totp_code(device), "next": "/teams/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/teams/"
    assert "tweestapsverificatie is ingesteld" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert browser.get("/").status_code == 200
    assert browser.get("/api/v1/me/").status_code == 200


def test_a_later_login_asks_for_the_code(person):
    device = with_app(person)
    browser, response = password_login(person.email)
    assert response.redirect_chain[-1][0] == f"{VERIFY}?next=%2F"
    assert browser.get(SETUP)["Location"].startswith(VERIFY)  # no second app
    response = browser.post(VERIFY, {"code": totp_code(device), "next": "/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert browser.get("/api/v1/me/").status_code == 200


def test_passing_the_second_factor_gives_a_new_session_key(person):
    device = with_app(person)
    browser, _response = password_login(person.email)
    before = browser.cookies["sessionid"].value
    browser.post(VERIFY, {"code": totp_code(device)})
    assert browser.cookies["sessionid"].value != before


def test_a_wrong_code_is_refused_and_then_slowed_down(person):
    device = with_app(person)
    good = totp_code(device)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    browser, _response = password_login(person.email)
    response = browser.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert browser.get("/")["Location"].startswith(VERIFY)
    # Right after a wrong code even the right one waits (1, 2, 4 … seconds).
    response = browser.post(VERIFY, {"code": good})
    assert "Te veel onjuiste codes" in response.content.decode()
    assert browser.get("/").status_code == 302


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef"])
def test_a_code_that_is_no_six_digits_is_refused_with_a_message(person, code):
    with_app(person)
    browser, _response = password_login(person.email)
    response = browser.post(VERIFY, {"code": code})
    assert response.context["form"].errors["code"]
    assert browser.get("/").status_code == 302


def test_a_code_with_a_space_in_the_middle_is_accepted(person):
    device = with_app(person)
    browser, _response = password_login(person.email)
    code = totp_code(device)
    browser.post(VERIFY, {"code": f"{code[:3]} {code[3:]}"})
    assert browser.get("/").status_code == 200


def test_a_wrong_code_does_not_confirm_a_new_app(person):
    browser, _response = password_login(person.email)
    device = TOTPDevice.objects.get(user=person)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = browser.post(SETUP, {"code": wrong})
    assert "Deze code klopt niet" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert browser.get("/").status_code == 302


def test_next_only_leads_within_the_portal(person):
    device = with_app(person)
    browser, _response = password_login(person.email)
    response = browser.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_api_keys_need_no_second_factor(person, municipality):
    """Machine access: an API key is not a session and has no phone."""
    _token, key = api_key_for(person, municipality)
    assert not TOTPDevice.objects.filter(user=person).exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 200
    assert api.get("/api/v1/teams/").status_code == 200


def test_the_admin_needs_the_second_factor(db):
    platform_admin = UserFactory(is_superuser=True, is_staff=True)
    browser = Client()
    browser.force_login(platform_admin)
    response = browser.get("/platformbeheer/tenants/municipality/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    # The admin's own check, also without the middleware in front.
    request = RequestFactory().get("/platformbeheer/")
    request.user = platform_admin
    platform_admin.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    platform_admin.is_verified = lambda: True
    assert admin.site.has_permission(request)
    # With both factors the admin opens.
    device = with_app(platform_admin)
    browser.post(VERIFY, {"code": totp_code(device)})
    assert browser.get("/platformbeheer/tenants/municipality/").status_code == 200


def test_the_admin_login_page_is_the_portal_login(client, db):
    response = Client().get("/platformbeheer/login/?next=/platformbeheer/")
    assert response.status_code == 302
    assert response["Location"] == "/inloggen/?next=/platformbeheer/"
    platform_admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(platform_admin)
    assert client.get("/platformbeheer/login/")["Location"] == "/platformbeheer/"


def test_a_session_from_before_a_reset_cannot_set_up_a_new_app(client, person):
    """After the app is removed (a stolen phone), an open session has no
    second factor any more, and setting up a new app needs the password."""
    client.force_login(person)  # both factors
    assert client.get("/").status_code == 200
    TOTPDevice.objects.filter(user=person).delete()
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/inloggen/"
    assert "Log opnieuw in met uw wachtwoord" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not TOTPDevice.objects.filter(user=person).exists()


def test_the_second_step_pages_send_anonymous_visitors_to_login(db):
    for url in (VERIFY, SETUP):
        response = Client().get(url)
        assert response["Location"].startswith("/inloggen/?next=")


def test_the_second_step_hides_the_menu_and_the_switcher(person, other_municipality):
    make_person(other_municipality, user=person)
    browser, response = password_login(person.email)
    body = response.content.decode()
    assert "Uitloggen" in body
    assert "Hoofdmenu" not in body and "municipality-switch" not in body


def test_the_demo_can_switch_the_second_factor_off(person, settings):
    settings.OTP_REQUIRED = False  # only possible with DEBUG on (tests/core/test_settings.py)
    browser = Client()
    browser.force_login(person)
    assert browser.get("/").status_code == 200
    assert browser.get("/api/v1/me/").status_code == 200
