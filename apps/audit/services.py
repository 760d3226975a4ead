"""Writing the access log. Call `log_access` wherever personal data is read,
changed, exported or downloaded; if it cannot write, the read fails with it."""

from apps.audit.models import AccessLogEntry
from apps.core.http import client_ip


def _resident_of(obj):
    from apps.intake.models import Resident

    if obj is None:
        return None
    if isinstance(obj, Resident):
        return obj
    resident = getattr(obj, "resident", None)
    return resident if isinstance(resident, Resident) else None


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
) -> AccessLogEntry:
    """Record that `user` (default: the request's user) did `action` on `obj`
    in `municipality` (default: the request's or the object's)."""
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
        object_label = object_label or str(obj)
    entry = AccessLogEntry(
        municipality=municipality,
        user=user,
        user_label=(f"{user.full_name} <{user.email}>" if user is not None else "systeem")[:300],
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_label=str(object_label)[:300],
        resident=resident or _resident_of(obj),
        remote_addr=client_ip(request) if request is not None else None,
        channel=channel or AccessLogEntry.Channel.SYSTEM,
        reason=reason or "",
    )
    entry.save()
    return entry
