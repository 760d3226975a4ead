"""Report periods are whole calendar months: from the first day of one month
up to and including the last day of another."""

import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

MONTHS_NL = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
MONTHS_NL_SHORT = [
    "jan",
    "feb",
    "mrt",
    "apr",
    "mei",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
]


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month from start's month up to end's month."""
    months, current = [], month_start(start)
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


def parse_month(value) -> date:
    """'2015-01' (or a date) → the first day of that month."""
    if isinstance(value, date):
        return month_start(value)
    text = str(value or "").strip()
    try:
        year, month = text.split("-")
        if len(year) != 4:
            raise ValueError(text)
        return date(int(year), int(month), 1)
    except (ValueError, TypeError):
        raise ValidationError(_("Geef een maand op als JJJJ-MM, bijvoorbeeld 2015-01.")) from None


def last_month(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    start = add_months(month_start(today), -1)
    return start, month_end(start)


def validate_period(start: date, end: date, *, today: date | None = None, max_months: int = 36):
    """Start and end as first days of months (end: its month is included)."""
    today = today or timezone.localdate()
    errors = {}
    if end < start:
        errors["period_end"] = _("De periode eindigt voordat ze begint.")
    elif len(months_between(start, end)) > max_months:
        errors["period_end"] = _("Een periode is ten hoogste %(years)s jaar.") % {
            "years": max_months // 12
        }
    if start > today:
        errors["period_start"] = _("De periode ligt in de toekomst.")
    elif month_start(end) > month_start(today):
        errors["period_end"] = _("De periode loopt door in de toekomst: kies uiterlijk deze maand.")
    if errors:
        raise ValidationError(errors)


def month_label(day: date, short: bool = False) -> str:
    """The month in the active language ("december 2026", "December 2026"); the
    report itself is rendered in Dutch. `short` is the report's own column
    heading ("dec 2026")."""
    if short:
        return f"{MONTHS_NL_SHORT[day.month - 1]} {day.year}"
    return date_format(day, "YEAR_MONTH_FORMAT")


def period_label(start: date, end: date) -> str:
    """The period in the active language: "december 2026", "januari–maart
    2026", "november 2025 – februari 2026"."""
    if (start.year, start.month) == (end.year, end.month):
        return month_label(start)
    if start.year == end.year:
        return f"{date_format(start, 'F')}–{date_format(end, 'F')} {end.year}"
    return f"{month_label(start)} – {month_label(end)}"
