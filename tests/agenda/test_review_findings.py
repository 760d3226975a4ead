"""Review findings on the agenda: a case's appointment is seen only by who sees
the case; a rescheduled appointment is checked against its new question; the
calendar feed's 404 keeps the key out of the logs and a deactivated person's
feed stops working."""

# ruff: noqa: F811  (the `w` fixture is imported)

import logging
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.access import rules
from apps.agenda import selectors
from apps.agenda import services as agenda
from apps.agenda.case_sections import question_appointments
from apps.agenda.models import Appointment, CalendarFeed
from apps.intake.models import Question
from apps.teams.models import Membership, Team
from apps.tenants.models import StaffMember
from apps.tenants.services import staff_set_active
from tests.agenda.test_corrections import w  # noqa: F401
from tests.cases.api_world import api_for, staff
from tests.conftest import make_person
from tests.factories import QuestionFactory, TeamFactory


def _case_appointment_and_gate(w):
    """An appointment of w.case that also names the case's question, and a gate
    clarifier of another team who sees that question but not the case."""
    m = w.municipality
    with scope(municipality=m):
        gate_team = TeamFactory(municipality=m, kind=Team.Kind.KERNTEAM, name="Poort")
    gate = make_person(m, memberships=[(gate_team, Membership.Function.GATE_CLARIFIER)])
    with scope(municipality=m):
        question = Question.objects.get(pk=w.question.pk)
        start = timezone.now() + timedelta(days=2)
        appointment = agenda.appointment_plan(
            actor=w.member,
            case=w.case,
            question=question,
            kind=Appointment.Kind.HOME_VISIT,
            place="Dorpsstraat 1, Elst",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
        assert rules.can_see_question(gate, question)
        assert not rules.can_view_case(gate, w.case)
    return gate, question, appointment


def test_a_case_appointment_is_not_listed_to_who_sees_only_its_question(w):
    gate, question, appointment = _case_appointment_and_gate(w)
    m = w.municipality
    with scope(municipality=m):
        assert not rules.can_see_appointment(gate, appointment)
        assert appointment not in list(selectors.visible_appointments(gate, m))
        assert question_appointments(question, gate)["appointments"] == []
        # who sees the case still sees it, on the question page too
        assert appointment in list(selectors.visible_appointments(w.member, m))
        assert question_appointments(question, w.member)["appointments"] == [appointment]
    listed = api_for(gate, m).get("/api/v1/appointments/").json()["results"]
    assert appointment.pk not in [row["id"] for row in listed]


def test_the_question_page_does_not_show_a_case_appointment_to_who_sees_only_the_question(
    client, w
):
    gate, question, appointment = _case_appointment_and_gate(w)
    client.force_login(gate)
    page = client.get(reverse("intake:question_detail", args=[question.pk]))
    assert page.status_code == 200
    assert "Dorpsstraat 1, Elst" not in page.content.decode()
    assert reverse("agenda:detail", args=[appointment.pk]) not in page.content.decode()


def test_a_question_appointment_without_a_case_is_still_listed_by_the_question(w):
    m = w.municipality
    with scope(municipality=m):
        start = timezone.now() + timedelta(days=2)
        appointment = agenda.appointment_plan(
            actor=w.colleague,
            question=w.loose,
            kind=Appointment.Kind.HOME_VISIT,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
        assert appointment in list(selectors.visible_appointments(w.colleague, m))
        assert question_appointments(w.loose, w.colleague)["appointments"] == [appointment]


# --- 2. rescheduling onto another question -----------------------------------------------


def _plan_on_loose(w, actor, participants=()):
    start = timezone.now() + timedelta(days=2)
    return agenda.appointment_plan(
        actor=actor,
        question=w.loose,
        kind=Appointment.Kind.HOME_VISIT,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        participants=participants,
    )


def _move(actor, appointment, question, participants=None):
    return agenda.appointment_update(
        actor=actor,
        appointment=appointment,
        question=question,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        participants=participants,
        expected_version=appointment.version,
    )


def test_a_planner_cannot_move_an_appointment_onto_a_question_they_do_not_handle(w):
    m = w.municipality
    with scope(municipality=m):
        # registered by the colleague, now at Kernteam Driel: seen, not handled
        driel_q = QuestionFactory(municipality=m, team=w.driel, received_by=staff(w.colleague, m))
        assert rules.can_see_question(w.colleague, driel_q)
        assert not rules.may_plan_on_question(w.colleague, driel_q)
        appointment = _plan_on_loose(w, w.colleague)
        with pytest.raises(PermissionDenied):
            _move(w.colleague, appointment, driel_q)
        appointment.refresh_from_db()
        assert appointment.question_id == w.loose.pk
        assert appointment.version == 1


def test_participants_are_checked_against_the_question_the_appointment_moves_to(w):
    m = w.municipality
    both = make_person(
        m,
        memberships=[
            (w.kernteam, Membership.Function.TEAM_MEMBER),
            (w.driel, Membership.Function.TEAM_MEMBER),
        ],
    )
    with scope(municipality=m):
        driel_q = QuestionFactory(municipality=m, team=w.driel)
        assert rules.may_plan_on_question(both, driel_q)
        appointment = _plan_on_loose(w, both, participants=[staff(w.colleague, m)])
        # the colleague (Elst only) does not take part in a Driel question
        with pytest.raises(ValidationError) as refused:
            _move(both, appointment, driel_q)
        assert "participants" in refused.value.message_dict
        appointment.refresh_from_db()
        assert appointment.question_id == w.loose.pk
        # without the colleague it moves
        moved = _move(both, appointment, driel_q, participants=[staff(both, m)])
        assert moved.question_id == driel_q.pk
        assert [p.pk for p in moved.participants.all()] == [staff(both, m).pk]
        assert rules.may_plan_appointment(both, moved)


# --- 3. the calendar feed: no key in the logs, off with the person's access ---------------


def _feed(w):
    with scope(municipality=w.municipality):
        return agenda.calendar_feed_create(actor=w.member, municipality=w.municipality)


def _secret(key):
    return key.rsplit("_", 1)[1]


def _no_secret_logged(caplog, key):
    messages = [record.getMessage() for record in caplog.records]
    assert not any(_secret(key) in message for message in messages), messages
    assert not any(r.name == "django.request" for r in caplog.records), messages


def test_a_refused_feed_answers_404_without_its_key_in_any_log(w, caplog):
    calendar_feed, key = _feed(w)
    unknown = f"agd_{w.municipality.pk}_{'x' * 43}"
    caplog.set_level(logging.DEBUG)
    client = Client()
    with scope(municipality=w.municipality):
        agenda.calendar_feed_revoke(actor=w.member, municipality=w.municipality)
    assert client.get(f"/agenda/kalender/{key}.ics").status_code == 404
    assert client.get(f"/agenda/kalender/{unknown}.ics").status_code == 404
    assert client.post(f"/agenda/kalender/{key}.ics").status_code == 405
    _no_secret_logged(caplog, key)
    _no_secret_logged(caplog, unknown)
    security = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert any(f"feed {calendar_feed.pk}" in message for message in security), security
    assert any("unknown" in message for message in security), security


def test_a_post_to_a_feed_with_csrf_checks_on_logs_no_key(w, caplog):
    _calendar_feed, key = _feed(w)
    caplog.set_level(logging.DEBUG)
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"/agenda/kalender/{key}.ics").status_code == 405
    _no_secret_logged(caplog, key)
    assert not any(r.name.startswith("django.security") for r in caplog.records)


def test_deactivating_a_person_s_access_revokes_their_feed(w, caplog):
    calendar_feed, key = _feed(w)
    client = Client()
    url = f"/agenda/kalender/{key}.ics"
    assert client.get(url).status_code == 200
    member = staff(w.member, w.municipality)
    with scope(municipality=w.municipality):
        staff_set_active(actor=w.admin, staff=member, is_active=False)
        assert CalendarFeed.objects.get(pk=calendar_feed.pk).revoked_at is not None
    caplog.set_level(logging.DEBUG)
    assert client.get(url).status_code == 404
    _no_secret_logged(caplog, key)
    with scope(municipality=w.municipality):
        staff_set_active(actor=w.admin, staff=staff(w.member, w.municipality), is_active=True)
    assert client.get(url).status_code == 404  # stays off until renewed
    _renewed, new_key = _feed(w)
    assert client.get(f"/agenda/kalender/{new_key}.ics").status_code == 200


def test_a_feed_served_while_its_person_is_inactive_stays_off_after_reactivation(w):
    # Deactivated other than through staff_set_active (a database change): the
    # feed is refused when asked for, and revoked then.
    _calendar_feed, key = _feed(w)
    client = Client()
    url = f"/agenda/kalender/{key}.ics"
    with scopes_disabled():
        StaffMember.objects.filter(user=w.member, municipality=w.municipality).update(
            is_active=False
        )
    assert client.get(url).status_code == 404
    with scopes_disabled():
        StaffMember.objects.filter(user=w.member, municipality=w.municipality).update(
            is_active=True
        )
    assert client.get(url).status_code == 404
