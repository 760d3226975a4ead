"""Keyset cursors of paged lists (the access log, the inbox): the values of the
last row shown (a moment, an id, ...), packed as JSON in URL-safe base64
without padding. A cursor comes from the URL, so whatever is not one is None."""

import base64
import binascii
import json
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime


def pack(values: list) -> str:
    """The cursor of `values` (plain JSON values: a moment as its isoformat)."""
    raw = json.dumps(values).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unpack(cursor: str, length: int) -> list | None:
    """The `length` values packed in `cursor`, or None when it is missing or is
    not a cursor of that many values."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        return None
    if not isinstance(values, list) or len(values) != length:
        return None
    return values


def moment(value) -> datetime | None:
    """A moment read back from a cursor (aware), or None when it is not one."""
    try:
        parsed = parse_datetime(value)
    except (ValueError, TypeError):
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed
