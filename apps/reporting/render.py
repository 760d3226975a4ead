"""The files of a report: a PDF (tables and charts, rendered with WeasyPrint
from `templates/pdf/report.html`) and a CSV (every figure on a line of its own).

Both show the same figures the same way: `tables.suppress` hides the small
counts on a copy of the report, and `tables.display` writes every cell, so a
hidden count is "<N" in the PDF, left out of its chart and "<N" in the CSV.
The caller's `ReportData` is never changed.
"""

import copy
import csv
import io
import re

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.audit.exports import BOM, DELIMITER, safe_cell
from apps.reporting import tables
from apps.reporting.periods import MONTHS_NL, period_label
from apps.reporting.tables import Kind, ReportData, Section

# More value columns than this do not fit a portrait page at a readable size:
# the section goes on a landscape page ("wide" in the template's CSS) …
PORTRAIT_COLUMNS = 7
# … and more than this are split over several tables, each repeating the row
# labels (a 36-month period with its total is 37 columns).
LANDSCAPE_COLUMNS = 14


def kind_unit(kind: str) -> str:
    """The CSV's "Eenheid": what a value means once the % sign is gone."""
    return {
        Kind.COUNT: _("aantal"),
        Kind.PERCENT: _("procent"),
        Kind.DAYS: _("dagen"),
        Kind.NUMBER: _("getal"),
        Kind.TEXT: _("tekst"),
    }.get(kind, "")


def _prepared(data: ReportData) -> ReportData:
    """A deep copy with the small counts marked hidden: rendering never
    changes what the caller holds (it may render again, or with another
    threshold)."""
    return tables.suppress(copy.deepcopy(data))


def generated_label(moment) -> str:
    """'1 juni 2015, 10:30' in the local time zone; the same on any server
    locale (the month names are ours, not the C library's)."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment.day} {MONTHS_NL[moment.month - 1]} {moment.year}, {moment:%H:%M}"


def _column_parts(count: int) -> list[range]:
    """The value columns (0-based) per table: all of them, or near-equal parts
    of at most LANDSCAPE_COLUMNS."""
    if count <= LANDSCAPE_COLUMNS:
        return [range(count)]
    parts = -(-count // LANDSCAPE_COLUMNS)
    size = -(-count // parts)
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def section_context(section: Section, index: int, threshold: int) -> dict:
    from apps.reporting.charts import chart_svg

    value_columns = len(section.columns) - 1
    total_index = section.total_column - 1 if section.total_column is not None else None
    parts = []
    compared = any(cell.previous is not None for row in section.rows for cell in row.cells)
    column_parts = _column_parts(value_columns)
    for part_number, columns in enumerate(column_parts, start=1):
        parts.append(
            {
                "number": part_number,
                "of": len(column_parts),
                "label_header": section.columns[0] if section.columns else "",
                "headers": [
                    {"label": section.columns[i + 1], "total": i == total_index} for i in columns
                ],
                "rows": [
                    {
                        "label": row.label,
                        "is_total": row.is_total,
                        "cells": [
                            {
                                "text": tables.display(row.cells[i], threshold)
                                if i < len(row.cells)
                                else "",
                                "kind": row.cells[i].kind if i < len(row.cells) else Kind.TEXT,
                                "suppressed": i < len(row.cells) and row.cells[i].suppressed,
                                "total": i == total_index,
                            }
                            for i in columns
                        ],
                    }
                    for row in section.rows
                ],
                "differences": [
                    {
                        "label": row.label,
                        "is_total": row.is_total,
                        "cells": [
                            {
                                "text": tables.display_difference(row.cells[i])
                                if i < len(row.cells)
                                else "",
                                "total": i == total_index,
                            }
                            for i in columns
                        ],
                    }
                    for row in section.rows
                ]
                if compared
                else [],
            }
        )
    suppressed = any(cell.suppressed for row in section.rows for cell in row.cells)
    chart = None
    if section.chart is not None and any(
        value is not None for _name, values in section.chart.series for value in values
    ):
        # Safe: matplotlib escapes every text it writes into the SVG, and
        # chart_svg escapes the title it adds (tests/reporting/test_render.py
        # checks both with a hostile label).
        svg = chart_svg(section.chart, chart_id=f"grafiek-{index}")
        chart = mark_safe(svg)  # noqa: S308  # nosec B308 B703: our SVG, its texts escaped
    return {
        "anchor": f"sectie-{index}",
        "number": section.number,
        "title": section.title,
        "intro": section.intro,
        "notes": section.notes,
        "parts": parts if section.rows else [],
        "wide": value_columns > PORTRAIT_COLUMNS,
        "chart": chart,
        "chart_title": section.chart.title if section.chart is not None else "",
        "chart_has_gaps": bool(
            section.chart is not None
            and suppressed
            and any(value is None for _name, values in section.chart.series for value in values)
        ),
        "suppressed": suppressed,
        "secondary": any(cell.secondary for row in section.rows for cell in row.cells),
        "compared": compared,
    }


def report_context(data: ReportData) -> dict:
    """What the template needs, from a report already suppressed."""
    threshold = data.small_count_threshold
    return {
        "municipality": data.municipality,
        "period": period_label(data.period_start, data.period_end),
        "generated": generated_label(data.generated_at),
        "threshold": threshold if threshold > 1 else 0,
        "internal": data.is_internal,
        "previous_period": data.previous_period,
        "sections": [
            section_context(section, index, threshold)
            for index, section in enumerate(data.sections, start=1)
        ],
    }


def report_html(data: ReportData) -> str:
    """The HTML the PDF is rendered from (autoescaped: every name in it is text
    typed by someone at the municipality)."""
    with translation.override("nl"):
        return render_to_string("pdf/report.html", report_context(_prepared(data)))


def _no_fetch(url, *args, **kwargs):
    """A report has everything inline (styles, charts as SVG); nothing in it may
    make WeasyPrint fetch a file or URL (names are escaped, this is the second
    line)."""
    raise ValueError(f"reports load no external resources ({url[:40]})")


def render_pdf(data: ReportData) -> bytes:
    """The report as an A4 PDF, tagged for accessibility (PDF/UA-1) with Dutch
    as its language."""
    # Imported here: WeasyPrint is slow to import and only the report task needs it.
    from weasyprint import HTML

    html = report_html(data)
    return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf(pdf_variant="pdf/ua-1")


def csv_header(compared: bool = False) -> list[str]:
    header = [
        _("Gemeente"),
        _("Van"),
        _("Tot en met"),
        _("Nummer"),
        _("Sectie"),
        _("Rij"),
        _("Kolom"),
        _("Waarde"),
        _("Eenheid"),
    ]
    if compared:
        header += [_("Een jaar eerder"), _("Verschil")]
    return header


def render_csv(data: ReportData) -> bytes:
    """Every figure of the report on a line of its own (long format: gemeente,
    period, section, row, column, value, unit), so a spreadsheet or script can
    filter and pivot it without knowing each table's layout. A report compared
    with a year earlier has two more columns: the figure then and the
    difference (percentages: in percentage points).

    UTF-8 with a byte order mark, `;` between cells and a decimal comma (what
    Excel with Dutch settings opens with a double click, see apps/audit/exports);
    numbers without a thousands separator; a hidden count as "<N". Every cell
    goes through `safe_cell`: a name starting with "=" becomes text, not a
    formula (a negative figure, too, is then text: reports have none)."""
    data = _prepared(data)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    with translation.override("nl"):
        _csv_rows(writer, data)
    return (BOM + buffer.getvalue()).encode("utf-8")


def _csv_rows(writer, data: ReportData) -> None:
    threshold = data.small_count_threshold
    start, end = data.period_start.isoformat(), data.period_end.isoformat()
    compared = data.previous is not None
    writer.writerow(csv_header(compared))
    for section in data.sections:
        for row in section.rows:
            for i, cell in enumerate(row.cells):
                column = section.columns[i + 1] if i + 1 < len(section.columns) else ""
                line = [
                    _one_line(data.municipality),
                    start,
                    end,
                    section.number,
                    _one_line(section.title),
                    _one_line(row.label),
                    _one_line(column),
                    tables.display(cell, threshold, for_csv=True),
                    kind_unit(cell.kind),
                ]
                if compared:
                    previous = cell.previous
                    line += [
                        tables.display(previous, threshold, for_csv=True)
                        if previous is not None
                        else "",
                        tables.display_difference(cell, for_csv=True),
                    ]
                cells = [safe_cell(value) for value in line]
                if compared and _PLAIN_NUMBER.match(line[-1]):
                    # Our own difference, a negative number: not a formula, stays a number.
                    cells[-1] = line[-1]
                writer.writerow(cells)


_PLAIN_NUMBER = re.compile(r"^-?\d+(,\d+)?$")


def _one_line(text: str) -> str:
    """Names on one line: a line break inside a quoted cell is valid CSV, but
    many scripts reading the file line by line would break on it."""
    return re.sub(r"\s*[\r\n]+\s*", " ", str(text))
