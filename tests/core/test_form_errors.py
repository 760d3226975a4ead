"""Every form of the staff interface, posted empty or invalid, comes back with
its errors in the way WCAG 2.1 (3.3.1, 3.3.3, 4.1.3) and the NL Design System
ask: an error summary at the top that takes the focus, one link per field error
to the field's control (the first radio or box of a group), that control marked
aria-invalid and described by its inline error message, a <title> starting with
"Fout:", and nothing saved. An action without fields (a button on a detail page)
that is refused says so in an error message (role=alert) on the page it returns
to.

The registry below names every URL whose view takes a POST; a new one that is
not in it fails `test_every_posting_url_is_in_the_registry`, so a new form is
checked from the day it is added.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import make_person
from tests.decisions.conftest import submitted_proposal, town  # noqa: F401 (a fixture)
from tests.security.walk import create_hostile_world, database_state, portal_urls
from tests.test_tenancy_urls import iter_urls, view_class_of

# A form with fields: an empty POST re-renders it with field errors.
FORM = "form"
# A form whose fields may all be left empty (roles to take away, a title to
# clear): posted without its version it is refused with a summary at the top.
OPTIONAL = "optional"
# An action whose whole input is the button (and the object's version): an empty
# POST is a complete request, so it is not posted here; a refusal is a message.
ACTION = "action"

# Forms checked by their own test below: the login steps (another session) and
# the decision (a proposal not yet decided on).
ELSEWHERE = {
    "accounts:login",
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "accounts:password_reset",
    "accounts:password_reset_confirm",
    "decisions:review",
}

REGISTRY = {
    "accounts:login": FORM,
    "accounts:two_factor_verify": FORM,
    "accounts:two_factor_setup": FORM,
    "accounts:logout": ACTION,
    "accounts:password_reset": FORM,
    "accounts:password_reset_confirm": FORM,
    "tenants:own_api_tokens": FORM,
    "tenants:own_api_token_revoke": ACTION,
    "tenants:api_tokens": FORM,
    "tenants:api_token_revoke": ACTION,
    "tenants:staff_invite": FORM,
    "tenants:access_log_retention": FORM,
    "tenants:staff_edit": OPTIONAL,
    "tenants:staff_deactivate": ACTION,
    "tenants:staff_resend_invitation": ACTION,
    "tenants:staff_two_factor_reset": ACTION,
    "tenants:staff_activate": ACTION,
    "teams:area_create": FORM,
    "teams:area_edit": FORM,
    "teams:organisation_create": FORM,
    "teams:organisation_edit": FORM,
    "teams:team_create": FORM,
    "teams:team_edit": FORM,
    "teams:membership_create": FORM,
    "teams:membership_edit": FORM,
    "teams:location_create": FORM,
    "teams:location_edit": FORM,
    "intake:question_register": FORM,
    "intake:question_assign": ACTION,
    "intake:question_forward": FORM,
    "intake:question_edit": FORM,
    "intake:question_close": FORM,
    "intake:resident_detail": FORM,
    "intake:resident_edit": FORM,
    "intake:household_create": ACTION,
    "intake:household_member_add": FORM,
    "intake:household_leave": ACTION,
    "intake_config:triage_rule_create": FORM,
    "intake_config:triage_rule_edit": FORM,
    "intake_config:triage_rule_move": ACTION,
    "intake_config:life_domain_create": FORM,
    "intake_config:life_domain_edit": FORM,
    "intake_config:intake_settings": FORM,
    "cases:title": OPTIONAL,
    "cases:hand_over": FORM,
    "cases:activity_create": FORM,
    "cases:assessment": FORM,
    "cases:close": FORM,
    "cases:reopen": ACTION,
    "cases:share": FORM,
    "cases:unshare": ACTION,
    "cases:add_question": ACTION,
    "cases:follow_up": FORM,
    "cases:plan_start": ACTION,
    "cases:plan_summary": FORM,
    "cases:goal_add": FORM,
    "cases:plan_agree": FORM,
    "cases:goal_remove": FORM,
    "cases:solution_add": FORM,
    "cases:solution_remove": FORM,
    "cases:proposal_create": FORM,
    "cases:proposal_edit": FORM,
    "cases:proposal_submit": ACTION,
    "cases:proposal_withdraw": ACTION,
    "cases:open": ACTION,
    "decisions:review": FORM,
    "decisions:proposal_deadline": FORM,
    "decisions:question_personal_plan": FORM,
    "decisions:question_deadline": FORM,
    "decisions:provision_type_create": FORM,
    "decisions:provision_type_edit": FORM,
    # #21 part 1: providers (zorgaanbieders)
    "decisions:provider_create": FORM,
    "decisions:provider_edit": FORM,
    # a provision's lifecycle (#21 part 2)
    "decisions:provision_suspend": FORM,
    "decisions:provision_resume": FORM,
    "decisions:provision_withdraw": FORM,
    "reporting:list": FORM,
    "reporting:settings": FORM,
    "core:switch_municipality": ACTION,
    "set_language": ACTION,
    # #20: moving work, documents, corrections, the agenda, letters
    "cases:transfer": FORM,
    "cases:work_reassign": FORM,
    "cases:activity_correct": FORM,
    "intake:question_correct_description": FORM,
    "documents:case_upload": FORM,
    "documents:question_upload": FORM,
    "documents:resident_upload": FORM,
    "documents:withdraw": FORM,
    "agenda:plan_case": FORM,
    "agenda:plan_question": FORM,
    "agenda:update": FORM,
    "agenda:cancel": FORM,
    "agenda:record": FORM,
    "agenda:feed_settings": ACTION,
    "letters:acknowledgement_create": ACTION,
    "letters:postponement_create": ACTION,
    "letters:invitation_create": FORM,
    "letters:case_report_create": ACTION,
    "letters:proposal_postponement_create": ACTION,
    "letters:template_create": ACTION,
    "letters:template_edit": FORM,
    # #19: ending a team, shell partners joining a case
    "cases:team_end": FORM,
    "cases:join": FORM,
    "cases:join_revoke": ACTION,
    # #21 part 3: objections
    "decisions:objection_register": FORM,
    "decisions:objection_extend": FORM,
    "decisions:objection_withdraw": FORM,
    "decisions:objection_decide": FORM,
}


def posting_urls():
    """The names of every page (not the API, not the platform admin) whose view
    takes a POST."""
    names = set()
    for name, _kwargs, callback in iter_urls():
        if name.split(":")[0] in {"admin", "api"} or name == "platform_admin_login":
            continue
        view_class = view_class_of(callback)
        if view_class is not None:
            if "post" in view_class.http_method_names and hasattr(view_class, "post"):
                names.add(name)
        elif "POST" in getattr(callback, "portal_methods", ()) or name in REGISTRY:
            names.add(name)
    return names


def test_every_posting_url_is_in_the_registry():
    missing = posting_urls() - set(REGISTRY)
    assert not missing, f"add these to REGISTRY (FORM or ACTION): {sorted(missing)}"
    gone = set(REGISTRY) - posting_urls()
    assert not gone, f"no longer URLs that take a POST: {sorted(gone)}"


class Page(HTMLParser):
    """The elements of a page by id, with their attributes, and the text inside
    each element that has an id."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "area", "col", "wbr"}

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.by_id = {}
        self.tags = {}
        self.text = {}
        self.summary_links = []
        self.title = ""
        self.hidden = []
        self._open = []  # (tag, id) of the open elements
        self._in_title = False
        self._in_summary = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        ident = attrs.get("id")
        if ident:
            self.by_id.setdefault(ident, attrs)
            self.tags.setdefault(ident, tag)
            self.text.setdefault(ident, "")
        if tag == "title":
            self._in_title = True
        if tag == "input" and attrs.get("type") == "hidden":
            self.hidden.append(attrs)
        if "portal-error-summary" in (attrs.get("class") or ""):
            self.summary = attrs
            self._in_summary = len(self._open) + 1
        if tag == "a" and self._in_summary and attrs.get("href", "").startswith("#"):
            self.summary_links.append(attrs["href"][1:])
        if tag not in self.VOID:
            self._open.append((tag, ident))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        while self._open:
            open_tag, _ = self._open.pop()
            if len(self._open) < self._in_summary:
                self._in_summary = 0
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        for _tag, ident in self._open:
            if ident:
                self.text[ident] += data


CONTROLS = {"input", "select", "textarea"}


def assert_errors_are_linked(name, response):
    html = response.content.decode()
    page = Page(html)
    assert page.title.strip().startswith("Fout:"), f"{name}: title {page.title!r}"
    assert getattr(page, "summary", None), f"{name}: no error summary"
    assert page.summary.get("tabindex") == "-1" and "autofocus" in page.summary, name
    assert page.summary.get("role") == "alert", name
    summary = html[html.index('id="error-summary"') :].split("</ul>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", summary, re.S)
    assert len(items) == len(set(items)), f"{name}: an error is listed twice: {items}"
    # One element asks for the focus: the summary (not also a field's autofocus).
    assert len(re.findall(r"<[^>]*\sautofocus[\s>=]", html)) == 1, f"{name}: autofocus twice"
    form = response.context.get("form") if response.context else None
    for target in page.summary_links:
        assert target in page.by_id, f"{name}: summary links to #{target}, not on the page"
        assert page.tags[target] in CONTROLS, f"{name}: #{target} is a {page.tags[target]}"
        attrs = page.by_id[target]
        assert attrs.get("aria-invalid") == "true", f"{name}: #{target} not aria-invalid"
        described = (attrs.get("aria-describedby") or "").split()
        errors = [d for d in described if d.endswith("-error")]
        assert errors, f"{name}: #{target} not described by its error message"
        for ident in errors:
            assert ident in page.by_id, f"{name}: #{target} described by missing #{ident}"
            assert page.text[ident].strip(), f"{name}: #{ident} is empty"
    return page, form


@pytest.fixture
def world(db):
    return create_hostile_world()


def hidden_values(browser, url) -> dict:
    """The hidden inputs (such as the object's version) of the page's forms, so
    that the fields a person fills in are what is missing, not the version."""
    response = browser.get(url)
    if response.status_code != 200:
        return {}
    values = {}
    for attrs in Page(response.content.decode()).hidden:
        if attrs.get("name") and attrs["name"] != "csrfmiddlewaretoken":
            values[attrs["name"]] = attrs.get("value", "")
    return values


def test_every_form_posted_empty_shows_linked_errors_and_saves_nothing(world):
    browser = world.sign_in()
    checked, problems = [], []
    for name, url, _callback in portal_urls(world, skip_namespaces=("admin", "api")):
        if REGISTRY.get(name) not in (FORM, OPTIONAL) or name in ELSEWHERE:
            continue
        data = hidden_values(browser, url) if REGISTRY[name] == FORM else {}
        before = database_state()
        response = browser.post(url, data)
        try:
            assert response.status_code == 200, f"{name}: {response.status_code}"
            assert_errors_are_linked(name, response)
            assert database_state() == before, f"{name}: saved something"
        except AssertionError as exc:
            problems.append(str(exc))
        checked.append(name)
    assert not problems, "\n".join(problems)
    assert {"intake:question_register", "cases:activity_create", "teams:team_edit"} <= set(checked)


def test_the_decision_form_posted_empty_shows_linked_errors(town, client):  # noqa: F811
    proposal = submitted_proposal(town)
    client.force_login(town["consultant"])
    url = reverse("decisions:review", args=[proposal.pk])
    data = hidden_values(client, url)
    before = database_state()
    response = client.post(url, data)
    assert response.status_code == 200
    page, _ = assert_errors_are_linked("decisions:review", response)
    assert page.summary_links  # the outcome, a group of radios: its first radio
    assert database_state() == before


def test_the_login_forms_posted_empty_show_linked_errors(municipality):
    person = make_person(municipality)
    anonymous = Client()
    for name in ("accounts:login", "accounts:password_reset"):
        response = anonymous.post(reverse(name), {})
        assert response.status_code == 200, name
        page, _ = assert_errors_are_linked(name, response)
        assert page.summary_links, name
    # The link in the reset mail leads to the form for a new password.
    link = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    form_page = anonymous.get(link, follow=True)
    response = anonymous.post(form_page.redirect_chain[-1][0], {})
    assert response.status_code == 200
    page, _ = assert_errors_are_linked("accounts:password_reset_confirm", response)
    assert page.summary_links
    # The second step, before and after the app is set up.
    for name, has_app in (
        ("accounts:two_factor_setup", False),
        ("accounts:two_factor_verify", True),
    ):
        TOTPDevice.objects.filter(user=person).delete()
        if has_app:
            TOTPDevice.objects.create(user=person, name="app", confirmed=True)
        browser = Client()
        browser.force_login(person)
        response = browser.post(reverse(name), {})
        assert response.status_code == 200, name
        page, _ = assert_errors_are_linked(name, response)
        assert page.summary_links, name


def test_a_refused_action_is_an_alert_that_takes_the_focus(world):
    browser = world.sign_in()
    from apps.cases.models import Case

    case = world.objects[Case]
    # The case is open: reopening it is refused, with a message on the case page.
    response = browser.post(reverse("cases:reopen", args=[case.pk]), {"version": 1}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    page = Page(html)
    assert page.title.strip().startswith("Fout:"), page.title
    assert re.search(
        r'<div class="[^"]*portal-message" role="alert" tabindex="-1" autofocus>', html
    )


def test_a_successful_action_is_announced_as_a_status(world):
    browser = world.sign_in()
    from apps.cases.models import Case

    case = world.objects[Case]
    response = browser.post(
        reverse("cases:title", args=[case.pk]),
        {**hidden_values(browser, reverse("cases:title", args=[case.pk])), "title": "Nieuw"},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain, "the title was not saved"
    assert not Page(html).title.strip().startswith("Fout:")
    region = html[html.index('role="status" data-portal-announce') :]
    assert "utrecht-alert--ok" in region.split("</div>\n      </div>")[0]
    alerts = html[html.index('id="portal-alerts"') :].split("</div>", 1)[0]
    assert "utrecht-alert" not in alerts, "a success must not interrupt as an alert"
    assert 'portal-message" role="alert"' not in html
