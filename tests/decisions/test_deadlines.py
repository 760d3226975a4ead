"""Statutory deadlines: the arithmetic, the daily re-assessment task, the
deadlines page, and the Wmo personal plan and investigation deadline on a question."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.cases import services as cases
from apps.decisions import services as decisions
from apps.decisions.models import DeadlineChange, Proposal, Provision
from apps.decisions.tasks import mark_reassessments_everywhere
from apps.intake.models import IntakeSettings, Question
from tests.conftest import make_person, residents_shown_by
from tests.decisions.conftest import submitted_proposal
from tests.factories import (
    CaseFactory,
    FollowUpFactory,
    ProvisionFactory,
    QuestionFactory,
)

TODAY = timezone.localdate


# --- the arithmetic -------------------------------------------------------------------


def test_decision_deadline_is_two_weeks_for_wmo_and_eight_for_jeugdwet(town):
    wmo = submitted_proposal(town)
    youth = submitted_proposal(town, provision_type=town["youth_care"])
    assert wmo.application_date == TODAY()
    assert wmo.decision_deadline == TODAY() + timedelta(weeks=2)
    assert youth.decision_deadline == TODAY() + timedelta(weeks=8)


def test_decision_weeks_are_configurable(town):
    with scope(municipality=town["m"]):
        IntakeSettings.objects.update_or_create(
            municipality=town["m"], defaults={"wmo_decision_weeks": 3, "other_decision_weeks": 6}
        )
    assert submitted_proposal(town).decision_deadline == TODAY() + timedelta(weeks=3)
    youth = submitted_proposal(town, provision_type=town["youth_care"])
    assert youth.decision_deadline == TODAY() + timedelta(weeks=6)


def test_resubmission_after_a_return_adds_the_days_it_lay_with_the_team(town):
    proposal = submitted_proposal(town)
    first_deadline = proposal.decision_deadline
    with scope(municipality=town["m"]):
        decisions.proposal_decide(
            actor=town["consultant"],
            proposal=proposal,
            outcome="returned",
            reasons="Is er een mantelzorger?",
        )
        # It lay with the team for five days.
        Proposal.objects.filter(pk=proposal.pk).update(
            returned_at=timezone.now() - timedelta(days=5)
        )
        proposal.refresh_from_db()
        proposal = decisions.proposal_submit(actor=town["member"], proposal=proposal)
        change = DeadlineChange.objects.get(proposal=proposal)
    assert proposal.application_date == TODAY()  # the application date stays
    assert proposal.decision_deadline == first_deadline + timedelta(days=5)
    assert change.kind == DeadlineChange.Kind.SUSPEND
    assert (change.old_date, change.new_date) == (first_deadline, proposal.decision_deadline)
    assert "5 dagen" in change.reason


def provision(town, *, end_in_days, **kwargs):
    with scope(municipality=town["m"]):
        case = CaseFactory(municipality=town["m"], team=town["elst"])
        return ProvisionFactory(
            municipality=town["m"],
            decision__proposal__case=case,
            decision__proposal__resident=case.resident,
            decision__proposal__end_date=TODAY() + timedelta(days=end_in_days),
            decision__proposal__start_date=TODAY() - timedelta(days=300),
            **kwargs,
        )


def mark(town):
    with scope(municipality=town["m"]):
        return decisions.reassessments_mark(town["m"])


def test_reassessment_is_flagged_within_the_notice_weeks_and_ended_past_the_end(town):
    with scope(municipality=town["m"]):
        IntakeSettings.objects.update_or_create(
            municipality=town["m"], defaults={"reassessment_notice_weeks": 4}
        )
    inside = provision(town, end_in_days=28)
    outside = provision(town, end_in_days=29)
    past = provision(town, end_in_days=-1)
    open_ended = provision(town, end_in_days=0)
    with scopes_disabled():
        Provision.objects.filter(pk=open_ended.pk).update(end_date=None)
    result = mark(town)
    assert result == {"flagged": 2, "ended": 1}
    with scopes_disabled():
        for p in (inside, outside, past, open_ended):
            p.refresh_from_db()
    assert inside.reassessment_due_since == TODAY() and inside.status == "active"
    assert outside.reassessment_due_since is None
    assert past.status == "ended"
    assert open_ended.reassessment_due_since is None
    # Idempotent: a second run changes nothing.
    assert mark(town) == {"flagged": 0, "ended": 0}
    with scopes_disabled():
        inside.refresh_from_db()
    assert inside.reassessment_due_since == TODAY()


def test_the_daily_task_marks_every_municipality(town, other_municipality):
    due = provision(town, end_in_days=3)
    assert mark_reassessments_everywhere.delay().get() >= 2
    with scopes_disabled():
        due.refresh_from_db()
    assert due.reassessment_due_since == TODAY()


def test_the_beat_schedule_names_a_task_that_exists():
    from config.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


# --- the deadlines page ------------------------------------------------------------------


def overdue_question(town, team, days, **kwargs):
    with scope(municipality=town["m"]):
        return QuestionFactory(
            municipality=town["m"],
            team=team,
            laws=["wmo"],
            investigation_deadline=TODAY() + timedelta(days=days),
            **kwargs,
        )


def test_deadlines_page_lists_what_is_late_or_due_within_a_week(town, client):
    late_question = overdue_question(town, town["elst"], -3)
    soon_question = overdue_question(town, town["elst"], 5)
    far_question = overdue_question(town, town["elst"], 30)
    driel_question = overdue_question(town, town["driel"], -1)
    proposal = submitted_proposal(town)  # due in 14 days: not yet
    late_proposal = submitted_proposal(town, surname="Laat")
    with scopes_disabled():
        Proposal.objects.filter(pk=late_proposal.pk).update(
            decision_deadline=TODAY() - timedelta(days=1)
        )
    flagged = provision(town, end_in_days=20)
    mark(town)
    with scope(municipality=town["m"]):
        follow_up = FollowUpFactory(
            municipality=town["m"], case=flagged.case, due_on=TODAY() + timedelta(days=2)
        )
        later_follow_up = FollowUpFactory(
            municipality=town["m"], case=flagged.case, due_on=TODAY() + timedelta(days=60)
        )
    client.force_login(town["member"])
    response = client.get(reverse("decisions:deadlines"))
    assert response.status_code == 200
    d = response.context["deadlines"]
    assert [q.pk for q in d.investigations] == [late_question.pk, soon_question.pk]
    assert far_question.pk not in [q.pk for q in d.investigations]
    assert driel_question.pk not in [q.pk for q in d.investigations]
    assert [p.pk for p in d.decisions] == [late_proposal.pk]
    assert proposal.pk not in [p.pk for p in d.decisions]
    assert [p.pk for p in d.reassessments] == [flagged.pk]
    assert [f.pk for f in d.follow_ups] == [follow_up.pk]
    assert later_follow_up.pk not in [f.pk for f in d.follow_ups]
    page = response.content.decode()
    assert "3 dagen te laat" in page and "1 dag te laat" in page

    # The loket consultant sees the loket's decisions; Driel's member only Driel's.
    client.force_login(town["consultant"])
    assert [
        p.pk for p in client.get(reverse("decisions:deadlines")).context["deadlines"].decisions
    ] == [late_proposal.pk]
    client.force_login(town["driel_member"])
    d = client.get(reverse("decisions:deadlines")).context["deadlines"]
    assert [q.pk for q in d.investigations] == [driel_question.pk]
    assert d.decisions == [] and d.reassessments == [] and d.follow_ups == []


def test_deadlines_page_is_not_for_policy_advisors(town, client):
    client.force_login(make_person(town["m"], policy=True))
    assert client.get(reverse("decisions:deadlines")).status_code == 403


def test_deadlines_query_count_does_not_grow(town, client, django_assert_max_num_queries):
    client.force_login(town["consultant"])
    url = reverse("decisions:deadlines")

    def more(n):
        for i in range(n):
            overdue_question(town, town["loket"], -i)
            late = submitted_proposal(town, surname=f"Laat{i}")
            with scopes_disabled():
                Proposal.objects.filter(pk=late.pk).update(decision_deadline=TODAY())
            p = provision(town, end_in_days=10)
            with scope(municipality=town["m"]):
                FollowUpFactory(municipality=town["m"], case=late.case, due_on=TODAY())
        mark(town)
        return p

    more(1)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    more(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    d = response.context["deadlines"]
    assert len(d.investigations) == 6 and len(d.decisions) == 6 and len(d.follow_ups) == 6


# --- on a question: the personal plan and the investigation deadline ------------------------


@pytest.fixture
def wmo_question(town):
    with scope(municipality=town["m"]):
        return QuestionFactory(
            municipality=town["m"],
            team=town["elst"],
            laws=["wmo"],
            received_at=timezone.now() - timedelta(days=10),
            investigation_deadline=TODAY() + timedelta(weeks=4),
        )


def test_personal_plan_received_in_time_is_recorded_and_shown(town, client, wmo_question):
    received = timezone.localdate(wmo_question.received_at)
    client.force_login(town["member"])
    page = client.get(reverse("intake:question_detail", args=[wmo_question.pk])).content.decode()
    due = received + timedelta(days=7)
    assert f"uiterlijk {due:%d-%m-%Y}" in page and "nog niet ontvangen" in page
    url = reverse("decisions:question_personal_plan", args=[wmo_question.pk])
    future = client.post(url, {"received_on": (TODAY() + timedelta(days=1)).isoformat()})
    assert future.context["form"].errors["received_on"]
    response = client.post(url, {"received_on": (received + timedelta(days=5)).isoformat()})
    assert response.status_code == 302
    wmo_question.refresh_from_db()
    assert wmo_question.personal_plan_received_on == received + timedelta(days=5)
    page = client.get(reverse("intake:question_detail", args=[wmo_question.pk])).content.decode()
    assert "op tijd" in page


def test_investigation_deadline_is_extended_with_a_reason(town, client, wmo_question):
    old = wmo_question.investigation_deadline
    client.force_login(town["member"])
    url = reverse("decisions:question_deadline", args=[wmo_question.pk])
    new = old + timedelta(weeks=2)
    response = client.post(
        url, {"kind": "suspend", "new_date": new.isoformat(), "reason": "Wacht op medisch advies"}
    )
    assert response.status_code == 302
    wmo_question.refresh_from_db()
    assert wmo_question.investigation_deadline == new
    page = client.get(reverse("intake:question_detail", args=[wmo_question.pk])).content.decode()
    assert "Wacht op medisch advies" in page


def test_a_team_member_of_another_team_cannot_change_the_question_deadline(
    town, client, wmo_question
):
    client.force_login(town["driel_member"])
    url = reverse("decisions:question_deadline", args=[wmo_question.pk])
    new = wmo_question.investigation_deadline + timedelta(days=7)
    response = client.post(url, {"kind": "extend", "new_date": new.isoformat(), "reason": "x"})
    assert response.status_code == 403
    with scope(municipality=town["m"]):
        assert not DeadlineChange.objects.exists()
        assert Question.objects.get(pk=wmo_question.pk).investigation_deadline != new


def test_case_services_are_used_for_a_follow_up(town):
    """The follow-up list reads what case_close planned (not a hand-made row)."""
    proposal = submitted_proposal(town)
    with scope(municipality=town["m"]):
        case = proposal.case
        decisions.proposal_withdraw(actor=town["member"], proposal=proposal)
        case.refresh_from_db()
        cases.case_close(
            actor=town["member"],
            case=case,
            note="Klaar",
            follow_up_dates=[TODAY() + timedelta(days=3)],
            expected_version=case.version,
        )
    from apps.decisions.selectors import deadlines_for

    with scope(municipality=town["m"]):
        found = deadlines_for(town["member"], town["m"])
    assert [f.case_id for f in found.follow_ups] == [case.pk]


def test_the_deadlines_page_logs_one_entry_naming_the_residents_shown(town, client):
    late_question = overdue_question(town, town["elst"], -3)
    client.force_login(town["member"])
    assert client.get(reverse("decisions:deadlines")).status_code == 200
    with scopes_disabled():
        [entry] = AccessLogEntry.objects.filter(
            user=town["member"], object_type="decisions.deadlines"
        )
    assert residents_shown_by(entry) == [late_question.resident_id]
