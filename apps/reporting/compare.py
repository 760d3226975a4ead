"""A report beside the same months a year earlier (as policy documents set a
year against the one before): both are built by `figures.py`, and every cell
of the report learns the figure it stood at then (`Cell.previous`); the files
show the difference per cell (`tables.difference`).

Cells are matched by section, row label and column label; the month columns
of the earlier year are matched to the same months of this one. Team
composition is a state of the day the report is made, not of a period: it is
not compared."""

from datetime import date

from apps.reporting.periods import month_end, month_label, months_between, period_label
from apps.reporting.tables import ReportData

NOT_COMPARED = {"composition"}


def year_earlier(start: date, end: date) -> tuple[date, date]:
    """The same whole months a year earlier (February 29 never arises: a
    period starts on a first and ends on the last of a month)."""
    return start.replace(year=start.year - 1), month_end(date(end.year - 1, end.month, 1))


def add_previous(report: ReportData, previous: ReportData) -> ReportData:
    report.previous = previous
    report.previous_period = period_label(previous.period_start, previous.period_end)
    months = zip(
        months_between(previous.period_start, previous.period_end),
        months_between(report.period_start, report.period_end),
        strict=False,
    )
    same_month = {}
    for then, now in months:
        for short in (True, False):
            same_month[month_label(then, short=short)] = month_label(now, short=short)
    earlier = {section.key: section for section in previous.sections}
    for section in report.sections:
        old = earlier.get(section.key)
        if old is None or section.key in NOT_COMPARED:
            continue
        columns = {}
        for j, label in enumerate(old.columns[1:]):
            columns.setdefault(same_month.get(label, label), j)
        rows = {}
        for row in old.rows:
            rows.setdefault((row.label, row.is_total), row)
        for row in section.rows:
            then = rows.get((row.label, row.is_total))
            if then is None:
                continue
            for i, cell in enumerate(row.cells):
                j = columns.get(section.columns[i + 1]) if i + 1 < len(section.columns) else None
                if j is not None and j < len(then.cells):
                    cell.previous = then.cells[j]
    return report
