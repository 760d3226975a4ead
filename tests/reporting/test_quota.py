"""Reports share one worker between all municipalities: a daily quota per
person (counted from the stored requests, so it holds without Redis), a queue
of their own, and at most a few builds at once per municipality."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope

from apps.reporting import services, tasks
from apps.reporting.models import Report
from tests.conftest import make_person
from tests.factories import ReportFactory

QUOTA_MESSAGE = "U heeft vandaag al 3 rapportages aangevraagd"


@pytest.fixture(autouse=True)
def _quota(settings, tmp_path):
    settings.REPORT_REQUESTS_PER_DAY = 3
    settings.REPORT_BUILDS_PER_MUNICIPALITY = 2
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def advisor(municipality):
    return make_person(municipality, policy=True)


def request_report(user, municipality, start, end="2015-01"):
    with scope(municipality=municipality):
        return services.report_request(
            actor=user, municipality=municipality, period_start=start, period_end=end
        )


def fill_quota(advisor, municipality):
    for start in ("2014-10", "2014-11", "2014-12"):
        _report, created = request_report(advisor, municipality, start)
        assert created


def count(municipality):
    with scope(municipality=municipality):
        return Report.objects.count()


def test_requests_over_the_daily_quota_are_refused_and_nothing_is_stored(advisor, municipality):
    from apps.reporting.services import ReportQuotaExceeded

    fill_quota(advisor, municipality)
    with pytest.raises(ReportQuotaExceeded) as refused:
        request_report(advisor, municipality, "2014-09")
    assert QUOTA_MESSAGE in str(refused.value.message)
    assert count(municipality) == 3


def test_asking_again_for_a_report_being_made_does_not_count_against_the_quota(
    advisor, municipality
):
    fill_quota(advisor, municipality)
    # The same period as one still being made creates no work: its report is returned.
    again, created = request_report(advisor, municipality, "2014-12")
    assert not created
    assert count(municipality) == 3


def test_asking_again_for_a_ready_report_counts_because_it_builds_again(advisor, municipality):
    from apps.reporting.services import ReportQuotaExceeded

    first, _created = request_report(advisor, municipality, "2014-12")
    with scope(municipality=municipality):
        Report.objects.filter(pk=first.pk).update(status=Report.Status.READY)
    request_report(advisor, municipality, "2014-10")
    request_report(advisor, municipality, "2014-11")
    with pytest.raises(ReportQuotaExceeded):
        request_report(advisor, municipality, "2014-12")


def test_yesterdays_requests_do_not_count(advisor, municipality):
    fill_quota(advisor, municipality)
    with scope(municipality=municipality):
        Report.objects.update(created_at=timezone.now() - timedelta(days=1, hours=1))
    _report, created = request_report(advisor, municipality, "2014-09")
    assert created


def test_the_quota_is_per_person(advisor, municipality):
    fill_quota(advisor, municipality)
    colleague = make_person(municipality, policy=True)
    _report, created = request_report(colleague, municipality, "2014-09")
    assert created


def test_the_monthly_schedule_is_not_held_back_by_a_persons_quota(
    advisor, municipality, django_capture_on_commit_callbacks
):
    fill_quota(advisor, municipality)
    with scope(municipality=municipality):
        _report, created = services.report_schedule_last_month(municipality)
    assert created


def test_the_page_shows_the_quota_message_and_saves_nothing(client, advisor, municipality):
    fill_quota(advisor, municipality)
    client.force_login(advisor)
    response = client.post(
        "/rapportages/", {"period_start": "2014-09", "period_end": "2014-09"}, follow=False
    )
    assert response.status_code == 400
    assert QUOTA_MESSAGE in response.content.decode()
    assert count(municipality) == 3


def test_the_api_answers_429_with_a_clear_message_over_the_quota(client, advisor, municipality):
    fill_quota(advisor, municipality)
    client.force_login(advisor)
    response = client.post(
        "/api/v1/reports/",
        {"period_start": "2014-09", "period_end": "2014-09"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert QUOTA_MESSAGE in response.json()["detail"]
    assert count(municipality) == 3


def test_the_api_still_returns_a_report_being_made_at_the_quota(client, advisor, municipality):
    fill_quota(advisor, municipality)
    client.force_login(advisor)
    response = client.post(
        "/api/v1/reports/",
        {"period_start": "2014-12", "period_end": "2015-01"},
        content_type="application/json",
    )
    assert response.status_code == 200


# --- the worker: a queue of its own, a fair share per municipality ----------------


def test_report_builds_go_to_the_reports_queue():
    from config.celery import app

    route = app.amqp.router.route({}, "apps.reporting.tasks.build_report")
    assert route["queue"].name == "reports"
    letters = app.amqp.router.route({}, "apps.decisions.tasks.build_decision_letter")
    assert letters["queue"].name != "reports"


def running(municipality, n):
    with scope(municipality=municipality):
        return [
            ReportFactory(
                municipality=municipality,
                status=Report.Status.RUNNING,
                started_at=timezone.now(),
                period_start=timezone.localdate().replace(year=2010 + i, month=1, day=1),
                period_end=timezone.localdate().replace(year=2010 + i, month=1, day=31),
                pdf="",
                csv="",
            )
            for i in range(n)
        ]


def test_a_build_waits_while_its_municipality_has_enough_builds_running(advisor, municipality):
    running(municipality, 2)
    report, _created = request_report(advisor, municipality, "2015-01")
    with scope(municipality=municipality), pytest.raises(services.MunicipalityBusy):
        services.report_build(report.pk)
    with scope(municipality=municipality):
        report.refresh_from_db()
    assert report.status == Report.Status.QUEUED and report.attempts == 0


def test_builds_of_another_municipality_do_not_hold_up_a_build(
    advisor, municipality, other_municipality
):
    running(other_municipality, 2)
    running(municipality, 1)
    report, _created = request_report(advisor, municipality, "2015-01")
    with scope(municipality=municipality):
        built = services.report_build(report.pk)
    assert built.status == Report.Status.READY


def test_a_build_left_by_a_dead_worker_does_not_hold_up_a_build(advisor, municipality):
    stale = running(municipality, 2)
    with scope(municipality=municipality):
        Report.objects.filter(pk__in=[r.pk for r in stale]).update(
            started_at=timezone.now() - services.STALE_RUNNING - timedelta(minutes=1)
        )
    report, _created = request_report(advisor, municipality, "2015-01")
    with scope(municipality=municipality):
        built = services.report_build(report.pk)
    assert built.status == Report.Status.READY


def test_a_build_that_finds_its_municipality_busy_is_sent_again_later(
    advisor, municipality, monkeypatch
):
    running(municipality, 2)
    report, _created = request_report(advisor, municipality, "2015-01")
    sent = []
    monkeypatch.setattr(tasks.build_report, "apply_async", lambda **kwargs: sent.append(kwargs))
    # Called as a worker calls it (not eagerly: in-process it is built, see below).
    assert tasks.build_report(report_id=report.pk, municipality_id=municipality.pk) is None
    assert len(sent) == 1
    assert sent[0]["kwargs"] == {"report_id": report.pk, "municipality_id": municipality.pk}
    assert sent[0]["countdown"] > 0
    with scope(municipality=municipality):
        report.refresh_from_db()
    assert report.status == Report.Status.QUEUED


def test_a_build_in_the_requesting_process_is_made_even_when_its_municipality_is_busy(
    advisor, municipality
):
    """Without a broker (the local demo) the build runs in the request itself: it
    takes no shared worker, and no sweep would send a waiting report again."""
    running(municipality, 2)
    report, _created = request_report(advisor, municipality, "2015-01")
    tasks.build_report.apply(kwargs={"report_id": report.pk, "municipality_id": municipality.pk})
    with scope(municipality=municipality):
        report.refresh_from_db()
    assert report.status == Report.Status.READY
