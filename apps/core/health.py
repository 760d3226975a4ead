"""Liveness and readiness (django-health-check).

- `/healthz` (liveness): the process answers. No database, no Redis: a
  container is restarted for this one only, and restarting the web server does
  not bring back a database.
- `/readyz` (readiness): the database answers, the cache and the Redis broker
  answer (short timeouts), and a Celery worker wrote its heartbeat recently.
  200 when every check passes, 503 naming the failing check; JSON with
  `?format=json` or `Accept: application/json`. No authentication and nothing
  of a municipality or a person in it; error details go to the log, not to
  the answer.

The worker heartbeat: the beat task `apps.core.tasks.worker_heartbeat` (every
minute) and the worker's start write a timestamp into the shared cache; older
than HEALTH_WORKER_HEARTBEAT_MAX_AGE seconds means no worker is working off the
queue (or beat does not schedule). Without a broker (tasks run in-process,
`make run`) there is no worker to check and the check is left out.
"""

import dataclasses
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from health_check.backends import HealthCheck
from health_check.contrib.db_heartbeat.backends import DatabaseHeartBeatCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

logger = logging.getLogger(__name__)

HEARTBEAT_CACHE_KEY = "portal:celery-worker-heartbeat"


def record_worker_heartbeat(now: float | None = None) -> None:
    """Called by the worker (beat task, worker start): it is alive and working."""
    cache.set(HEARTBEAT_CACHE_KEY, time.time() if now is None else now, timeout=24 * 60 * 60)


def worker_check_applies() -> bool:
    return bool(settings.CELERY_BROKER_URL) and not settings.CELERY_TASK_ALWAYS_EAGER


@dataclasses.dataclass
class Database(DatabaseHeartBeatCheck):
    """SELECT 1 on the default database. The driver's error (host names,
    addresses) is logged, not shown to whoever asks."""

    def check_status(self):
        try:
            super().check_status()
        except ServiceUnavailable as exc:
            logger.warning("readiness: %s", exc)
            raise ServiceUnavailable("database does not answer") from exc

    def __repr__(self):
        return "database"


@dataclasses.dataclass
class Cache(HealthCheck):
    """A value written to the cache can be read back. The cache answers as
    empty while Redis is gone (apps.core.cache.FailOpenRedisCache), so a value
    that does not come back means Redis does not answer."""

    def check_status(self):
        key = f"portal:readiness:{time.monotonic_ns()}"
        try:
            cache.set(key, "ok", timeout=10)
            value = cache.get(key)
            cache.delete(key)
        except Exception as exc:  # any cache backend's own error
            logger.warning("readiness: cache error %r", exc)
            raise ServiceUnavailable("cache does not answer") from exc
        if value != "ok":
            raise ServiceUnavailable("cache does not answer")

    def __repr__(self):
        return "cache"


@dataclasses.dataclass
class Broker(HealthCheck):
    """PING to the Redis broker, with the broker's socket timeouts."""

    enabled: bool = dataclasses.field(default=True, init=False)

    def __post_init__(self):
        self.enabled = worker_check_applies() and settings.CELERY_BROKER_URL.startswith(
            ("redis://", "rediss://")
        )

    def check_status(self):
        import redis

        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL,
            socket_timeout=settings.BROKER_SOCKET_TIMEOUT,
            socket_connect_timeout=settings.BROKER_SOCKET_TIMEOUT,
        )
        try:
            client.ping()
        except redis.RedisError as exc:
            logger.warning("readiness: broker error %r", exc)
            raise ServiceUnavailable("broker (Redis) does not answer") from exc
        finally:
            client.close()

    def __repr__(self):
        return "broker"


@dataclasses.dataclass
class WorkerHeartbeat(HealthCheck):
    """A Celery worker wrote its heartbeat less than
    HEALTH_WORKER_HEARTBEAT_MAX_AGE seconds ago."""

    enabled: bool = dataclasses.field(default=True, init=False)

    def __post_init__(self):
        self.enabled = worker_check_applies()

    def check_status(self):
        max_age = settings.HEALTH_WORKER_HEARTBEAT_MAX_AGE
        last = cache.get(HEARTBEAT_CACHE_KEY)
        if last is None:
            raise ServiceUnavailable("no heartbeat from a Celery worker")
        age = time.time() - float(last)
        if age > max_age:
            raise ServiceUnavailable(
                f"last heartbeat from a Celery worker {int(age)} s ago (more than {max_age} s)"
            )

    def __repr__(self):
        return "celery_worker"


# (check, options): the form django-health-check reads.
READINESS_CHECKS = tuple((check, {}) for check in (Database, Cache, Broker, WorkerHeartbeat))


class ReadinessView(HealthCheckView):
    """django-health-check's view: HTML, or JSON ({check: "OK" | error}) on
    request; 503 (not its 500) when a check fails, as load balancers expect."""

    checks = READINESS_CHECKS

    def get_plugins(self):
        for label, plugin in super().get_plugins():
            if getattr(plugin, "enabled", True):
                yield label, plugin

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
        return response


readyz = ReadinessView.as_view()


def healthz(request):
    """Liveness: the process is up and answers. Touches no database."""
    return HttpResponse("ok", content_type="text/plain")
