"""The inbox's bounded count, kept briefly in the cache so that a page view does
not count again (issue #18).

The key is the count query itself (its SQL and parameters: the municipality,
the user's teams and staff id from the visibility rule, every filter) and the
municipality's *question version*. Any change to a question, a forward or a
resident of the municipality gives that version a new random value, at once and
again when the transaction commits, so every count of the municipality is
counted afresh on the next request: a user sees their own change (take,
forward, close, register, a corrected name) on the next page. Why one version
per municipality and not per team: a question moves between teams (forward,
correction, a team that ends) and a team member also sees questions that passed
through their teams or that they registered, so which teams' counts a change
touches is not local to the change; per municipality it is right by
construction, at the price of recounting all of the municipality's inboxes
after a change (a count costs a few ms, and writes are far rarer than page views).

A lost version (Redis restarted, evicted) is replaced by a new random value,
never by a default, so an old count is never found again. With the cache away
(apps/core/cache.py fails open) every page counts, as before."""

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction

COUNT_SECONDS = 30


def _version_key(municipality_id) -> str:
    return f"intake:questions:version:{municipality_id}"


def questions_version(municipality_id) -> str:
    key = _version_key(municipality_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    return version or ""


def questions_changed(municipality_id) -> None:
    """The municipality's questions changed: every cached count of it is
    out of date (now, and again at commit, so that a count made by another
    request between the change and the commit is not kept either)."""

    def bump():
        cache.set(_version_key(municipality_id), uuid.uuid4().hex, timeout=None)

    bump()
    transaction.on_commit(bump)


def cached(qs, *, municipality_id, compute, kind: str):
    """`compute()` (a count or aggregate over `qs`), from the cache when the same
    query was answered less than COUNT_SECONDS ago and nothing changed since."""
    version = questions_version(municipality_id) if municipality_id is not None else ""
    if not version:  # no cache at all: compute
        return compute()
    sql, params = qs.query.sql_with_params()
    digest = hashlib.sha256(repr((kind, sql, params)).encode()).hexdigest()
    key = f"intake:questions:count:{municipality_id}:{version}:{digest}"
    found = cache.get(key)
    if found is not None:
        return found
    result = compute()
    cache.set(key, result, COUNT_SECONDS)
    return result


def bounded_count(qs, *, municipality_id, limit: int) -> int:
    """`qs.count()` bounded at `limit` + 1 rows (cached, as `cached`)."""
    return cached(
        qs,
        municipality_id=municipality_id,
        compute=lambda: qs[: limit + 1].count(),
        kind=f"bounded:{limit}",
    )


def on_question_saved(sender, instance, **kwargs):
    questions_changed(instance.municipality_id)
