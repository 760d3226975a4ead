"""Who the user is costs one query per request (apps.accounts.access_version),
and nothing about it is ever stale: every change takes effect on the very next
request, also when the cache was away while it happened."""

import pickle
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from apps.accounts.models import AccessStamp
from apps.accounts.services import two_factor_remove
from apps.teams.models import Membership, Team
from apps.tenants.middleware import SESSION_KEY
from apps.tenants.models import StaffMember
from apps.tenants.services import api_token_revoke, staff_set_active
from tests.conftest import api_key_for, make_person
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

F, K = Membership.Function, Team.Kind

# The tables that say who the user is: the session, the account (with its access
# version), second-factor devices, municipalities, staff records, memberships, keys.
IDENTITY_TABLE = re.compile(
    r'^SELECT .*? FROM "(django_session|accounts_user|accounts_accessstamp|otp_\w+|'
    r'tenants_municipality|tenants_staffmember|teams_membership|tenants_apitoken)"',
    re.DOTALL,
)


def identity_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if IDENTITY_TABLE.match(q["sql"])]


@pytest.fixture
def membership(team_member, municipality):
    with scopes_disabled():
        return Membership.objects.get(staff_member__user=team_member)


@pytest.fixture
def inbox(membership):
    return f"/api/v1/questions/?team={membership.team_id}"


def roles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return response.json()["roles"]


def test_the_api_inbox_with_a_session_spends_one_query_on_the_user(client, team_member, inbox):
    client.force_login(team_member)
    assert client.get(inbox).status_code == 200  # fills the cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(inbox).status_code == 200
    found = identity_queries(ctx)
    # The session row, and the account with its access version; the device, the
    # municipality, the staff record and the memberships come from the cache
    # (before: six queries).
    assert len(found) == 2, found
    assert "django_session" in found[0]
    assert "accounts_accessstamp" in found[1]


def test_the_api_inbox_with_a_key_spends_one_query_on_the_user(team_member, municipality, inbox):
    _token, key = api_key_for(team_member, municipality)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(inbox).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(inbox).status_code == 200
    found = identity_queries(ctx)
    # The key with its municipality, person, account and access version (before: three).
    assert len(found) == 1, found
    assert "accounts_accessstamp" in found[0]


def test_the_inbox_page_spends_one_query_on_the_user_after_the_session(
    client, team_member, membership
):
    client.force_login(team_member)
    url = f"/intake/inbox/{membership.team_id}/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(identity_queries(ctx)) == 2


def test_an_inactive_account_ends_on_the_next_request(client, team_member):
    client.force_login(team_member)
    assert roles(client.get("/api/v1/me/"))
    team_member.is_active = False
    team_member.save(update_fields=["is_active"])
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_a_changed_password_ends_the_session_on_the_next_request(client, team_member):
    client.force_login(team_member)
    assert roles(client.get("/api/v1/me/"))
    team_member.set_password("een-heel-ander-wachtwoord-2026")
    team_member.save()
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_a_removed_authenticator_ends_the_second_factor_on_the_next_request(client, team_member):
    client.force_login(team_member)
    assert roles(client.get("/api/v1/me/"))
    two_factor_remove(user=team_member)  # a queryset delete: post_delete per device
    assert client.get("/api/v1/me/").status_code == 403


def test_an_ended_membership_counts_no_more_on_the_next_request(
    client, team_member, membership, inbox, municipality
):
    client.force_login(team_member)
    assert "team_member" in roles(client.get("/api/v1/me/"))
    assert client.get(inbox).status_code == 200
    with scope(municipality=municipality):
        membership.is_active = False
        membership.save()
    assert "team_member" not in roles(client.get("/api/v1/me/"))
    assert client.get(inbox).status_code == 403


def test_a_new_membership_counts_on_the_next_request(client, team_member, municipality):
    client.force_login(team_member)
    assert "loket_consultant" not in roles(client.get("/api/v1/me/"))
    with scope(municipality=municipality):
        staff = StaffMember.objects.get(user=team_member)
        loket = TeamFactory(municipality=municipality, kind=K.LOKET)
        MembershipFactory(
            municipality=municipality, staff_member=staff, team=loket, function=F.CONSULTANT
        )
    assert "loket_consultant" in roles(client.get("/api/v1/me/"))


def test_a_deactivated_team_counts_no_more_on_the_next_request(
    client, team_member, membership, municipality
):
    client.force_login(team_member)
    assert "team_member" in roles(client.get("/api/v1/me/"))
    with scope(municipality=municipality):
        team = membership.team
        team.is_active = False
        team.save()
    assert "team_member" not in roles(client.get("/api/v1/me/"))


def test_deactivated_access_ends_on_the_next_request(client, admin_user, team_member, municipality):
    client.force_login(team_member)
    assert roles(client.get("/api/v1/me/"))
    with scope(municipality=municipality):
        staff = StaffMember.objects.get(user=team_member)
        staff_set_active(actor=admin_user, staff=staff, is_active=False)
    assert client.get("/api/v1/me/").status_code == 403


def test_a_deactivated_municipality_ends_on_the_next_request(client, team_member, municipality):
    client.force_login(team_member)
    assert roles(client.get("/api/v1/me/"))
    municipality.is_active = False
    municipality.save()
    assert client.get("/api/v1/me/").status_code == 403


def test_a_revoked_key_is_refused_on_the_next_request(team_member, municipality):
    token, key = api_key_for(team_member, municipality)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert roles(api.get("/api/v1/me/"))
    with scope(municipality=municipality):
        api_token_revoke(actor=team_member, token=token)
    assert api.get("/api/v1/me/").status_code == 401


def test_an_expired_key_is_refused_on_the_next_request(team_member, municipality):
    token, key = api_key_for(team_member, municipality)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert roles(api.get("/api/v1/me/"))
    with scopes_disabled():
        type(token).objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    assert api.get("/api/v1/me/").status_code == 401


def test_a_change_while_the_cache_was_away_is_not_undone_when_it_returns(
    client, team_member, membership, municipality, settings
):
    client.force_login(team_member)
    assert "team_member" in roles(client.get("/api/v1/me/"))  # cached
    locmem = settings.CACHES
    # Redis gone: the fail-open cache answers empty and keeps nothing.
    settings.CACHES = {
        "default": {
            "BACKEND": "apps.core.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2},
        }
    }
    with scope(municipality=municipality):
        membership.is_active = False
        membership.save()
    assert "team_member" not in roles(client.get("/api/v1/me/"))  # from the database
    # Redis back with the entries of before the change: they are never asked for.
    settings.CACHES = locmem
    assert "team_member" not in roles(client.get("/api/v1/me/"))


def test_with_the_cache_away_every_request_reads_the_database(client, team_member, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client.force_login(team_member)
    assert "team_member" in roles(client.get("/api/v1/me/"))
    with CaptureQueriesContext(connection) as ctx:
        assert "team_member" in roles(client.get("/api/v1/me/"))
    # Fail closed: the device, the municipality, the staff record and the
    # memberships are read again, never skipped.
    tables = " ".join(identity_queries(ctx))
    for table in ("otp_totp_totpdevice", "tenants_municipality", "teams_membership"):
        assert table in tables


def test_one_person_in_two_municipalities_has_two_identities(
    client, team_member, municipality, other_municipality
):
    make_person(other_municipality, admin=True, user=team_member)
    client.force_login(team_member)
    session = client.session
    session[SESSION_KEY] = municipality.pk
    session.save()
    here = client.get("/api/v1/me/").json()
    session = client.session
    session[SESSION_KEY] = other_municipality.pk
    session.save()
    there = client.get("/api/v1/me/").json()
    assert here["municipality"]["id"] == municipality.pk
    assert "team_member" in here["roles"] and "municipality_admin" not in here["roles"]
    assert there["municipality"]["id"] == other_municipality.pk
    assert "municipality_admin" in there["roles"] and "team_member" not in there["roles"]


def test_the_cache_holds_the_identity_under_the_access_version(client, team_member):
    client.force_login(team_member)
    roles(client.get("/api/v1/me/"))
    version = AccessStamp.objects.get(user=team_member).version.hex
    keys = [k for k in cache._cache if f":{team_member.pk}:{version}:" in k]
    assert any(k.endswith(":municipalities") for k in keys), keys
    assert any(":identity:" in k for k in keys), keys


def test_a_membership_moved_to_another_person_counts_no_more_for_its_former_holder(
    client, team_member, membership, inbox, municipality
):
    """An admin corrects who holds a membership: the person it named loses it on
    their next request, also while their identity sits in the cache."""
    client.force_login(team_member)
    assert "team_member" in roles(client.get("/api/v1/me/"))
    other = make_person(municipality)
    with scope(municipality=municipality):
        membership.staff_member = StaffMember.objects.get(user=other)
        membership.save()
    assert "team_member" not in roles(client.get("/api/v1/me/"))
    assert client.get(inbox).status_code == 403


def test_a_device_moved_to_another_account_verifies_its_former_owner_no_more(
    client, team_member, municipality
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(team_member)
    assert roles(client.get("/api/v1/me/"))
    other = make_person(municipality)
    device = TOTPDevice.objects.get(user=team_member)
    device.user = other
    device.save()
    assert client.get("/api/v1/me/").status_code == 403


def test_the_cache_never_holds_a_second_factor_secret(client, team_member):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(team_member)
    roles(client.get("/api/v1/me/"))
    secret = TOTPDevice.objects.get(user=team_member).key
    # The cache's own entries (LocMemCache keeps them pickled under its made keys).
    stored = [pickle.loads(value) for key, value in cache._cache.items() if ":otp:" in key]  # noqa: S301
    assert [type(value).__name__ for value in stored] == ["VerifiedDevice"]
    assert secret not in repr(stored) and secret.encode() not in pickle.dumps(stored)


def test_an_entry_this_code_cannot_read_is_a_miss(client, team_member, monkeypatch):
    from apps.accounts import access_version

    client.force_login(team_member)
    roles(client.get("/api/v1/me/"))

    class OlderRelease:
        """Every entry unpickles into a class this code no longer has."""

        def get(self, key, default=None, version=None):
            raise ModuleNotFoundError("a class of an older release")

        def set(self, *args, **kwargs):
            pass

    monkeypatch.setattr(access_version, "cache", OlderRelease())
    assert "team_member" in roles(client.get("/api/v1/me/"))
