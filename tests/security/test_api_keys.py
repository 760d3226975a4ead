"""Keys that must not work, on every endpoint: a revoked key, an expired one, an
unknown one, one issued by someone else for a person, one of a person whose
access ended and one of a municipality that was switched off each get a 401
for every method (also when the request carries a logged-in session), change
nothing and are logged with the reason. A valid key of municipality B on A's
ids finds nothing (404).

The `api:` URL patterns are walked, so new endpoints are covered without an
update.
"""

import itertools
import logging
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from apps.tenants.models import ApiToken, StaffMember
from tests.conftest import api_key_for, make_person
from tests.factories import MunicipalityFactory
from tests.security.walk import EVERY_ROLE, create_hostile_world, database_state, portal_urls
from tests.test_tenancy_urls import iter_urls

METHODS = ("get", "post", "put", "patch", "delete")


def dead_keys(world) -> list[tuple[str, str]]:
    """(what is wrong with it, key) for every kind of key that must not work."""
    a, user = world.a, world.user
    now = timezone.now()
    keys = []
    revoked, revoked_key = api_key_for(user, a, actor=user)
    expired, expired_key = api_key_for(user, a, actor=user)
    # A key naming someone else as its issuer (the service never issues one; older
    # data or a bug elsewhere could).
    colleague = make_person(a, memberships=EVERY_ROLE)
    foreign, foreign_key = api_key_for(colleague, a)
    with scopes_disabled():
        ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=now)
        ApiToken.objects.filter(pk=expired.pk).update(expires_at=now - timedelta(minutes=1))
        ApiToken.objects.filter(pk=foreign.pk).update(created_by=user)
    keys += [("revoked", revoked_key), ("expired", expired_key)]
    keys.append(("unknown", "tgp_" + "x" * 43))
    keys.append(("issued by someone else", foreign_key))
    leaver = make_person(a, memberships=EVERY_ROLE)
    _, key = api_key_for(leaver, a)
    with scope(municipality=a):
        StaffMember.objects.filter(user=leaver).update(is_active=False)
    keys.append(("of a person whose access ended", key))
    closed = MunicipalityFactory(is_active=True)
    person = make_person(closed, admin=True, memberships=EVERY_ROLE)
    _, key = api_key_for(person, closed, actor=person)
    with scopes_disabled():
        type(closed).objects.filter(pk=closed.pk).update(is_active=False)
    keys.append(("of a municipality switched off", key))
    return keys


def test_a_dead_key_is_refused_by_every_endpoint_and_changes_nothing(db, caplog):
    world = create_hostile_world()
    keys = dead_keys(world)
    # A logged-in session does not rescue a request with a dead key.
    browser = world.sign_in()
    before = database_state()
    methods = itertools.cycle(METHODS)
    caplog.set_level(logging.WARNING, logger="apps.tenants.tokens")
    refused = []
    for name, url, _callback in portal_urls(world):
        if not name.startswith("api:") or name in {"api:schema", "api:docs", "api:redoc"}:
            continue
        for what, key in keys:
            method = next(methods)
            caplog.clear()
            response = getattr(browser, method)(
                url,
                {"name": "met een dode sleutel"},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {key}",
            )
            where = f"{method} {url} ({name}) with a key {what}"
            assert response.status_code == 401, f"{where}: {response.status_code}"
            assert response["WWW-Authenticate"] == "Token", where
            assert "detail" in response.json(), where
            logged = [r.getMessage() for r in caplog.records if r.name == "apps.tenants.tokens"]
            assert logged and "refused" in logged[0], f"{where}: not logged"
        refused.append(name)
    assert database_state() == before, "a request with a dead key changed something"
    assert {
        "api:me",
        "api:question-list",
        "api:question-detail",
        "api:question-forward",
        "api:resident-detail",
        "api:triage-rule-detail",
    } <= set(refused)


def test_the_refusal_says_why_in_the_log(db, caplog):
    world = create_hostile_world()
    caplog.set_level(logging.WARNING, logger="apps.tenants.tokens")
    api = APIClient()
    for what, key in dead_keys(world):
        caplog.clear()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api.get(reverse("api:me")).status_code == 401
        (record,) = [r for r in caplog.records if r.name == "apps.tenants.tokens"]
        reason = {
            "revoked": "revoked",
            "expired": "expired",
            "unknown": "unknown key",
            "issued by someone else": "issued by someone else",
            "of a person whose access ended": "access to the municipality ended",
            "of a municipality switched off": "municipality inactive",
        }[what]
        assert reason in record.getMessage(), (what, record.getMessage())
        assert key not in record.getMessage(), "the log holds the whole key"


def test_a_key_of_another_municipality_finds_nothing_of_a(db):
    world = create_hostile_world()
    b = MunicipalityFactory()
    person_b = make_person(b, admin=True, policy=True, memberships=EVERY_ROLE)
    _, key_b = api_key_for(person_b, b, actor=person_b)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key_b}")
    api.get(reverse("api:me"))  # the key's first use is recorded (last_used_at)
    before = database_state()
    checked = []
    object_urls = {name for name, kwargs, _callback in iter_urls() if kwargs}
    for name, url, _callback in portal_urls(world):
        if not name.startswith("api:") or name not in object_urls:
            continue
        statuses = {}
        for method in METHODS:
            response = getattr(api, method)(url, {"name": "overgenomen"}, format="json")
            statuses[method] = response.status_code
        assert set(statuses.values()) <= {404, 405}, f"{url} ({name}): {statuses}"
        assert 404 in statuses.values(), f"{url} ({name}) never looked the object up"
        checked.append(name)
    assert database_state() == before, "a key of B changed something in A"
    assert {"api:question-detail", "api:question-assign", "api:resident-detail"} <= set(checked)
