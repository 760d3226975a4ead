"""Forged CSRF: every URL of the portal refuses a POST without a valid CSRF token
(none; a wrong one; the right one, but sent from another site) with the
portal's own 403 page, logs it, and changes nothing. The API refuses a write by
a logged-in session without the token; a write with an API key needs none.

Every URL is walked (a POST to a page that only reads is refused just the same,
before the view runs), so a new page or endpoint is covered without an update.
The three forgeries take turns over the URLs: the check is the same middleware
for every URL, what a URL can get wrong is being exempt from it (which is also
checked without a request). The platform admin's URLs are checked for that
exemption; of those, the ones without an object id are also posted to.
"""

import itertools
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from tests.security.walk import create_hostile_world, database_state, portal_urls
from tests.test_tenancy_urls import body_of, iter_urls

ATTACKER = "https://aanvaller.example"
# What the forms post, were the token not missing: enough to change something.
FORGED_DATA = {"name": "Vervalst", "direction": "up", "version": "1", "municipality": "1"}


def forgeries(browser):
    """(what, extra request arguments) for each forged POST."""
    secret = browser.cookies[settings.CSRF_COOKIE_NAME].value
    return [
        ("no token", {}),
        ("a wrong token", {"csrfmiddlewaretoken": "x" * len(secret)}),
        ("the right token from another site", {"csrfmiddlewaretoken": secret, "ORIGIN": ATTACKER}),
    ]


def forged_post(browser, url, extra):
    data = dict(FORGED_DATA)
    headers = {}
    if "csrfmiddlewaretoken" in extra:
        data["csrfmiddlewaretoken"] = extra["csrfmiddlewaretoken"]
    if "ORIGIN" in extra:
        headers["HTTP_ORIGIN"] = extra["ORIGIN"]
    return browser.post(url, data, **headers)


# Exempt on purpose, each for its reason. The calendar feed is no page: a GET-only
# text/calendar answer to a calendar app, authenticated by the secret in its URL,
# with no session and no change of state; exempt so that Django's CSRF refusal of
# a POST never writes that secret to the log (apps.agenda.views.FeedView).
EXEMPT_ON_PURPOSE = {"agenda:feed"}


def test_no_page_is_exempt_from_the_csrf_check():
    exempt = [
        name
        for name, _kwargs, callback in iter_urls()
        if not name.startswith("api:") and getattr(callback, "csrf_exempt", False)
    ]
    assert set(exempt) <= EXEMPT_ON_PURPOSE, f"exempt from CSRF checks: {exempt}"


def test_what_is_exempt_on_purpose_changes_nothing():
    """The exempt views answer reads only: any other method is refused."""
    for name, _kwargs, callback in iter_urls():
        if name in EXEMPT_ON_PURPOSE:
            allowed = set(callback.view_class.http_method_names)
            assert allowed <= {"get", "head", "options"}, f"{name}: {sorted(allowed)}"


def test_every_page_refuses_a_forged_post_and_changes_nothing(db, caplog):
    world = create_hostile_world()
    browser = world.sign_in(enforce_csrf_checks=True)
    assert settings.CSRF_COOKIE_NAME in browser.cookies, "the start page set no CSRF cookie"
    before = database_state()
    refused, kinds = [], itertools.cycle(forgeries(browser))
    caplog.set_level(logging.WARNING, logger="django.security.csrf")
    for name, url, _callback in portal_urls(world, skip_namespaces=("api",)):
        if name.startswith("admin:") and url_has_kwargs(name):
            continue
        what, extra = next(kinds)
        caplog.clear()
        response = forged_post(browser, url, extra)
        assert response.status_code == 403, f"POST {url} ({name}) with {what}: {response}"
        assert "403_csrf.html" in [t.name for t in response.templates], (
            f"POST {url} ({name}) with {what}: refused, but not as a CSRF failure"
        )
        assert any(r.name == "django.security.csrf" for r in caplog.records), (
            f"POST {url} ({name}) with {what}: refused without a log line"
        )
        refused.append(name)
    assert database_state() == before, "a forged POST changed something"
    # The forged logout did not log the person out.
    assert browser.get(reverse("core:start")).status_code == 200
    assert {
        "accounts:login",
        "accounts:logout",
        "core:switch_municipality",
        "tenants:api_tokens",
        "tenants:api_token_revoke",
        "tenants:staff_deactivate",
        "intake:question_register",
        "intake:question_forward",
        "intake_config:triage_rule_move",
        "admin:index",
    } <= set(refused)


def url_has_kwargs(name) -> bool:
    return any(kwargs for n, kwargs, _callback in iter_urls() if n == name)


def test_the_csrf_page_is_in_dutch_and_the_token_is_what_was_missing(db):
    world = create_hostile_world()
    browser = world.sign_in(enforce_csrf_checks=True)
    url = reverse("teams:area_create")
    page = browser.post(url, {"name": "Zonder sleutel"})
    assert page.status_code == 403
    assert "Het formulier is niet verstuurd" in body_of(page)
    assert "Er is niets opgeslagen" in body_of(page)
    # The same form, with the token the page gave: saved.
    token = browser.get(url).context["csrf_token"]
    saved = browser.post(url, {"name": "Met sleutel", "csrfmiddlewaretoken": str(token)})
    assert saved.status_code == 302, saved


def test_the_api_refuses_a_session_write_without_a_token_but_not_a_key(db):
    world = create_hostile_world()
    browser = world.sign_in(enforce_csrf_checks=True)
    before = database_state()
    refused = []
    writes = [(n, u, c) for n, u, c in portal_urls(world) if n.startswith("api:")]
    for name, url, _callback in writes:
        for method in ("post", "put", "patch", "delete"):
            response = getattr(browser, method)(url, FORGED_DATA, content_type="application/json")
            assert response.status_code == 403, f"{method} {url} ({name}): {response.status_code}"
            if response["Content-Type"].startswith("application/json"):  # not the docs pages
                assert "CSRF" in response.json()["detail"], f"{method} {url}: {response.json()}"
        refused.append(name)
    assert database_state() == before, "a session write without a CSRF token changed something"
    assert {"api:question-list", "api:question-forward", "api:team-detail"} <= set(refused)
    # An API key is no cookie a browser sends by itself: no token needed.
    api = APIClient(enforce_csrf_checks=True)
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.key}")
    for name, url, _callback in writes:
        for method in ("post", "put", "patch", "delete"):
            with transaction.atomic():
                response = getattr(api, method)(url, FORGED_DATA, format="json")
                transaction.set_rollback(True)
            assert b"CSRF" not in response.content, f"{method} {url} ({name}) with a key: CSRF"
