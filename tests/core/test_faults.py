"""PostgreSQL away or restarted while requests run: a clean 503 with
Retry-After (a page for people, JSON for the API), and the next request
succeeds on the same server process (a persistent connection that died with
the database is noticed and replaced, CONN_HEALTH_CHECKS)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import timedelta
from glob import glob
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import include, path
from django.utils import timezone
from django_scopes import scope
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

import config.urls
import tests.core.test_redis_outage as redis_outage
import tests.decisions.conftest as decisions_conftest

# Fixtures of the Redis-outage tests and of the decisions' tests, used here too.
broken_redis = redis_outage.broken_redis
advisor = redis_outage.advisor
town = decisions_conftest.town


def _database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


class _ApiDatabaseGone(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request):
        raise InterfaceError("connection already closed")


urlpatterns = [
    path("test-db-gone/", _database_gone),
    path("api/v1/test-db-gone/", _ApiDatabaseGone.as_view()),
    path("", include(config.urls)),
]
handler500 = config.urls.handler500


@pytest.mark.urls(__name__)
def test_a_page_whose_database_is_away_answers_503_with_retry_after(db):
    client = Client(raise_request_exception=False)
    response = client.get("/test-db-gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "even niet bereikbaar" in body
    assert "Traceback" not in body and "OperationalError" not in body


@pytest.mark.urls(__name__)
def test_an_api_call_whose_database_is_away_answers_json_503_with_retry_after(db):
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/test-db-gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "detail": "De toegang is even niet bereikbaar. Probeer het over een minuut opnieuw."
    }


def test_persistent_connections_are_checked_before_reuse():
    database = django_settings.DATABASES["default"]
    if database["CONN_MAX_AGE"]:
        assert database["CONN_HEALTH_CHECKS"] is True


# --- a real PostgreSQL restarted under a real gunicorn --------------------------


def _pg_bin() -> str | None:
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return str(Path(found).resolve().parent)
    for directory in sorted(glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.access(f"{directory}/pg_ctl", os.X_OK) and os.access(f"{directory}/initdb", os.X_OK):
            return directory
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own (the test database's server is shared by
    the other tests and must not be restarted), run as `postgres` when root."""

    def __init__(self, pg_bin: str):
        self.pg_bin = pg_bin
        self.port = _free_port()
        # Not under pytest's tmp_path: the postgres user must be able to reach it.
        self.base = Path(tempfile.mkdtemp(prefix="toegang-fault-pg."))
        self.base.chmod(0o755)
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")

    def run(self, tool, *args, check=True):
        command = [f"{self.pg_bin}/{tool}", *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(  # noqa: S603 (fixed tools, our own arguments)
            command, cwd="/", capture_output=True, text=True, timeout=60, check=check
        )

    def init(self):
        self.run(
            "initdb",
            f"--pgdata={self.base}/data",
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )

    def pg_ctl(self, action, *extra):
        return self.run(
            "pg_ctl",
            f"--pgdata={self.base}/data",
            f"--log={self.base}/postgres.log",
            "--options=-c listen_addresses=127.0.0.1 "
            f"-p {self.port} -k {self.base} -c fsync=off -c synchronous_commit=off",
            "--wait",
            "--timeout=30",
            *extra,
            action,
        )

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def destroy(self):
        self.run("pg_ctl", f"--pgdata={self.base}/data", "--mode=immediate", "stop", check=False)
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture
def throwaway_postgres():
    pg_bin = _pg_bin()
    if pg_bin is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser")
    cluster = ThrowawayPostgres(pg_bin)
    try:
        cluster.init()
        cluster.pg_ctl("start")
        yield cluster
    finally:
        cluster.destroy()


MAKE_API_KEY = """
from django_scopes import scopes_disabled
from tests.conftest import api_key_for, make_person
from tests.factories import MunicipalityFactory
with scopes_disabled():
    municipality = MunicipalityFactory()
    person = make_person(municipality, admin=True)
    _token, key = api_key_for(person, municipality)
print(key)
"""


def _get(url, token):
    request = urllib.request.Request(  # noqa: S310 (an http URL of our own server)
        url, headers={"Authorization": f"Token {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (our server)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_a_restarted_postgresql_gives_503_then_the_same_worker_recovers(
    throwaway_postgres, tmp_path
):
    cluster = throwaway_postgres
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "DB_CONN_MAX_AGE": "60",
        "DEBUG": "0",
        "SECRET_KEY": "insecure-test-only-key",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    python = sys.executable
    base_dir = str(django_settings.BASE_DIR)
    subprocess.run(  # noqa: S603 (our interpreter, fixed arguments)
        [python, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=base_dir,
        env=env,
        check=True,
        timeout=120,
    )
    token = (
        subprocess.run(  # noqa: S603 (our interpreter, fixed code)
            [python, "manage.py", "shell", "-c", MAKE_API_KEY],
            cwd=base_dir,
            env=env,
            check=True,
            timeout=60,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(  # noqa: S603 (our interpreter, fixed arguments)
        [
            python,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "sync",
            "--timeout",
            "30",
        ],
        cwd=base_dir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/api/v1/me/"
    try:

        def answers():
            try:
                return _get(url, token)[0] == 200
            except OSError:
                return False

        _wait_for(answers, 30, "gunicorn to answer")  # a persistent connection is open now

        cluster.pg_ctl("stop", "--mode=fast")  # ends every connection, then stops
        status, headers, body = _get(url, token)
        assert status == 503, body
        assert headers.get("Retry-After") == "30"
        assert "Traceback" not in body and "Error" not in body
        assert "even niet bereikbaar" in body

        cluster.pg_ctl("start")
        status, _headers, body = _get(url, token)
        assert status == 200, body

        # Restarted between two requests: the worker's persistent connection is
        # dead, which the health check notices before the next query.
        cluster.pg_ctl("restart", "--mode=fast")
        status, _headers, body = _get(url, token)
        assert status == 200, body
        assert server.poll() is None  # the same worker throughout
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()
    output = (tmp_path / "gunicorn.log").read_text()
    assert "Booting worker" in output and output.count("Booting worker") == 1, output


# --- Redis away: the work waits in the database, the sweeps send it when it is back ----


def _broker_back():
    """Redis answers again. In tests a task that is sent runs at once (eager), as
    a worker would run it from the restored broker."""
    from config.celery import app

    app.conf.update(task_always_eager=True)
    redis_outage._forget_broker_connections(app)


def test_a_report_requested_while_redis_is_away_is_built_by_the_sweep_when_it_returns(
    broken_redis,
    client,
    advisor,
    municipality,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    from apps.reporting.models import Report
    from apps.reporting.tasks import sweep_reports_everywhere

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(advisor)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/reports/",
            {"period_start": "2015-01", "period_end": "2015-02"},
            content_type="application/json",
        )
    assert created.status_code == 201
    with scope(municipality=municipality):
        report = Report.objects.get(pk=created.json()["id"])
        assert report.status == Report.Status.QUEUED  # not sent, not lost

    _broker_back()
    # The beat runs the sweep every ten minutes; it resends what waited that long.
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        sweep_reports_everywhere.apply()

    with scope(municipality=municipality):
        report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.pdf.read().startswith(b"%PDF")


def test_a_decision_letter_whose_task_was_not_sent_while_redis_was_away_is_built_by_the_sweep(
    broken_redis, municipality, town, settings, tmp_path, django_capture_on_commit_callbacks
):
    from apps.decisions import services as decisions
    from apps.decisions.models import Decision, DecisionLetter
    from apps.decisions.tasks import mark_reassessments_everywhere
    from tests.decisions.conftest import submitted_proposal

    settings.MEDIA_ROOT = tmp_path / "media"
    proposal = submitted_proposal(town)
    with scope(municipality=municipality):
        with django_capture_on_commit_callbacks(execute=True):
            decision = decisions.proposal_decide(
                actor=town["consultant"], proposal=proposal, outcome="granted"
            )
        assert Decision.objects.filter(pk=decision.pk).exists()  # the decision stands
        assert not DecisionLetter.objects.filter(decision=decision).exists()

    _broker_back()
    # The daily sweep builds the letters missing for more than ten minutes.
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        mark_reassessments_everywhere.apply()

    with scope(municipality=municipality):
        letters = list(DecisionLetter.objects.filter(decision=decision))
    assert len(letters) == 1
    assert letters[0].file.read().startswith(b"%PDF")
