"""Who the user is, in one query per request: the access version.

Every request loads the person with their `AccessStamp` in one query (the
authentication backend, `apps.accounts.backends`, or the API key lookup,
`apps.tenants.tokens`). What follows from who they are — their second-factor
device, the municipalities they may enter, their identity (staff record and
memberships) in each — is kept in the Django cache under a key with that
version and today's date (`TIME_ZONE`: an active membership depends on its
start and end date), and read from the database when the cache has nothing.

A change bumps the version in the database, inside the transaction that makes
the change (`bump_users`): the model signals of every model that decides who
someone is call it (accounts: the user and their devices; tenants: staff
records, municipalities, teams, memberships, organisations, API keys), and the
few `.update()` calls that bypass the signals call it themselves. The version
is kept in the database, not in the cache: a bump cannot be lost while Redis is
away (the cache fails open, `apps.core.cache`), and a cache that comes back with
old entries holds them under versions nobody asks for any more. A version is a
random UUID, so an old one never returns.

Only a person whose stamp was loaded together with them (the request's user)
is served from the cache; everyone else (a service's actor, a task) is resolved
from the database as before, and so is the person again once `forget` was
called in the request (after a change of their roles)."""

import logging
import uuid
from contextvars import ContextVar

from django.core.cache import cache
from django.utils import timezone

from apps.accounts.models import AccessStamp

logger = logging.getLogger("portal.access")

# Seconds an entry is kept; a new version or a new day makes it unreachable
# long before that.
TIMEOUT = 60 * 60
# The meaning of what is cached: raise it whenever what `identity_for`, the
# municipalities or the device check compute changes (a role rule, a field of
# Identity), so a deploy never reads what the code before it wrote.
SCHEMA = 2
PREFIX = f"portal:who:v{SCHEMA}"

# The people whose version was bumped while this request (or task) ran: their
# stamp loaded at its start is old now, so nothing is served from the cache
# for them until the next request. Reset by `request_started`.
_bumped: ContextVar[frozenset] = ContextVar("portal_access_bumped", default=frozenset())


def request_started() -> None:
    _bumped.set(frozenset())


def bump_users(user_ids) -> None:
    """Give each person a new access version, in the current transaction. One
    new value for all of them is enough: the key names the person too. A person
    without a stamp (none was made for them) is never served from the cache, so
    there is nothing to bump; a stamp is never made here, as this also runs
    while a person and their devices are being deleted."""
    ids = {int(pk) for pk in user_ids if pk is not None}
    if not ids:
        return
    AccessStamp.objects.filter(user_id__in=ids).update(version=uuid.uuid4())
    _bumped.set(_bumped.get() | frozenset(ids))


def stamp_new_user(user) -> None:
    # By id: the stamp is not left on the object (only a stamp loaded with the
    # person by the request's one query is trusted).
    AccessStamp.objects.create(user_id=user.pk)


def loaded_version(user) -> str | None:
    """The version loaded with `user` in this request's one query, or None when
    it was not loaded with them (then nothing may come from the cache)."""
    if user is None or not getattr(user, "pk", None):
        return None
    state = getattr(user, "_state", None)
    stamp = state.fields_cache.get("access_stamp") if state is not None else None
    if stamp is None or user.pk in _bumped.get():
        return None
    return stamp.version.hex


def forget(user) -> None:
    """Drop the stamp loaded with `user`: what follows is read from the database."""
    state = getattr(user, "_state", None)
    if state is not None:
        state.fields_cache.pop("access_stamp", None)


def key(user, part: str) -> str | None:
    """The cache key of `part` of who `user` is, or None when the cache may not
    be used for them."""
    version = loaded_version(user)
    if version is None:
        return None
    return f"{PREFIX}:{user.pk}:{version}:{timezone.localdate().isoformat()}:{part}"


def cached(user, part: str, compute):
    """`compute()`, from the cache when `user`'s version allows it. A miss (or a
    cache that is away) computes it from the database."""
    cache_key = key(user, part)
    if cache_key is None:
        return compute()
    try:
        value = cache.get(cache_key)
    except Exception:  # noqa: BLE001 - an entry this code cannot read (written by
        # other code, e.g. during a rolling deploy) is a miss, never an error.
        logger.warning("access cache: unreadable entry %s; read from the database", part)
        value = None
    if value is None:
        value = compute()
        cache.set(cache_key, value, TIMEOUT)
    return value
