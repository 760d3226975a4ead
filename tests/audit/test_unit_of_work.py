"""A write service records its own access-log entry inside its transaction:
the change and its line are stored together or not at all, and a page and
the API doing the same thing leave the same entry (only the channel differs)."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.cases import services as cases
from apps.cases.models import Case
from apps.decisions import services as decisions
from apps.intake import services as intake
from apps.intake.models import Question
from tests.cases.api_world import api_for, build_world, open_case, submitted_proposal

A, C = AccessLogEntry.Action, AccessLogEntry.Channel


@pytest.fixture
def w(municipality, other_municipality):
    return build_world(municipality, other_municipality)


def entries(**filters):
    with scopes_disabled():
        return list(AccessLogEntry.objects.filter(**filters).order_by("pk"))


def fresh(obj):
    with scopes_disabled():
        return type(obj).objects.get(pk=obj.pk)


def same_entry(entry):
    """What a page and the API must agree on: all but the channel and address."""
    return (
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.resident_id,
        entry.user_id,
        entry.municipality_id,
        entry.reason,
    )


def test_a_service_called_outside_a_request_logs_its_write_as_system(w):
    case = open_case(w)
    with scope(municipality=w.municipality):
        cases.case_update(actor=w.member, case=case, title="Schulden")
    [entry] = entries(action=A.CHANGE, object_type="cases.case", object_id=str(case.pk))
    assert entry.user == w.member and entry.resident_id == case.resident_id
    assert entry.channel == C.SYSTEM and entry.remote_addr is None


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_the_change_rolls_back_the_change_and_its_log_line(w, monkeypatch):
    case = open_case(w)
    before = len(entries())

    def log_then_fail(**kwargs):
        log_access(**kwargs)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(cases, "log_access", log_then_fail)
    with scope(municipality=w.municipality), pytest.raises(RuntimeError):
        cases.case_update(actor=w.member, case=case, title="Schulden")
    assert fresh(case).title == "Thuishulp"
    assert len(entries()) == before


@pytest.mark.django_db(transaction=True)
def test_a_log_line_that_cannot_be_written_undoes_the_change(w, monkeypatch):
    before = len(entries())

    def cannot_write(**kwargs):
        raise RuntimeError("the log is unavailable")

    monkeypatch.setattr(intake, "log_access", cannot_write)
    with scope(municipality=w.municipality), pytest.raises(RuntimeError):
        intake.question_assign(actor=w.member, question=w.question)
    question = fresh(w.question)
    assert question.assigned_to_id is None and question.status == Question.Status.NEW
    assert len(entries()) == before


def test_the_page_and_the_api_leave_the_same_entry_for_a_title_change(client, w):
    case = open_case(w)
    client.force_login(w.member)
    url = reverse("cases:title", args=[case.pk])
    assert client.post(url, {"title": "Schulden", "version": case.version}).status_code == 302
    response = api_for(w.member, w.municipality).patch(
        f"/api/v1/cases/{case.pk}/",
        {"title": "Wonen", "version": fresh(case).version},
        format="json",
    )
    assert response.status_code == 200, response.content
    page, api = entries(action=A.CHANGE, object_type="cases.case")
    assert (page.channel, api.channel) == (C.WEB, C.API)
    assert same_entry(page) == same_entry(api)
    assert page.remote_addr and api.remote_addr


def test_the_page_and_the_api_leave_the_same_entry_for_an_activity(client, w):
    case = open_case(w)
    client.force_login(w.member)
    form = {"kind": "contact", "date": "2026-11-02", "note": "Gebeld."}
    response = client.post(reverse("cases:activity_create", args=[case.pk]), form)
    assert response.status_code == 302
    response = api_for(w.member, w.municipality).post(
        "/api/v1/activities/", {"case": case.pk, **form}, format="json"
    )
    assert response.status_code == 201, response.content
    page, api = entries(action=A.CREATE, object_type="cases.activity")
    assert (page.channel, api.channel) == (C.WEB, C.API)
    assert same_entry(page)[0:2] == same_entry(api)[0:2]
    assert same_entry(page)[3:] == same_entry(api)[3:]
    assert page.resident_id == case.resident_id


def test_the_page_and_the_api_leave_the_same_entry_for_a_decision(client, w):
    first = submitted_proposal(w)
    with scope(municipality=w.municipality):
        second = decisions.proposal_draft(
            actor=w.member,
            case=first.case,
            provision_type=w.household_help,
            start_date=first.start_date,
            end_date=first.end_date,
            motivation="Ook jeugdhulp.",
            delivery_form="pgb",
            budget_amount=250,
            budget_period="per_month",
        )
        second = decisions.proposal_submit(actor=w.member, proposal=second)
    decided = {"outcome": "refused", "reasons": "Voorliggende voorziening."}
    client.force_login(w.consultant)
    response = client.post(
        reverse("decisions:review", args=[first.pk]), {**decided, "version": first.version}
    )
    assert response.status_code == 302
    response = api_for(w.consultant, w.municipality).post(
        f"/api/v1/proposals/{second.pk}/decide/",
        {**decided, "version": second.version},
        format="json",
    )
    assert response.status_code == 201, response.content
    page, api = entries(action=A.DECIDE)
    assert (page.channel, api.channel) == (C.WEB, C.API)
    assert page.object_type == api.object_type == "decisions.decision"
    assert page.resident_id == api.resident_id == first.resident_id
    assert page.user_id == api.user_id == w.consultant.pk


def test_a_refused_write_leaves_no_log_line(client, w):
    case = open_case(w)
    with scope(municipality=w.municipality):
        Case.objects.filter(pk=case.pk).update(version=case.version + 1)
    before = len(entries())
    client.force_login(w.member)
    response = client.post(
        reverse("cases:title", args=[case.pk]), {"title": "Schulden", "version": case.version}
    )
    assert response.status_code == 200
    assert fresh(case).title == "Thuishulp"
    assert len(entries()) == before
