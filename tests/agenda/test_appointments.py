"""#20 part 3: planned appointments on a case or a question, the personal and
team agenda, recording a held appointment as an activity, the API, and the
private iCalendar feed. Every role, another municipality, bad input (nothing
saved) and a concurrent change."""

from datetime import timedelta

import icalendar
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from apps.agenda import services
from apps.agenda.models import Appointment, CalendarFeed
from apps.cases.models import Activity
from apps.core.exceptions import ConcurrentEditError, DomainError
from apps.teams.models import Membership
from tests.cases.api_world import api_for, build_world, open_case, staff
from tests.conftest import make_person
from tests.factories import AppointmentFactory, QuestionFactory, StaffMemberFactory

F = Membership.Function


@pytest.fixture
def w(municipality, other_municipality):
    world = build_world(municipality, other_municipality)
    world.case = open_case(world)  # world.member directs it
    with scope(municipality=municipality):
        world.loose = QuestionFactory(
            municipality=municipality, resident=world.resident, team=world.kernteam
        )
    with scope(municipality=other_municipality):
        world.foreign.appointment = AppointmentFactory(
            municipality=other_municipality, case=world.foreign.case
        )
        world.foreign.staff = StaffMemberFactory(municipality=other_municipality)
    return world


def later(hours=24):
    start = timezone.now() + timedelta(hours=hours)
    return start, start + timedelta(hours=1)


def plan(w, actor=None, **kwargs):
    starts_at, ends_at = later()
    values = {
        "kind": Appointment.Kind.HOME_VISIT,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": "Dorpsstraat 1, Elst",
        "participants": [staff(w.colleague, w.municipality)],
        "case": w.case,
        **kwargs,
    }
    with scope(municipality=w.municipality):
        return services.appointment_plan(actor=actor or w.member, **values)


# --- services ---------------------------------------------------------------------------


def test_a_kernteam_member_plans_a_home_visit(w):
    appointment = plan(w)
    with scope(municipality=w.municipality):
        assert appointment.status == Appointment.Status.PLANNED
        assert appointment.organiser == staff(w.member, w.municipality)
        assert set(appointment.participants.all()) == {
            staff(w.member, w.municipality),
            staff(w.colleague, w.municipality),
        }


def test_the_linked_loket_consultant_plans_a_joint_home_visit(w):
    assert plan(w, actor=w.consultant).organiser == staff(w.consultant, w.municipality)


@pytest.mark.parametrize("who", ["expert", "driel_member", "policy", "admin", "consultant2"])
def test_others_do_not_plan_on_the_case(w, who):
    with pytest.raises(PermissionDenied):
        plan(w, actor=getattr(w, who), participants=[])
    with scope(municipality=w.municipality):
        assert not Appointment.objects.exists()


def test_a_start_in_the_past_is_refused_naming_the_field(w):
    start = timezone.now() - timedelta(hours=2)
    with pytest.raises(ValidationError) as err:
        plan(w, starts_at=start, ends_at=start + timedelta(hours=1))
    assert "starts_at" in err.value.message_dict
    with scope(municipality=w.municipality):
        assert not Appointment.objects.exists()


def test_an_end_before_the_start_is_refused_naming_the_field(w):
    starts_at, _ends = later()
    with pytest.raises(ValidationError) as err:
        plan(w, starts_at=starts_at, ends_at=starts_at - timedelta(minutes=30))
    assert "ends_at" in err.value.message_dict
    with scope(municipality=w.municipality):
        assert not Appointment.objects.exists()


def test_a_participant_who_does_not_work_on_the_case_is_refused(w):
    with pytest.raises(ValidationError) as err:
        plan(w, participants=[staff(w.driel_member, w.municipality)])
    assert "participants" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        plan(w, participants=[w.foreign.staff])
    assert "participants" in err.value.message_dict
    with scope(municipality=w.municipality):
        assert not Appointment.objects.exists()


def test_a_kitchen_table_talk_is_planned_on_a_question(w):
    appointment = plan(w, case=None, question=w.loose, kind=Appointment.Kind.KITCHEN_TABLE)
    assert appointment.question_id == w.loose.pk and appointment.case_id is None


def test_rescheduling_checks_the_version(w):
    appointment = plan(w)
    starts_at, ends_at = later(48)
    with scope(municipality=w.municipality):
        moved = services.appointment_update(
            actor=w.member,
            appointment=appointment,
            starts_at=starts_at,
            ends_at=ends_at,
            expected_version=1,
        )
        assert moved.version == 2
        with pytest.raises(ConcurrentEditError):
            services.appointment_update(
                actor=w.colleague,
                appointment=appointment,
                starts_at=starts_at,
                ends_at=ends_at + timedelta(hours=1),
                expected_version=1,
            )


def test_cancel_needs_a_reason(w):
    appointment = plan(w)
    with scope(municipality=w.municipality):
        with pytest.raises(ValidationError) as err:
            services.appointment_cancel(
                actor=w.member, appointment=appointment, reason="", expected_version=1
            )
        assert "reason" in err.value.message_dict
        cancelled = services.appointment_cancel(
            actor=w.member, appointment=appointment, reason="Inwoner ziek.", expected_version=1
        )
        assert cancelled.status == Appointment.Status.CANCELLED


def test_recording_creates_exactly_one_activity(w):
    appointment = plan(w)
    with (
        time_machine.travel(appointment.ends_at + timedelta(hours=1)),
        scope(municipality=w.municipality),
    ):
        held = services.appointment_record_held(
            actor=w.member, appointment=appointment, note="Goed gesprek.", expected_version=1
        )
        assert held.status == Appointment.Status.HELD
        activity = Activity.objects.get(case=w.case)
        assert held.activity == activity
        assert activity.kind == Activity.Kind.HOME_VISIT
        assert activity.note == "Goed gesprek."
        assert set(activity.participants.all()) == set(appointment.participants.all())
        with pytest.raises(DomainError):
            services.appointment_record_held(
                actor=w.member, appointment=held, note="Nog eens.", expected_version=held.version
            )
        assert Activity.objects.filter(case=w.case).count() == 1


def test_an_appointment_is_not_recorded_before_it_starts(w):
    appointment = plan(w)
    with scope(municipality=w.municipality), pytest.raises(DomainError):
        services.appointment_record_held(
            actor=w.member, appointment=appointment, expected_version=1
        )
    with scope(municipality=w.municipality):
        assert not Activity.objects.exists()


# --- pages ------------------------------------------------------------------------------


def post(client, url, data, w):
    return client.post(url, {**data, "municipality": w.municipality.pk})


def test_the_whole_flow_on_the_pages(client, w):
    """Plan a home visit, see it in my agenda, the team agenda and the case page,
    record it afterwards."""
    client.force_login(w.member)
    starts_at, ends_at = later()
    url = reverse("agenda:plan_case", args=[w.case.pk])
    assert client.get(url).status_code == 200
    response = post(
        client,
        url,
        {
            "kind": "home_visit",
            "starts_at": timezone.localtime(starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(ends_at).strftime("%Y-%m-%dT%H:%M"),
            "place": "Dorpsstraat 1",
            "participants": [staff(w.colleague, w.municipality).pk],
        },
        w,
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    with scope(municipality=w.municipality):
        appointment = Appointment.objects.get()
    detail = reverse("agenda:detail", args=[appointment.pk])
    assert client.get(reverse("agenda:mine")).content.decode().count(detail) == 1
    client.force_login(w.colleague)
    assert detail in client.get(reverse("agenda:mine")).content.decode()
    assert detail in client.get(f"{reverse('agenda:team')}?team={w.kernteam.pk}").content.decode()
    assert detail in client.get(reverse("cases:detail", args=[w.case.pk])).content.decode()
    assert client.get(detail).status_code == 200
    with time_machine.travel(appointment.ends_at + timedelta(hours=1)):
        client.force_login(w.member)
        page = client.get(reverse("agenda:mine")).content.decode()
        assert "Nog vast te leggen" in page and detail in page
        response = post(
            client,
            reverse("agenda:record", args=[appointment.pk]),
            {"note": "Gesprek gevoerd.", "version": 1},
            w,
        )
        assert response.status_code == 302
    with scope(municipality=w.municipality):
        assert Appointment.objects.get().status == Appointment.Status.HELD
        assert Activity.objects.filter(case=w.case, note="Gesprek gevoerd.").count() == 1


def test_the_plan_form_names_the_field_and_saves_nothing(client, w):
    client.force_login(w.member)
    start = timezone.localtime(timezone.now() - timedelta(days=1))
    response = post(
        client,
        reverse("agenda:plan_case", args=[w.case.pk]),
        {
            "kind": "home_visit",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
        w,
    )
    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors
    starts_at, _ends = later()
    response = post(
        client,
        reverse("agenda:plan_case", args=[w.case.pk]),
        {
            "kind": "home_visit",
            "starts_at": timezone.localtime(starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(starts_at - timedelta(hours=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
        },
        w,
    )
    assert "ends_at" in response.context["form"].errors
    with scope(municipality=w.municipality):
        assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("who", "code"),
    [("expert", 403), ("policy", 403), ("admin", 403), ("driel_member", 404)],
)
def test_the_plan_page_refuses_others(client, w, who, code):
    client.force_login(getattr(w, who))
    assert client.get(reverse("agenda:plan_case", args=[w.case.pk])).status_code == code


@pytest.mark.parametrize(
    ("who", "code"),
    [("expert", 403), ("policy", 403), ("admin", 403), ("driel_member", 404)],
)
def test_the_appointment_pages_refuse_others(client, w, who, code):
    appointment = plan(w)
    client.force_login(getattr(w, who))
    for name in ("update", "cancel", "record"):
        assert client.get(reverse(f"agenda:{name}", args=[appointment.pk])).status_code == code
    detail = client.get(reverse("agenda:detail", args=[appointment.pk])).status_code
    assert detail == (200 if who == "expert" else 404)


def test_the_question_page_plans_a_kitchen_table_talk(client, w):
    client.force_login(w.member)
    page = client.get(reverse("intake:question_detail", args=[w.loose.pk])).content.decode()
    url = reverse("agenda:plan_question", args=[w.loose.pk])
    assert url in page
    assert client.get(url).status_code == 200


def test_the_team_agenda_is_for_its_members(client, w):
    client.force_login(w.driel_member)
    assert client.get(f"{reverse('agenda:team')}?team={w.kernteam.pk}").status_code == 403


def test_another_municipality_s_objects_are_404(client, w):
    client.force_login(w.member)
    pk = w.foreign.appointment.pk
    for url in (
        reverse("agenda:detail", args=[pk]),
        reverse("agenda:update", args=[pk]),
        reverse("agenda:cancel", args=[pk]),
        reverse("agenda:record", args=[pk]),
        reverse("agenda:plan_case", args=[w.foreign.case.pk]),
        f"{reverse('agenda:team')}?team={w.foreign.case.team_id}",
    ):
        assert client.get(url).status_code == 404, url


def test_my_agenda_has_a_fixed_number_of_queries(client, w, django_assert_max_num_queries):
    client.force_login(w.member)
    plan(w)
    client.get(reverse("agenda:mine"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("agenda:mine"))
    for hours in range(30, 40):
        plan(w, starts_at=later(hours)[0], ends_at=later(hours)[1])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("agenda:mine"))
    assert len(response.context["upcoming"]) == 11
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"{reverse('agenda:team')}?team={w.kernteam.pk}")


# --- API --------------------------------------------------------------------------------


def api_body(w, **kwargs):
    starts_at, ends_at = later()
    return {
        "case": w.case.pk,
        "kind": "home_visit",
        "starts_at": starts_at.isoformat(),
        "ends_at": ends_at.isoformat(),
        "participants": [staff(w.colleague, w.municipality).pk],
        **kwargs,
    }


def test_the_api_plans_lists_changes_cancels(w):
    api = api_for(w.member, w.municipality)
    response = api.post("/api/v1/appointments/", api_body(w), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    pk = data["id"]
    listed = api.get("/api/v1/appointments/", {"mine": "true", "case": w.case.pk}).json()
    assert [row["id"] for row in listed["results"]] == [pk]
    far = (timezone.now() + timedelta(days=30)).isoformat()
    assert api.get("/api/v1/appointments/", {"from": far}).json()["results"] == []
    starts_at, ends_at = later(72)
    body = {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(), "version": 1}
    response = api.patch(f"/api/v1/appointments/{pk}/", body, format="json")
    assert response.status_code == 200, response.content
    assert api.patch(f"/api/v1/appointments/{pk}/", body, format="json").status_code == 409
    response = api.post(
        f"/api/v1/appointments/{pk}/cancel/", {"reason": "Ziek.", "version": 2}, format="json"
    )
    assert response.json()["status"] == "cancelled"


def test_the_api_refuses_bad_input_naming_the_field(w):
    api = api_for(w.member, w.municipality)
    start = timezone.now() - timedelta(hours=3)
    past = api_body(
        w, starts_at=start.isoformat(), ends_at=(start + timedelta(hours=1)).isoformat()
    )
    response = api.post("/api/v1/appointments/", past, format="json")
    assert response.status_code == 400 and "starts_at" in response.json()
    starts_at, _ends = later()
    backwards = api_body(w, ends_at=(starts_at - timedelta(hours=1)).isoformat())
    response = api.post("/api/v1/appointments/", backwards, format="json")
    assert response.status_code == 400 and "ends_at" in response.json()
    foreign = api_body(w, participants=[w.foreign.staff.pk])
    response = api.post("/api/v1/appointments/", foreign, format="json")
    assert response.status_code == 400 and "participants" in response.json()
    with scope(municipality=w.municipality):
        assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("who", "code"), [("expert", 403), ("policy", 403), ("admin", 403), ("driel_member", 404)]
)
def test_the_api_refuses_others(w, who, code):
    response = api_for(getattr(w, who), w.municipality).post(
        "/api/v1/appointments/", api_body(w, participants=[]), format="json"
    )
    assert response.status_code == code
    appointment = plan(w)
    response = api_for(getattr(w, who), w.municipality).post(
        f"/api/v1/appointments/{appointment.pk}/cancel/",
        {"reason": "x", "version": 1},
        format="json",
    )
    assert response.status_code == code


def test_the_api_records_once(w):
    appointment = plan(w)
    api = api_for(w.member, w.municipality)
    url = f"/api/v1/appointments/{appointment.pk}/record/"
    with time_machine.travel(appointment.ends_at + timedelta(hours=1)):
        response = api.post(url, {"note": "Gedaan.", "version": 1}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["activity"] is not None
        again = api.post(url, {"note": "Nog eens.", "version": 2}, format="json")
        assert again.status_code == 400
    with scope(municipality=w.municipality):
        assert Activity.objects.filter(case=w.case).count() == 1


def test_the_api_answers_404_for_another_municipality(w):
    api = api_for(w.member, w.municipality)
    pk = w.foreign.appointment.pk
    assert api.get(f"/api/v1/appointments/{pk}/").status_code == 404
    assert (
        api.post(
            f"/api/v1/appointments/{pk}/cancel/", {"reason": "x", "version": 1}, format="json"
        ).status_code
        == 404
    )
    response = api.post("/api/v1/appointments/", api_body(w, case=w.foreign.case.pk), format="json")
    assert response.status_code == 400 and "case" in response.json()


# --- the calendar feed ------------------------------------------------------------------


def make_feed(client, w, user):
    client.force_login(user)
    response = post(client, reverse("agenda:feed_settings"), {"action": "create"}, w)
    assert response.status_code == 200
    return response.context["feed_url"]


def test_the_feed_holds_the_appointment_without_the_resident(client, w):
    appointment = plan(w)
    url = make_feed(client, w, w.colleague)
    client.logout()
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "private" in response["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == appointment.starts_at.replace(microsecond=0)
    assert f"Casus {w.case.pk}" in str(event["summary"])
    assert str(event["url"]).endswith(reverse("agenda:detail", args=[appointment.pk]))
    text = response.content.decode()
    for private in ("Anna", "de Vries", "Dorpsstraat"):
        assert private not in text
    with scope(municipality=w.municipality):
        assert CalendarFeed.objects.get().last_used_at is not None


def test_a_renewed_or_revoked_feed_is_404(client, w):
    first = make_feed(client, w, w.member).removeprefix("http://testserver")
    second = make_feed(client, w, w.member).removeprefix("http://testserver")
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.force_login(w.member)
    post(client, reverse("agenda:feed_settings"), {"action": "revoke"}, w)
    client.logout()
    assert client.get(second).status_code == 404


def test_an_inactive_person_s_feed_is_404(client, w):
    url = make_feed(client, w, w.member).removeprefix("http://testserver")
    with scope(municipality=w.municipality):
        person = staff(w.member, w.municipality)
        person.is_active = False
        person.save()
    client.logout()
    assert client.get(url).status_code == 404


def test_a_forged_key_or_another_municipality_is_404(client, w):
    url = make_feed(client, w, w.member)
    key = url.rsplit("/", 1)[1].removesuffix(".ics")
    secret = key.split("_", 2)[2]
    other = w.foreign.case.municipality_id
    client.logout()
    for forged in (f"agd_{other}_{secret}", "agd_x_y", f"agd_{w.municipality.pk}_{'a' * 43}"):
        assert client.get(reverse("agenda:feed", args=[forged])).status_code == 404


def test_the_feed_page_shows_the_address_once(client, w):
    make_feed(client, w, w.member)
    page = client.get(reverse("agenda:feed_settings"))
    assert page.status_code == 200
    assert "agd_" not in page.content.decode()


def test_an_integration_account_gets_no_feed(w, municipality):
    integration = make_person(municipality)
    with scope(municipality=municipality):
        record = staff(integration, municipality)
        record.is_integration = True
        record.save()
        with pytest.raises(PermissionDenied):
            services.calendar_feed_create(actor=integration, municipality=municipality)


def test_done_when_plan_feed_record_and_correct(client, w):
    """Issue #20's "done when": a kernteam member plans a home visit that appears
    in the agenda and the iCalendar feed, records it afterwards, corrects the note
    (both versions visible)."""
    appointment = plan(w)
    feed_url = make_feed(client, w, w.member).removeprefix("http://testserver")
    assert (
        reverse("agenda:detail", args=[appointment.pk])
        in client.get(reverse("agenda:mine")).content.decode()
    )
    client.logout()
    (event,) = icalendar.Calendar.from_ical(client.get(feed_url).content).walk("VEVENT")
    assert str(event["url"]).endswith(reverse("agenda:detail", args=[appointment.pk]))
    with time_machine.travel(appointment.ends_at + timedelta(hours=1)):
        client.force_login(w.member)
        post(
            client,
            reverse("agenda:record", args=[appointment.pk]),
            {"note": "Zoon aanwezig.", "version": 1},
            w,
        )
        with scope(municipality=w.municipality):
            activity = Appointment.objects.get(pk=appointment.pk).activity
        response = post(
            client,
            reverse("cases:activity_correct", args=[activity.pk]),
            {"text": "Dochter aanwezig.", "reason": "Vergissing.", "version": activity.version},
            w,
        )
        assert response.status_code == 302
        page = client.get(reverse("cases:detail", args=[w.case.pk])).content.decode()
    assert "Dochter aanwezig." in page and "Zoon aanwezig." in page and "gecorrigeerd" in page
