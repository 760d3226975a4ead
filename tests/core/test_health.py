"""Liveness (/healthz) and readiness (/readyz, django-health-check)."""

import os
import socket
import time

import pytest
from django.test import Client
from health_check.contrib.db_heartbeat.backends import DatabaseHeartBeatCheck
from health_check.exceptions import ServiceUnavailable

from apps.core.health import HEARTBEAT_CACHE_KEY, record_worker_heartbeat

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL not set")
# The real Redis of `make test` (its databases 0 and 9) is one for all pytest-xdist
# workers: the tests that use it run in one group, one after another.
pytestmark = pytest.mark.xdist_group("redis")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def with_broker(settings):
    """A production-like set-up: tasks go to a Redis broker and a worker."""
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False


def ready(client=None, **headers):
    client = client or Client()
    return client.get("/readyz", {"format": "json"}, **headers)


@pytest.mark.django_db
@needs_redis
def test_readiness_is_ready_with_database_cache_broker_and_a_fresh_worker_heartbeat(with_broker):
    record_worker_heartbeat()

    response = ready()

    assert response.status_code == 200
    assert response.json() == {
        "database": "OK",
        "cache": "OK",
        "broker": "OK",
        "celery_worker": "OK",
    }


@pytest.mark.django_db
def test_readiness_answers_json_to_an_accept_header_and_leaves_out_the_worker_without_a_broker():
    response = Client().get("/readyz", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    # make run: tasks run in-process, no worker and no broker to check.
    assert response.json() == {"database": "OK", "cache": "OK"}


@pytest.mark.django_db
def test_readiness_names_the_failing_database_check_with_503_and_no_connection_details(
    monkeypatch,
):
    def database_down(self):
        raise ServiceUnavailable(
            'Database health check failed: connection to server at "10.1.2.3", port 5432 failed'
        )

    monkeypatch.setattr(DatabaseHeartBeatCheck, "check_status", database_down)

    response = ready()

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable: database does not answer"
    assert response.json()["cache"] == "OK"
    assert b"10.1.2.3" not in response.content


@pytest.mark.django_db
def test_readiness_is_503_naming_cache_and_broker_when_redis_is_gone(settings, with_broker):
    port = closed_port()
    settings.CACHES = {
        "default": {
            "BACKEND": "apps.core.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/1",
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    }
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"

    started = time.monotonic()
    response = ready()

    assert time.monotonic() - started < 10  # short timeouts, no hanging request
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "OK"
    assert body["cache"] == "unavailable: cache does not answer"
    assert body["broker"] == "unavailable: broker (Redis) does not answer"
    assert body["celery_worker"] == "unavailable: no heartbeat from a Celery worker"


@pytest.mark.django_db
@needs_redis
def test_readiness_is_503_when_the_worker_heartbeat_is_stale(settings, with_broker):
    settings.HEALTH_WORKER_HEARTBEAT_MAX_AGE = 300
    record_worker_heartbeat(now=time.time() - 600)

    response = ready()

    assert response.status_code == 503
    assert response.json()["celery_worker"].startswith(
        "unavailable: last heartbeat from a Celery worker 6"
    )
    assert response.json()["broker"] == "OK"


@pytest.mark.django_db
@needs_redis
def test_readiness_is_503_when_no_worker_ever_wrote_a_heartbeat(with_broker):
    from django.core.cache import cache

    cache.delete(HEARTBEAT_CACHE_KEY)

    response = ready()

    assert response.status_code == 503
    assert response.json()["celery_worker"] == "unavailable: no heartbeat from a Celery worker"


def test_the_beat_task_writes_the_worker_heartbeat():
    from django.core.cache import cache

    from apps.core.tasks import worker_heartbeat

    cache.delete(HEARTBEAT_CACHE_KEY)
    worker_heartbeat.apply()

    assert time.time() - cache.get(HEARTBEAT_CACHE_KEY) < 5


def test_worker_heartbeat_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["core-worker-heartbeat"]
    assert entry["task"] == "apps.core.tasks.worker_heartbeat"
    assert entry["schedule"] <= 60
    assert entry["schedule"] < settings.HEALTH_WORKER_HEARTBEAT_MAX_AGE


def test_liveness_answers_without_touching_the_database():
    # No django_db mark: any query would fail this test.
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_health_urls_need_no_login_no_second_factor_and_no_https(settings, team_member):
    from django.test import Client as PlainClient

    settings.SECURE_SSL_REDIRECT = True
    settings.OTP_REQUIRED = True
    client = PlainClient()
    client.force_login(team_member)  # password only, second factor not passed

    for url in ("/healthz", "/readyz"):
        response = client.get(url, HTTP_ACCEPT="application/json")
        assert response.status_code == 200, url
    anonymous = PlainClient().get("/readyz?format=json")
    assert anonymous.status_code == 200
    assert "Overbetuwe" not in anonymous.content.decode()
