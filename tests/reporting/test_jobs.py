"""Building reports in the background: the files, idempotency, failures that
leave a clear status and no half file, retries, the sweep, the monthly
schedule, and one run on a real Celery worker against Redis."""

import io
import os
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.utils import timezone
from django_scopes import scope
from pypdf import PdfReader

from apps.reporting import services, tasks
from apps.reporting.models import Report
from apps.teams.models import Team
from tests.conftest import make_person
from tests.factories import QuestionFactory, ReportFactory, TeamFactory

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def advisor(municipality):
    return make_person(municipality, policy=True)


@pytest.fixture
def some_questions(municipality):
    """Seven questions at Kernteam Noord in January 2015, three in February."""
    tz = timezone.get_current_timezone()
    with scope(municipality=municipality):
        team = TeamFactory(
            municipality=municipality, kind=Team.Kind.KERNTEAM, name="Kernteam Noord"
        )
        for day in range(1, 8):
            QuestionFactory(
                municipality=municipality,
                team=team,
                received_at=datetime(2015, 1, day * 3, 10, tzinfo=tz),
            )
        for day in (2, 3, 4):
            QuestionFactory(
                municipality=municipality,
                team=team,
                received_at=datetime(2015, 2, day, 10, tzinfo=tz),
            )
    return team


def queued(municipality, advisor, start="2015-01", end="2015-02"):
    with scope(municipality=municipality):
        report, _ = services.report_request(
            actor=advisor, municipality=municipality, period_start=start, period_end=end
        )
    return report


def media_files():
    root = django_settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_build_makes_the_pdf_and_csv(municipality, advisor, some_questions):
    report = queued(municipality, advisor)
    tasks.build_report.apply(kwargs={"report_id": report.pk, "municipality_id": municipality.pk})
    with scope(municipality=municipality):
        report.refresh_from_db()
    assert report.status == Report.Status.READY, report.error
    assert report.attempts == 1 and report.finished_at
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(report.pdf.read())).pages)
    assert municipality.name in text and "Kernteam Noord" in text
    assert "10" in text  # the total of the first table
    csv = report.csv.read().decode("utf-8-sig")
    assert "Kernteam Noord" in csv and ";" in csv
    assert media_files() == sorted(
        [report.pdf.name.rsplit("/")[-1], report.csv.name.rsplit("/")[-1]]
    )


def test_a_report_is_built_once(municipality, advisor, some_questions):
    report = queued(municipality, advisor)
    kwargs = {"report_id": report.pk, "municipality_id": municipality.pk}
    tasks.build_report.apply(kwargs=kwargs)
    # A duplicate delivery of the same task finds it ready and does nothing.
    assert tasks.build_report.apply(kwargs=kwargs).result is None
    with scope(municipality=municipality):
        report.refresh_from_db()
    assert report.attempts == 1 and len(media_files()) == 2


def test_a_report_being_built_is_not_claimed_twice(municipality, advisor):
    report = queued(municipality, advisor)
    with scope(municipality=municipality):
        assert services.report_claim(report.pk) is not None
        assert services.report_claim(report.pk) is None  # another worker has it
        # ...unless that worker died long ago.
        Report.objects.filter(pk=report.pk).update(
            started_at=timezone.now() - services.STALE_RUNNING - timedelta(minutes=1)
        )
        again = services.report_claim(report.pk)
    assert again is not None and again.attempts == 2


def test_an_error_leaves_a_failed_report_and_no_half_file(
    municipality, advisor, some_questions, monkeypatch
):
    from apps.reporting import render

    def broken_csv(data):
        raise ValueError("kapot")

    # The PDF is saved first; the CSV then fails: the PDF must not stay behind.
    monkeypatch.setattr(render, "render_csv", broken_csv)
    report = queued(municipality, advisor)
    tasks.build_report.apply(kwargs={"report_id": report.pk, "municipality_id": municipality.pk})
    with scope(municipality=municipality):
        report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert "mislukt" in report.error and "ValueError" in report.error
    assert "kapot" not in report.error  # no internals for the user
    assert not report.pdf and not report.csv
    assert media_files() == []


@pytest.fixture
def retries_run_in_process(monkeypatch):
    """In-process (eager) runs chain the retries themselves; the Retry that
    announces each one is an outcome here, not an error of the test."""
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


def test_a_transient_error_is_retried(
    municipality, advisor, some_questions, monkeypatch, retries_run_in_process
):
    from apps.reporting import figures

    real = figures.build_report_data
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("the database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(figures, "build_report_data", flaky)
    report = queued(municipality, advisor)
    tasks.build_report.apply(kwargs={"report_id": report.pk, "municipality_id": municipality.pk})
    with scope(municipality=municipality):
        report.refresh_from_db()
    assert len(calls) == 2
    assert report.status == Report.Status.READY and report.attempts == 2


def test_a_lasting_transient_error_ends_failed(
    municipality, advisor, monkeypatch, retries_run_in_process
):
    from apps.reporting import figures

    def down(*args, **kwargs):
        raise OperationalError("the database is away")

    monkeypatch.setattr(figures, "build_report_data", down)
    report = queued(municipality, advisor)
    tasks.build_report.apply(kwargs={"report_id": report.pk, "municipality_id": municipality.pk})
    with scope(municipality=municipality):
        report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.attempts == services.MAX_ATTEMPTS
    assert "OperationalError" in report.error


def test_a_request_builds_the_report_after_the_commit(
    municipality, advisor, some_questions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = queued(municipality, advisor)
    with scope(municipality=municipality):
        report.refresh_from_db()
    assert report.status == Report.Status.READY


def test_a_broker_that_is_down_leaves_the_report_queued_for_the_sweep(
    municipality, advisor, some_questions, django_capture_on_commit_callbacks, monkeypatch
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.build_report, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        report = queued(municipality, advisor)  # no error for the user
    with scope(municipality=municipality):
        report.refresh_from_db()
        assert report.status == Report.Status.QUEUED
    monkeypatch.undo()
    later = timezone.now() + services.STALE_QUEUED + timedelta(minutes=1)
    with scope(municipality=municipality):
        assert services.reports_sweep(municipality, now=later) == {"resent": 1}
        report.refresh_from_db()
    assert report.status == Report.Status.READY


def test_the_sweep_gives_up_on_a_build_that_hangs(municipality):
    with scope(municipality=municipality):
        report = ReportFactory(
            municipality=municipality,
            status=Report.Status.RUNNING,
            started_at=timezone.now() - timedelta(hours=2),
            attempts=services.MAX_ATTEMPTS,
            pdf="",
            csv="",
        )
        services.reports_sweep(municipality)
        report.refresh_from_db()
    assert report.status == Report.Status.FAILED and "te lang" in report.error


def test_the_monthly_job_builds_last_month_once_for_every_active_municipality(
    municipality, other_municipality, some_questions, django_capture_on_commit_callbacks
):
    from apps.tenants.models import Municipality

    Municipality.objects.filter(pk=other_municipality.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.schedule_monthly_reports_everywhere.apply().result == 1
    with django_capture_on_commit_callbacks(execute=True):
        tasks.schedule_monthly_reports_everywhere.apply()  # the beat fired twice
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    with scope(municipality=municipality):
        reports = list(Report.objects.all())
    assert len(reports) == 1
    report = reports[0]
    assert report.is_scheduled and report.requested_by is None
    assert (report.period_start, report.period_end) == (
        last_month_end.replace(day=1),
        last_month_end,
    )
    assert report.status == Report.Status.READY


def test_the_schedule_has_the_monthly_and_sweep_jobs():
    from celery.schedules import crontab

    schedule = django_settings.CELERY_BEAT_SCHEDULE
    monthly = schedule["reporting-monthly-reports"]
    assert monthly["task"] == "apps.reporting.tasks.schedule_monthly_reports_everywhere"
    assert monthly["schedule"] == crontab(day_of_month=1, hour=4, minute=0)
    assert schedule["reporting-sweep"]["task"] == "apps.reporting.tasks.sweep_reports_everywhere"


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is set by `make test`")
@pytest.mark.xdist_group("redis")  # one Redis for all xdist workers (tests/core/test_health.py)
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_a_report(settings, tmp_path):
    """The real task on a real worker, through Redis: queued → ready."""
    from celery import Celery
    from celery.contrib.testing.worker import start_worker

    from tests.factories import MunicipalityFactory

    settings.MEDIA_ROOT = tmp_path / "worker-media"
    worker_app = Celery("report-worker-test", broker=REDIS_URL, backend=REDIS_URL)
    worker_app.config_from_object("django.conf:settings", namespace="CELERY")
    worker_app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    worker_app.loader.import_default_modules()
    municipality = MunicipalityFactory()
    advisor = make_person(municipality, policy=True)
    with scope(municipality=municipality):
        team = TeamFactory(municipality=municipality, kind=Team.Kind.KERNTEAM)
        QuestionFactory(
            municipality=municipality,
            team=team,
            received_at=timezone.make_aware(datetime(2015, 3, 2, 10)),
        )
        report = ReportFactory(
            municipality=municipality,
            status=Report.Status.QUEUED,
            period_start=date(2015, 3, 1),
            period_end=date(2015, 3, 31),
            requested_by=advisor.staff_memberships.get(municipality=municipality),
            pdf="",
            csv="",
        )
    # The queues of docker-compose.yml's worker: report builds are routed to `reports`.
    with start_worker(
        worker_app,
        pool="solo",
        perform_ping_check=False,
        shutdown_timeout=10,
        queues=["celery", "reports"],
    ):
        result = worker_app.send_task(
            "apps.reporting.tasks.build_report",
            kwargs={"report_id": report.pk, "municipality_id": municipality.pk},
        )
        assert result.get(timeout=60) == "ready"
    with scope(municipality=municipality):
        report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.pdf.read().startswith(b"%PDF")
