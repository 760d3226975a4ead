"""Reads of the access log: the filtered log with keyset pagination, a
resident's accesses, and how an entry names who acted and on what.

The log grows by a row for every page that shows personal data, so nothing here
counts or sorts the whole table: every query filters on the municipality first
and walks one of the indexes (municipality, -at), (municipality, user, -at) or
(municipality, resident, -at) from the newest entry down. The filter on a
resident also finds the lists and searches that showed them, through the index
(resident, entry) of AccessLogResident."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.models import AccessLogEntry, AccessLogResident
from apps.core import cursors

PAGE_SIZE = 50
COUNT_LIMIT = 1000
# The overview for a resident shows at most this many accesses on the page
# (newest first); the CSV download holds them all.
RESIDENT_OVERVIEW_LIMIT = 500

# Object types whose model name does not say it well.
OBJECT_TYPE_LABELS = {
    "audit.accesslogentry": gettext_lazy("toegangslog"),
    "decisions.deadlines": gettext_lazy("termijnenoverzicht"),
    "core.start": gettext_lazy("startpagina"),
}


@dataclass(frozen=True)
class LogFilters:
    user_id: int | None = None
    resident_id: int | None = None
    action: str = ""
    date_from: date | None = None
    date_until: date | None = None  # inclusive


@dataclass
class LogPage:
    entries: list
    next_cursor: str | None
    count_at_least: int  # a bounded count: "more than N" when count_is_bounded
    count_is_bounded: bool


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def log_entries(*, municipality, filters: LogFilters):
    """The entries of `municipality` that match `filters`, newest first."""
    qs = AccessLogEntry.objects.filter(municipality=municipality)
    if filters.user_id is not None:
        qs = qs.filter(user_id=filters.user_id)
    if filters.resident_id is not None:
        # Their file opened, or a list or search that showed them (a subquery,
        # not a join: an entry is found once, on the index (resident, entry)).
        shown = AccessLogResident.objects.filter(
            municipality=municipality, entry=OuterRef("pk"), resident_id=filters.resident_id
        )
        qs = qs.filter(Q(resident_id=filters.resident_id) | Exists(shown))
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.date_from:
        qs = qs.filter(at__gte=_start_of_day(filters.date_from))
    if filters.date_until:
        qs = qs.filter(at__lt=_start_of_day(filters.date_until + timedelta(days=1)))
    return qs.select_related("resident").order_by("-at", "-pk")


def encode_cursor(at: datetime, pk: int) -> str:
    return cursors.pack([at.isoformat(), pk])


def decode_cursor(cursor: str):
    """(at, pk) or None for a missing or malformed cursor."""
    values = cursors.unpack(cursor, 2)
    if values is None:
        return None
    moment, pk = cursors.moment(values[0]), values[1]
    if moment is None or not isinstance(pk, int) or isinstance(pk, bool):
        return None
    return moment, pk


def log_page(*, municipality, filters: LogFilters, cursor: str = "", page_size=PAGE_SIZE):
    """One page of the log by keyset pagination on (at, pk): a fixed number of
    queries, and no COUNT over everything (at most COUNT_LIMIT + 1 rows are
    counted, on the first page only)."""
    qs = log_entries(municipality=municipality, filters=filters)
    after = decode_cursor(cursor)
    rows_qs = qs
    if after is not None:
        moment, pk = after
        # `at <= moment` lets the index range start at the cursor; the OR breaks ties.
        rows_qs = qs.filter(at__lte=moment).filter(Q(at__lt=moment) | Q(at=moment, pk__lt=pk))
    rows = list(rows_qs[: page_size + 1])
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    next_cursor = encode_cursor(rows[-1].at, rows[-1].pk) if has_more else None
    counted = qs.order_by().values("pk")[: COUNT_LIMIT + 1].count() if after is None else 0
    return LogPage(
        entries=rows,
        next_cursor=next_cursor,
        count_at_least=min(counted, COUNT_LIMIT),
        count_is_bounded=counted > COUNT_LIMIT,
    )


def resident_accesses(*, municipality, resident):
    """Every access to `resident`'s file, newest first (slice it for a page)."""
    return log_entries(municipality=municipality, filters=LogFilters(resident_id=resident.pk))


# --- how an entry reads ----------------------------------------------------------------


def object_type_label(object_type: str) -> str:
    """'intake.question' → 'vraag'; an unknown type is shown as it is."""
    if object_type in OBJECT_TYPE_LABELS:
        return str(OBJECT_TYPE_LABELS[object_type])
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def municipality_label(municipality) -> str:
    """'Gemeente Overbetuwe': how the municipality is named as an organisation."""
    name = municipality.name
    if name.lower().startswith("gemeente"):
        return name
    return _("Gemeente %(name)s") % {"name": name}
