"""Script in every free-text field, shown escaped everywhere.

Every free text of municipality A (every CharField and TextField without choices
of every municipality-owned model, the names of A and of every person) holds
`walk.PAYLOAD`, behind a formula start. A person of A holding every role then
reads every page, every endpoint (asking as a browser does, so that an HTML
rendering of the API would show up), the CSV downloads and the platform admin;
posts hostile text into every form and endpoint; and sends every form back as
it came (so the success messages, which name what was saved, are shown too).
No HTML body may contain the payload unescaped, JSON is served as JSON, and no
CSV cell starts a formula.

Nothing here needs an update when a page, endpoint or model is added; a response
of a kind it has no check for (a PDF, say) fails with what to add.
"""

import csv
import io
import json

from django import forms
from django.contrib import admin
from django.db import transaction
from django.forms.widgets import DateTimeBaseInput
from django.urls import reverse
from rest_framework.test import APIClient

from apps.audit.exports import FORMULA_STARTS
from tests.security.walk import (
    NEEDLES,
    create_hostile_world,
    hostile_text,
    hostile_user,
    portal_urls,
)
from tests.test_tenancy_urls import body_of, view_class_of

# Read by views straight from request.POST, not through a form.
LOOSE_POST_FIELDS = ("version", "direction", "terug", "municipality", "language", "next", "inwoner")
# A POST here ends the session the rest of the walk runs in (its form has no text).
NO_HOSTILE_POST = {"accounts:logout"}
# What a browser sends in Accept.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# The API's only HTML pages: its documentation (no data of a municipality).
API_HTML_PAGES = {"api:docs", "api:redoc"}
# The admin pages of one object that show it (a refused delete is a 403).
ADMIN_VIEWS = ("change", "delete")
# Content types that no browser renders as a page (with nosniff) and that hold no
# data of a municipality: the API schema, /healthz, the admin's translations.
NOT_RENDERED = ("application/vnd.oai.openapi", "text/plain", "text/javascript")


def assert_escaped(where, response) -> int:
    """The response shows hostile text only as text: escaped in HTML, as a JSON
    string in JSON, behind an apostrophe in a CSV cell (returns how many cells
    needed that)."""
    content_type = response.get("Content-Type", "")
    body = body_of(response)
    if not body:
        return 0
    if content_type.startswith("text/html"):
        lowered = body.lower()
        for needle in NEEDLES:
            at = lowered.find(needle)
            assert at < 0, (
                f"{where} shows {needle!r} unescaped: …{body[max(at - 120, 0) : at + 80]}…"
            )
    elif content_type.startswith("application/json"):
        json.loads(body)
    elif content_type.startswith("text/csv"):
        return assert_no_formula(where, body)
    elif content_type.startswith("application/pdf"):
        # The decision letter: the HTML it is rendered from is checked with hostile
        # texts in tests/decisions/test_letters.py.
        assert body.startswith("%PDF"), f"{where}: not a PDF"
    elif not content_type.startswith(NOT_RENDERED):
        raise AssertionError(
            f"{where}: no check for a {content_type!r} response; add one to assert_escaped "
            "(for a PDF: render the HTML it is made from with the hostile world and check "
            "that, since WeasyPrint follows <img src> and <link href> in it)"
        )
    return 0


def assert_letter_escaped(where, world):
    """A decision letter (PDF) shows what the HTML it is rendered from says:
    render that with the hostile world's decision and check it."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string
    from django_scopes import scope

    from apps.decisions.letters import letter_context
    from apps.decisions.models import Decision

    with scope(municipality=world.a):
        html = render_to_string("pdf/decision_letter.html", letter_context(world.objects[Decision]))
    assert_escaped(f"{where} (its HTML)", HttpResponse(html))


def assert_report_escaped(where, world):
    """A report shows the municipality's own names (teams, life domains,
    provisions) and counts: build one over the hostile world's data and check the
    HTML its PDF is rendered from and its CSV."""
    from django.http import HttpResponse
    from django.utils import timezone
    from django_scopes import scope

    from apps.reporting.figures import build_report_data
    from apps.reporting.render import render_csv, report_html

    today = timezone.localdate()
    with scope(municipality=world.a):
        data = build_report_data(world.a, today.replace(month=1, day=1), today)
    assert_escaped(f"{where} (its HTML)", HttpResponse(report_html(data)))
    assert_no_formula(f"{where} (its CSV)", render_csv(data).decode("utf-8-sig"))


def assert_no_formula(where, body) -> int:
    """No cell starts a formula; returns how many cells were guarded."""
    guarded = 0
    for row in csv.reader(io.StringIO(body), delimiter=";"):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), f"{where}: formula cell {cell!r}"
            guarded += cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS)
    return guarded


def api_client(world):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.key}")
    return api


def test_every_page_and_endpoint_shows_hostile_texts_escaped(db):
    world = create_hostile_world()
    browser = world.sign_in()
    pages, endpoints, csv_guarded = [], [], 0
    for name, url, _callback in portal_urls(world):
        if name.startswith("api:"):
            # As a browser asks, logged in: still JSON, never DRF's browsable HTML
            # pages (whose forms listed every resident, unlogged).
            response = browser.get(url, HTTP_ACCEPT=BROWSER_ACCEPT)
            assert response.status_code in (200, 405), f"GET {url} ({name}): {response.status_code}"
            if response.get("Content-Type") == "application/pdf":
                assert b"".join(response.streaming_content).startswith(b"%PDF")  # and closed
                if name.startswith("api:report"):
                    assert_report_escaped(url, world)
                else:
                    assert_letter_escaped(url, world)
                endpoints.append(name)
                continue
            assert_escaped(url, response)
            if response.status_code == 200 and name not in API_HTML_PAGES:
                assert response["Content-Type"].startswith(
                    ("application/json", "text/csv", *NOT_RENDERED)
                )
                endpoints.append(name)
            continue
        response = browser.get(url, follow=True)
        assert response.status_code in (200, 405), f"GET {url} ({name}): {response.status_code}"
        csv_guarded += assert_escaped(url, response)
        if response.status_code == 200:
            pages.append(name)
    # The walk reached the pages that show residents, questions and the log.
    assert {
        "core:start",
        "intake:inbox",
        "intake:question_detail",
        "intake:resident_detail",
        "intake:question_forward",
        "teams:team_detail",
        "tenants:staff_edit",
        "tenants:api_tokens",
        "intake_config:triage_list",
        "audit:log",
        "audit:resident_overview",
        "audit:log_export",
        "audit:resident_overview_csv",
    } <= set(pages)
    assert {"api:question-detail", "api:resident-detail", "api:question-list"} <= set(endpoints)
    assert csv_guarded, "no CSV cell needed the formula guard: the walk proves nothing for CSV"


def form_class_of(callback):
    view_class = view_class_of(callback)
    initkwargs = getattr(callback, "view_initkwargs", {})
    return (
        initkwargs.get("form_class")
        or initkwargs.get("authentication_form")
        or getattr(view_class, "form_class", None)
    )


def hostile_post(callback):
    """Hostile text in every field of the view's form, and in what views read
    from a POST directly."""
    form_class = form_class_of(callback)
    names = set(LOOSE_POST_FIELDS) | set(form_class.base_fields if form_class else ())
    return {name: hostile_text(None) for name in names}


def filled_in(form) -> tuple[dict, set]:
    """What a browser posts when the form is sent back as it was shown, with
    hostile text in the empty text fields and the first choice in the empty
    required choices; and the names of the empty texts filled in."""
    data, texts = {}, set()
    for name, form_field in form.fields.items():
        value, widget = form[name].value(), form_field.widget
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif value not in (None, "", []):
            if isinstance(value, list | tuple):
                data[name] = [str(v) for v in value]
            elif isinstance(widget, DateTimeBaseInput):
                data[name] = widget.format_value(value)
            else:
                data[name] = str(value)
        elif isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField):
            choice = next((str(v) for v, _label in form_field.choices if str(v)), None)
            if form_field.required and choice is not None:
                many = isinstance(widget, forms.SelectMultiple | forms.CheckboxSelectMultiple)
                data[name] = [choice] if many else choice
        elif type(form_field) is forms.CharField:
            data[name] = hostile_text(form_field.max_length)
            texts.add(name)
    return data, texts


def send_back(browser, url, form):
    """Post the form filled in; where a field is refused, leave it empty and post
    again, until it is saved or nothing more can be left out."""
    data, texts = filled_in(form)
    for _attempt in range(len(texts) + 2):
        response = post_and_roll_back(browser, url, data)
        refused = (response.context or {}).get("form")
        if not isinstance(refused, forms.BaseForm) or not refused.errors:
            break
        # The fields refused; or, for an error elsewhere that one of them caused
        # (a reason without the team it explains), the last optional text filled in.
        fields = set(refused.errors) & set(data)
        if not fields:
            optional = [n for n in form.fields if n in texts & set(data)]
            fields = {n for n in optional[-1:] if not form.fields[n].required}
        if not fields:
            break
        data = {k: v for k, v in data.items() if k not in fields}
    return response


def post_and_roll_back(browser, url, data, **extra):
    with transaction.atomic():
        response = browser.post(url, data, follow=True, **extra)
        transaction.set_rollback(True)
    return response


def test_posted_hostile_text_and_the_messages_about_it_are_shown_escaped(db):
    """Hostile text in every field: the form comes back with it (escaped) in its
    inputs and error messages. Every form sent back as shown (its texts already
    hostile, the empty ones filled in with more): saved, and the message naming
    what was saved is escaped. Every endpoint gets hostile text in every field of
    its serializer: the errors come back as JSON."""
    world = create_hostile_world()
    browser, api = world.sign_in(), api_client(world)
    saved, posted = [], []
    for name, url, callback in portal_urls(world):
        if name in NO_HOSTILE_POST:
            continue
        if name.startswith("api:"):
            actions = getattr(callback, "actions", {})
            serializer_class = getattr(callback, "initkwargs", {}).get(
                "serializer_class"
            ) or getattr(view_class_of(callback), "serializer_class", None)
            if serializer_class is None:
                continue
            data = {field: hostile_text(None) for field in serializer_class().fields}
            for method in {"post", "put", "patch"} & set(actions):
                with transaction.atomic():
                    response = getattr(api, method)(url, data, format="json")
                    transaction.set_rollback(True)
                assert response.status_code < 500
                assert response["Content-Type"].startswith("application/json"), url
                assert_escaped(f"{method} {url}", response)
                posted.append(name)
            continue
        response = post_and_roll_back(browser, url, hostile_post(callback))
        assert_escaped(f"POST {url}", response)
        posted.append(name)
        if form_class_of(callback) is None:
            continue
        shown = browser.get(url)
        form = (shown.context or {}).get("form") if shown.status_code == 200 else None
        if isinstance(form, forms.BaseForm) and not form.is_bound:
            response = send_back(browser, url, form)
            assert_escaped(f"POST {url} (sent back)", response)
            if list((response.context or {}).get("messages", [])):
                saved.append(name)
    assert {
        "teams:area_edit",
        "teams:team_edit",
        "intake_config:triage_rule_edit",
        "intake_config:life_domain_edit",
        "tenants:staff_edit",
        "intake:resident_edit",
    } <= set(saved), saved
    assert {
        "intake:question_register",
        "intake:question_forward",
        "intake_config:triage_rule_move",
        "tenants:api_token_revoke",
        "api:question-list",
        "api:triage-rule-detail",
    } <= set(posted)


def test_the_platform_admin_shows_hostile_texts_escaped(db):
    """The Django admin for every registered model: the list, and the change and
    delete pages of an object of A (the delete page names every related object)."""
    world = create_hostile_world()
    superuser = hostile_user(is_superuser=True, is_staff=True)
    browser = world.sign_in()
    browser.force_login(superuser)
    objects = {type(obj): obj for obj in world.objects.values()}
    objects[type(world.user)] = world.user
    objects[type(world.a)] = world.a
    checked = []
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls = [reverse(f"{prefix}_changelist")]
        if model in objects:
            urls += [reverse(f"{prefix}_{view}", args=[objects[model].pk]) for view in ADMIN_VIEWS]
        for url in urls:
            response = browser.get(url)
            assert response.status_code in (200, 403), f"{url}: {response.status_code}"
            assert_escaped(url, response)
        checked.append(model._meta.label)
    assert {
        "teams.Team",
        "tenants.StaffMember",
        "tenants.ApiToken",
        "audit.AccessLogEntry",
        "accounts.User",
        "tenants.Municipality",
    } <= set(checked), checked
