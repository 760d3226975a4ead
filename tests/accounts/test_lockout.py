"""The login lock (django-axes): after AXES_FAILURE_LIMIT (5) failed logins an
account is locked for the cool-off (30 minutes), with a clear page; the
platform admin or an operator unlocks it."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import timezone

from apps.core.http import client_ip
from tests.conftest import make_person
from tests.factories import UserFactory

PASSWORD = "a-Long-test-passw0rd"
LOCKED = "Dit account is tijdelijk geblokkeerd"
WRONG = "Deze combinatie van e-mailadres en wachtwoord is niet bekend"


def attempt(client, email, password="not-the-password", **extra):  # noqa: S107
    return client.post("/inloggen/", {"username": email, "password": password}, **extra)


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def person(municipality):
    return make_person(municipality)


def fail(client, email, times, **extra):
    for _ in range(times):
        response = attempt(client, email, **extra)
    return response


def test_the_fifth_failure_locks_the_account_with_a_clear_message(client, person, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = attempt(client, person.email)
        assert response.status_code == 200
        assert WRONG in response.content.decode()
    response = attempt(client, person.email)
    assert response.status_code == 429
    body = response.content.decode()
    assert LOCKED in body
    assert "Probeer het over 30 minuten opnieuw" in body
    assert 'name="password"' in body  # the login page itself, with its form
    # Now even the right password is refused, with the same page.
    response = attempt(client, person.email, PASSWORD)
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not logged_in(client)


def test_changing_the_case_of_the_address_counts_as_the_same_account(client, person):
    variants = [person.email, person.email.upper(), person.email.title(), f" {person.email} "]
    for email in variants:
        attempt(client, email)
    response = attempt(client, person.email.capitalize())
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {person.email}


def test_an_unknown_address_is_locked_the_same_way(client, db):
    """The lock tells nothing about which accounts exist."""
    response = fail(client, "nobody@example.test", 5)
    assert response.status_code == 429 and LOCKED in response.content.decode()


def test_a_successful_login_starts_the_count_again(client, person):
    fail(client, person.email, 4)
    attempt(client, person.email, PASSWORD)
    assert logged_in(client)
    client.logout()
    response = fail(client, person.email, 4)
    assert response.status_code == 200


def test_the_lock_ends_after_the_cool_off(client, person):
    fail(client, person.email, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    attempt(client, person.email, PASSWORD)
    assert logged_in(client)


def test_locking_one_account_leaves_the_others_alone(client, person, municipality):
    colleague = make_person(municipality)
    fail(client, person.email, 5)
    attempt(client, colleague.email, PASSWORD)
    assert logged_in(client)


def test_an_operator_unlocks_with_axes_reset_username(client, person, capsys):
    fail(client, person.email, 5)
    call_command("axes_reset_username", person.email)
    assert "attempts removed" in capsys.readouterr().out
    attempt(client, person.email, PASSWORD)
    assert logged_in(client)


def test_the_platform_admin_sees_and_unlocks_in_the_admin(client, person):
    fail(Client(), person.email, 5)
    platform_admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(platform_admin)
    listing = client.get("/platformbeheer/axes/accessattempt/")
    assert listing.status_code == 200
    assert person.email in listing.content.decode()
    locked_row = AccessAttempt.objects.get(username=person.email)
    response = client.post(
        f"/platformbeheer/axes/accessattempt/{locked_row.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    other = Client()
    attempt(other, person.email, PASSWORD)
    assert logged_in(other)


def test_only_the_platform_admin_reaches_the_lock_records(client, person, admin_user):
    client.force_login(admin_user)  # a municipality admin
    assert client.get("/platformbeheer/axes/accessattempt/").status_code == 302


def test_by_default_the_lock_holds_from_every_client_address(client, person, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        attempt(client, person.email, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = attempt(client, person.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_optionally_the_lock_holds_for_one_client_address_only(client, person, settings):
    """AXES_LOCK_OUT_BY_USER_AND_IP=1: the combination of account and address,
    the address as the proxies in front report it (TRUSTED_PROXY_COUNT)."""
    settings.AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
    settings.TRUSTED_PROXY_COUNT = 1
    fail(client, person.email, 5, HTTP_X_FORWARDED_FOR="203.0.113.5")
    response = attempt(client, person.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert response.status_code == 429
    attempt(client, person.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert logged_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.1"),  # no proxy trusted: the header is the client's word
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # the first part was made up
        (2, "198.51.100.1, 203.0.113.5", "198.51.100.1"),
        (3, "203.0.113.5", "203.0.113.5"),
        (1, "", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
    ],
)
def test_client_address_follows_the_trusted_proxy_count(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_password_reset_mails_at_most_three_times_an_hour_and_always_says_the_same(client, person):
    pages = [
        client.post("/wachtwoord-vergeten/", {"email": person.email.upper()}) for _ in range(5)
    ]
    assert {page.status_code for page in pages} == {302}
    assert {page["Location"] for page in pages} == {"/wachtwoord-vergeten/verstuurd/"}
    assert len(mail.outbox) == 3
    unknown = client.post("/wachtwoord-vergeten/", {"email": "nobody@example.test"})
    assert unknown["Location"] == "/wachtwoord-vergeten/verstuurd/"


def test_the_reset_link_is_built_on_the_portal_address_not_on_the_requests_host(
    client, person, settings
):
    # A request with a forged Host header (one the proxy lets through) must not
    # mail a link to the attacker's site.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    client.post("/wachtwoord-vergeten/", {"email": person.email}, HTTP_HOST="evil.example")
    (message,) = mail.outbox
    assert "evil.example" not in message.body
    assert f"{settings.PORTAL_BASE_URL}/" in message.body


def test_the_reset_mail_budget_holds_with_the_cache_gone(client, person, settings):
    # The cache answers as an empty one while Redis is away (fail open): the
    # budget is counted in the database, so it does not open with it.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for _ in range(5):
        client.post("/wachtwoord-vergeten/", {"email": person.email})
    assert len(mail.outbox) == 3
