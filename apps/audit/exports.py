"""CSV downloads of the access log, streamed.

The format is what a Dutch spreadsheet opens with a double click: UTF-8 with a
byte order mark (without it Excel reads the file as Windows-1252 and breaks
every é and ë), `;` between the cells (Excel with Dutch regional settings
splits on the list separator, which is `;` because the comma is the decimal
separator; LibreOffice asks and suggests `;` too), CRLF line ends, and times as
`2026-01-05 14:03:12` in Dutch local time, which Excel reads as a date and time.

Cells are guarded against formula injection: a text starting with = + - @ (or a
tab or carriage return) would be run as a formula by the spreadsheet, so it gets
a leading apostrophe and is shown as text. A name or a search term typed by
someone is enough to plant one."""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone
from django_scopes import scope
from django_scopes.state import get_scope

from apps.core import rls

BOM = "\ufeff"
DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets also read a formula after leading spaces, and some read the
# full-width forms (＝ ＋ － ＠) as their ASCII twins.
FULL_WIDTH = str.maketrans("＝＋－＠", "=+-@")
CHUNK_SIZE = 2000


def safe_cell(value) -> str:
    """The value as text, with an apostrophe in front when a spreadsheet could
    take it for a formula (CSV injection)."""
    text = "" if value is None else str(value)
    if text.lstrip(" ").translate(FULL_WIDTH).startswith(FORMULA_STARTS):
        return "'" + text
    return text


def local_time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


class _Line:
    """A file-like object for csv.writer that hands back what is written."""

    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[bytes]:
    writer = csv.writer(_Line(), delimiter=DELIMITER, lineterminator="\r\n")
    yield (BOM + writer.writerow([safe_cell(h) for h in header])).encode()
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row]).encode()


def _in_scope_of_now(lines: Iterator[bytes]) -> Iterator[bytes]:
    """The lines are produced while the response is sent, after the view (and
    the scope middleware) returned: they are read in the scope the view had, so
    the database shows the same municipality (apps/core/rls.py)."""
    current = dict(get_scope())

    def produce():
        with rls.application(), scope(**current):
            yield from lines

    return produce()


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]):
    """A streamed CSV download: rows are produced (and read from the database in
    chunks, when `rows` iterates a queryset with `.iterator(chunk_size=...)`) while
    the response is sent, so a large export never sits in memory."""
    response = StreamingHttpResponse(
        _in_scope_of_now(csv_lines(header, rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
