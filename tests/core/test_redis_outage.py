"""A Redis that hangs (accepts connections, never answers) or is gone
(connection refused) must not take the API down: the cache and the rate limits
fail open with a warning, sending a task gives up quickly and the work is left
for the sweep, and the login lock and the password-reset budget keep working.

The cache and broker settings are the production ones: a subprocess loads
config.settings with REDIS_URL pointing at the fake Redis and prints them."""

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django_scopes import scope
from kombu import pools

from apps.reporting.models import Report
from tests.conftest import make_person
from tests.factories import TEST_PASSWORD

# A request may wait for one cache timeout and the broker's timeouts; far less
# than a client's or a proxy's patience, and than "every call answers 500".
FEW_SECONDS = 10


class HungRedis:
    """A listening socket on 127.0.0.1 that accepts every connection and never
    says a word."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(100)
        self.port = self.server.getsockname()[1]
        self.connections = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _address = self.server.accept()
            except OSError:
                return  # closed
            self.connections.append(connection)

    def close(self):
        self.server.close()
        for connection in self.connections:
            connection.close()


def gone_port() -> int:
    """A port nobody listens on: connection refused."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def production_settings(redis_url: str) -> dict:
    """The cache and Celery settings config.settings makes of REDIS_URL."""
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'CACHES': s.CACHES, 'broker_url': s.CELERY_BROKER_URL, "
        "'broker_transport_options': s.CELERY_BROKER_TRANSPORT_OPTIONS, "
        "'broker_connection_timeout': s.CELERY_BROKER_CONNECTION_TIMEOUT, "
        "'task_publish_retry_policy': s.CELERY_TASK_PUBLISH_RETRY_POLICY}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": redis_url,
        "CACHE_URL": "",
        "CELERY_BROKER_URL": "",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "insecure-test-only-key",
        "PORTAL_BASE_URL": "http://testserver",
    }
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(  # noqa: S603 (this interpreter, fixed code)
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(params=["hung", "gone"])
def broken_redis(request, settings):
    """Cache and broker pointed at a Redis that hangs or is gone, with the
    production settings for both."""
    from config.celery import app

    hung = HungRedis() if request.param == "hung" else None
    port = hung.port if hung else gone_port()
    production = production_settings(f"redis://127.0.0.1:{port}/0")
    assert production["CACHES"]["default"]["BACKEND"] == "apps.core.cache.FailOpenRedisCache"
    settings.CACHES = production["CACHES"]
    celery_keys = [
        "broker_url",
        "broker_transport_options",
        "broker_connection_timeout",
        "task_publish_retry_policy",
        "task_always_eager",
    ]
    saved = {key: app.conf[key] for key in celery_keys}
    app.conf.update(task_always_eager=False, **{key: production[key] for key in celery_keys[:-1]})
    _forget_broker_connections(app)
    yield request.param
    app.conf.update(saved)
    _forget_broker_connections(app)
    if hung:
        hung.close()


def _forget_broker_connections(app):
    # kombu keeps its connection and producer pools in global registries keyed by
    # the connection: closing only the app's pool would leave a closed pool there
    # for the next test that sends a task with the restored settings.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def advisor(municipality):
    return make_person(municipality, policy=True)


def test_the_api_answers_while_redis_hangs_or_is_gone(
    broken_redis, client, advisor, municipality, caplog, django_capture_on_commit_callbacks
):
    client.force_login(advisor)
    caplog.set_level(logging.WARNING)
    started = time.monotonic()
    listed = client.get("/api/v1/reports/")
    assert listed.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/reports/",
            {"period_start": "2015-01", "period_end": "2015-02"},
            content_type="application/json",
        )
    assert created.status_code == 201
    assert time.monotonic() - started < FEW_SECONDS
    logged = [(r.name, r.levelno) for r in caplog.records]
    assert ("portal.cache", logging.WARNING) in logged
    assert ("portal.reporting", logging.WARNING) in logged  # not sent: left for the sweep
    with scope(municipality=municipality):
        report = Report.objects.get(pk=created.json()["id"])
    assert report.status == Report.Status.QUEUED  # the sweep sends it again


def test_the_cache_behaves_as_an_empty_cache_while_redis_hangs_or_is_gone(broken_redis):
    started = time.monotonic()
    assert cache.get("key", "default") == "default"
    cache.set("key", 1)
    assert cache.add("key", 1) is True
    with pytest.raises(ValueError):
        cache.incr("key")
    assert cache.get_many(["key"]) == {}
    assert cache.delete("key") is False
    assert time.monotonic() - started < FEW_SECONDS


def test_the_login_lock_and_the_password_reset_work_while_redis_hangs_or_is_gone(
    broken_redis, municipality, mailoutbox
):
    from django.test import Client

    person = make_person(municipality, policy=True)
    anonymous = Client()
    started = time.monotonic()
    # django-axes counts failed logins in the database, not the cache.
    for _attempt in range(5):
        wrong = anonymous.post("/inloggen/", {"username": person.email, "password": "fout"})
    assert wrong.status_code == 429  # locked out, as with Redis up
    locked = anonymous.post("/inloggen/", {"username": person.email, "password": TEST_PASSWORD})
    assert locked.status_code == 429
    # The reset budget cannot be counted: the mail goes out (fail open), no 500.
    reset = anonymous.post("/wachtwoord-vergeten/", {"email": person.email})
    assert reset.status_code == 302
    assert len(mailoutbox) == 1
    assert time.monotonic() - started < 2 * FEW_SECONDS
