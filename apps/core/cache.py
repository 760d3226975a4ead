"""A Redis cache that fails open: with Redis hung or gone it behaves like
Django's DummyCache (nothing found, nothing kept) and logs a warning, instead of
raising into the request.

Why the cache backend and not a throttle subclass: every user of the cache is
then covered at once — DRF's rate limits (`SimpleRateThrottle` reads and
writes `django.core.cache.cache`), the password-reset budget in
apps.accounts.views, and whatever uses the cache later — and none of them
needs its own try/except. What the cache holds here is a limit, never data: an
empty cache for a while lets requests through that a counter would have
stopped, which is better than an API and a reset page that answer 500 (the
login lock, django-axes, keeps its counts in the database and holds).

The socket timeouts (OPTIONS `socket_timeout`, `socket_connect_timeout`, see
settings.CACHES) bound the wait for a hung Redis; after a failure the cache is
left alone for `RETRY_AFTER` seconds (per cache connection, i.e. per thread), so
a request with several cache calls does not wait for each of them.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("portal.cache")

# Redis unreachable, hung (a read or connect that timed out) or a socket error.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class FailOpenRedisCache(RedisCache):
    # Seconds this process skips Redis after a failure before trying it again.
    RETRY_AFTER = 10.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def _call(self, operation, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback()
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except UNREACHABLE as exc:
            self._down_until = time.monotonic() + self.RETRY_AFTER
            logger.warning(
                "cache unreachable (%s: %s); going on without it (rate limits are not "
                "counted) for %ss",
                type(exc).__name__,
                exc,
                self.RETRY_AFTER,
            )
            return fallback()

    # The answers of django.core.cache.backends.dummy.DummyCache.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", lambda: True, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", lambda: None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", lambda: False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found")  # as for a key that is not there

        return self._call("incr", missing, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", lambda: None, keys, version)

    def clear(self):
        return self._call("clear", lambda: None)
