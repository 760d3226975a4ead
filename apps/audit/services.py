"""Writing the access log. Call `log_access` wherever personal data is read,
changed, exported or downloaded; if it cannot write, the read fails with it."""

import datetime
import logging

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from apps.audit.models import AccessLogEntry, AccessLogResident, purge_allowed
from apps.core.exceptions import DomainError
from apps.core.http import client_ip
from apps.tenants.permissions import Role, identity_for

security_log = logging.getLogger("portal.security")

# Cached on the user object for the length of a request, like the roles
# (dropped with them by apps.tenants.permissions.forget_roles).
ACTED_AS_CACHE = "_audit_acted_as"


def _resident_of(obj):
    from apps.intake.models import Resident

    if obj is None:
        return None
    if isinstance(obj, Resident):
        return obj
    resident = getattr(obj, "resident", None)
    return resident if isinstance(resident, Resident) else None


def acted_as(user, municipality) -> dict:
    """What `user` was in `municipality` at this moment, kept with each entry so
    the log reads the same after someone changes teams or leaves:
    {"roles": [role codes besides staff], "memberships": [{"team", "team_kind",
    "function", "organisation"}]}, names as text. One query per request."""
    if user is None or municipality is None:
        return {}
    cache = user.__dict__.setdefault(ACTED_AS_CACHE, {})
    if municipality.pk in cache:
        return cache[municipality.pk]
    identity = identity_for(user, municipality)
    roles = sorted(r for r in identity.roles if r != Role.STAFF)
    # The memberships read once with the roles (`identity_for`), in the order
    # team name, function.
    memberships = [
        {
            "team": m.team_name,
            "team_kind": m.team_kind,
            "function": m.function,
            "organisation": m.organisation,
        }
        for m in identity.memberships
    ]
    result = {"roles": roles, "memberships": memberships}
    cache[municipality.pk] = result
    return result


def log_access(
    *,
    action: str,
    obj=None,
    request=None,
    user=None,
    municipality=None,
    resident=None,
    object_type: str = "",
    object_id="",
    object_label: str = "",
    reason: str = "",
    channel: str | None = None,
    object_ids=(),
    resident_ids=(),
    resident_id: int | None = None,
) -> AccessLogEntry:
    """Record that `user` (default: the request's user) did `action` on `obj`
    in `municipality` (default: the request's or the object's). A list or search
    names the `object_ids` and `resident_ids` it showed: the entry and one
    INSERT of all its resident rows, two statements whatever the number shown.
    `resident_id` names the entry's resident by id when no `resident` is given."""
    if request is not None:
        user = user or getattr(request, "user", None)
        municipality = municipality or getattr(request, "municipality", None)
        if channel is None:
            channel = (
                AccessLogEntry.Channel.API
                if request.path.startswith("/api/")
                else AccessLogEntry.Channel.WEB
            )
    if municipality is None and obj is not None:
        municipality = obj.municipality
    if user is not None and not user.is_authenticated:
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    # The log is the municipality's record: its labels are Dutch, whatever
    # language the person reading the file had chosen.
    with translation.override("nl"):
        object_label = str(object_label or (str(obj) if obj is not None else ""))
    entry = AccessLogEntry(
        municipality=municipality,
        user=user,
        user_label=(f"{user.full_name} <{user.email}>" if user is not None else "systeem")[:300],
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_label=object_label[:300],
        resident=resident or _resident_of(obj),
        remote_addr=client_ip(request) if request is not None else None,
        channel=channel or AccessLogEntry.Channel.SYSTEM,
        reason=reason or "",
        acted_as=acted_as(user, municipality),
        object_ids=_unique_ids(object_ids),
    )
    if entry.resident_id is None and resident_id is not None:
        entry.resident_id = resident_id
    entry.save()
    shown = _unique_ids(resident_ids)
    if shown:
        # The entry's own municipality, whichever scope is active (as the
        # entry's save, through the append-only base manager).
        AccessLogResident.append_only_base.bulk_create(
            [
                AccessLogResident(municipality=municipality, entry=entry, resident_id=resident_id)
                for resident_id in shown
            ]
        )
    return entry


def _unique_ids(ids) -> list[int]:
    return list(dict.fromkeys(int(i) for i in ids if i is not None))


def log_list(
    *,
    request,
    objects,
    object_type: str,
    object_label: str,
    resident_of=lambda obj: obj.resident_id,
    action: str = AccessLogEntry.Action.VIEW,
    always: bool = False,
    **kwargs,
) -> AccessLogEntry | None:
    """Record that a list or search showed `objects` (one page of them): one entry
    per request, whatever the number shown, naming the ids shown and the
    residents they are about (`resident_of(obj)` gives a resident id without a
    query: select the relation with the list). When the list shows exactly one
    resident, the entry names them as its `resident` too. An empty list is not
    logged, unless `always` (a search: the term is what was looked for)."""
    objects = list(objects)
    if not objects and not always:
        return None
    resident_ids = _unique_ids(resident_of(obj) for obj in objects)
    if len(resident_ids) == 1:
        kwargs.setdefault("resident_id", resident_ids[0])
    return log_access(
        request=request,
        action=action,
        object_type=object_type,
        object_label=object_label,
        object_ids=[obj.pk for obj in objects],
        resident_ids=resident_ids,
        **kwargs,
    )


class RetentionError(DomainError):
    default_message = _(
        "Het toegangslog wordt bewaard zolang de bewaartermijn van de gemeente loopt; "
        "nieuwere regels kunnen niet worden verwijderd."
    )


def access_log_retention_cutoff(municipality, *, now=None) -> datetime.datetime:
    """The moment before which `municipality`'s access log is past its retention
    period: now minus its retention in calendar years (29 February becomes 28)."""
    now = now or timezone.now()
    years = municipality.access_log_retention_years
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def access_log_purge(*, municipality, before=None) -> int:
    """Remove `municipality`'s access log entries older than `before` (default:
    its retention cutoff), with the rows naming the residents their lists showed,
    and return how many entries went. A `before` within the retention period is
    refused (RetentionError), here and by the database function.

    On PostgreSQL this calls `portal_purge_access_log`, the only way past the
    append-only trigger (audit/0007_access_log_purge); elsewhere the managers'
    raw delete, opened for this call only. Recorded in the security log with the
    municipality, the cutoff and the count: never what or whom the entries were
    about."""
    from apps.tenants.models import Municipality

    with transaction.atomic():
        # The municipality as stored now (its retention may just have changed),
        # locked so the period cannot shrink while we delete.
        with scopes_disabled():
            municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
        cutoff = access_log_retention_cutoff(municipality)
        if before is None:
            before = cutoff
        elif before > cutoff:
            raise RetentionError()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT portal_purge_access_log(%s, %s)", [municipality.pk, before])
                removed = cursor.fetchone()[0]
        else:
            with purge_allowed(), scopes_disabled():
                AccessLogResident.append_only_base.filter(
                    entry__municipality=municipality, entry__at__lt=before
                )._raw_delete(connection.alias)
                removed = AccessLogEntry.append_only_base.filter(
                    municipality=municipality, at__lt=before
                )._raw_delete(connection.alias)
        municipality_id = municipality.pk
        transaction.on_commit(
            lambda: security_log.info(
                "access_log.purged municipality=%s cutoff=%s removed=%s by=system",
                municipality_id,
                before.isoformat(),
                removed,
            )
        )
    return removed
