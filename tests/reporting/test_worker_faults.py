"""A Celery worker killed in the middle of a report: the next worker finishes
it, with one PDF and one CSV in storage and no file of the killed attempt left
behind. Real worker processes against the test Redis and the test database."""

import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from django_scopes import scope

from apps.reporting.models import Report
from apps.teams.models import Team
from tests.conftest import make_person
from tests.factories import MunicipalityFactory, QuestionFactory, ReportFactory, TeamFactory

REDIS_URL = os.environ.get("TEST_REDIS_URL")
# The real Redis of `make test` (its databases 0 and 9) is one for all pytest-xdist
# workers: the tests that use it run in one group, one after another.
pytestmark = pytest.mark.xdist_group("redis")

# The worker, started as `python -c WORKER`. The test's only hook lives here,
# not in the application: the second file of the build (the CSV) waits, so the
# kill comes after the PDF is on disk and before the report is ready.
WORKER = r"""
import os, sys, time
import django
django.setup()
from django.core.files.base import ContentFile
from apps.reporting import services
written = []
def content_file(content, name=None):
    written.append(1)
    if os.environ.get("STALL_SECOND_FILE") == "1" and len(written) == 2:
        open(os.environ["STALL_MARKER"], "w").close()
        time.sleep(300)
    return ContentFile(content, name)
services.ContentFile = content_file
from config.celery import app
app.worker_main(
    ["worker", "-Q", "celery,reports", "--pool=solo", "--loglevel=WARNING",
     "--without-mingle", "--without-gossip", "--without-heartbeat"]
)
"""


def _wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _broker_url() -> str:
    # A Redis database of its own: the killed worker's unacknowledged message
    # stays there, and no other test's messages get in.
    return REDIS_URL.rsplit("/", 1)[0] + "/9"


@pytest.fixture
def workers(tmp_path):
    """Start worker processes; kill whatever is left at the end."""
    import redis

    started = []
    client = redis.Redis.from_url(_broker_url())
    client.flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": _broker_url(),
        "CELERY_RESULT_BACKEND": "",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "STALL_MARKER": str(tmp_path / "stalled"),
    }

    def start(*, stall: bool) -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
            [sys.executable, "-c", WORKER],
            cwd=django_settings.BASE_DIR,
            env={**env, "STALL_SECOND_FILE": "1" if stall else "0"},
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / f"worker-{len(started)}.log", "w"),  # noqa: SIM115
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    client.flushdb()


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is set by `make test`")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the test PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_during_a_report_leaves_one_pdf_and_one_csv(workers, tmp_path):
    from celery import Celery

    media = tmp_path / "media"
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
    sender = Celery("worker-fault-test", broker=_broker_url())
    sender.config_from_object("django.conf:settings", namespace="CELERY")
    sender.conf.update(broker_url=_broker_url(), result_backend=None, task_always_eager=False)

    first = workers(stall=True)
    sender.send_task(
        "apps.reporting.tasks.build_report",
        kwargs={"report_id": report.pk, "municipality_id": municipality.pk},
        queue="reports",
    )
    _wait_for(lambda: Path(tmp_path / "stalled").exists(), 40, "the build to write its PDF")
    assert [p.suffix for p in media.rglob("*") if p.is_file()] == [".pdf"]  # half a report
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    with scope(municipality=municipality):
        report.refresh_from_db()
        assert report.status == Report.Status.RUNNING
        # Time passes: past STALE_RUNNING no worker can still be at it, and the
        # sweep (every ten minutes on beat) sends it to a worker again.
        Report.objects.filter(pk=report.pk).update(
            started_at=timezone.now() - timedelta(minutes=13)
        )
    workers(stall=False)
    sender.send_task(
        "apps.reporting.tasks.sweep_reports",
        kwargs={"municipality_id": municipality.pk},
    )

    def finished():
        with scope(municipality=municipality):
            report.refresh_from_db()
        return report.status in (Report.Status.READY, Report.Status.FAILED)

    _wait_for(finished, 40, "the second worker to finish the report")
    assert report.status == Report.Status.READY, report.error
    assert report.attempts == 2
    files = sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())
    # One of each, the ones the report names, and nothing of the killed attempt.
    assert files == sorted([report.pdf.name, report.csv.name])
    assert (media / report.pdf.name).read_bytes().startswith(b"%PDF")
