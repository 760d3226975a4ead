"""The shape of a report, between the figures (SQL aggregates, `figures.py`)
and the files (`render.py`): sections of tables with cells, each cell knowing
how many people it rests on, so that small counts can be hidden the same way
in the PDF, its charts and the CSV.

Suppression (for reports shared outside the municipality): a count from 1 up
to the threshold − 1 is shown as "<N"; so is a percentage, median or other
figure that rests on fewer than N questions or decisions. In a table with a
total column or total row, a line with exactly one hidden cell hides a second
one too (the smallest other), so the total cannot give it away; that second
cell may well be N or more, so it shows "x" (as CBS marks a figure kept back),
not a false "<N".
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

SECONDARY_MARK = "x"


class Kind:
    COUNT = "count"
    PERCENT = "percent"
    DAYS = "days"
    # A figure that is not about residents (hours, staff): never hidden.
    NUMBER = "number"
    TEXT = "text"


@dataclass
class Cell:
    value: int | float | None
    kind: str = Kind.COUNT
    # How many questions, decisions, visits or people the figure rests on; for
    # a count it is the count itself. None: not about people (e.g. a label).
    n: int | None = None
    suppressed: bool = False
    # Hidden only so that a total does not give another hidden cell away.
    secondary: bool = False
    # False for figures about staff (team composition): small counts stay visible.
    private: bool = True
    # In a report compared with a year earlier: the same figure then (same
    # section, row and column), if there was one (`compare.add_previous`).
    previous: "Cell | None" = None

    def __post_init__(self):
        if self.kind == Kind.COUNT and self.n is None and self.value is not None and self.private:
            self.n = int(self.value)


@dataclass
class Row:
    label: str
    cells: list[Cell]
    is_total: bool = False


@dataclass
class Chart:
    """kind: 'bar' (one series), 'grouped_bar', 'stacked_bar', 'hbar'."""

    kind: str
    title: str
    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    unit: str = ""


@dataclass
class Section:
    key: str
    number: int
    title: str
    columns: list[str]
    rows: list[Row]
    intro: str = ""
    notes: list[str] = field(default_factory=list)
    chart: Chart | None = None
    # Index (into `columns`, 0 = the row labels) of a column that totals the
    # count cells before it; None when there is none.
    total_column: int | None = None

    @property
    def body_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.is_total]


@dataclass
class ReportData:
    municipality: str
    period_start: date
    period_end: date
    generated_at: datetime
    sections: list[Section]
    small_count_threshold: int = 0
    # Cells in different places that show the same figure (a team's questions
    # in table 1 and in the youth table): one hidden hides them all, or the
    # other would give it away.
    same: list[list[Cell]] = field(default_factory=list)
    # A figure computed from others (a percentage from its count and base): it
    # is hidden when any of them is (count = percentage × base).
    derived: list[tuple[Cell, list[Cell]]] = field(default_factory=list)
    # "outside": to share outside the municipality; "internal": for internal use.
    audience: str = "outside"
    # With a comparison: the same months a year earlier (its cells are the
    # `previous` of ours) and its period's label.
    previous: "ReportData | None" = None
    previous_period: str = ""

    @property
    def is_internal(self) -> bool:
        return self.audience == "internal"


def _hide(cell: Cell, threshold: int) -> bool:
    if threshold <= 1 or cell.value is None or cell.n is None or not cell.private:
        return False
    return 0 < cell.n < threshold


def suppress(report: ReportData) -> ReportData:
    """Mark the cells to hide (in place) and return the report."""
    threshold = report.small_count_threshold
    if threshold <= 1:
        return report
    if report.previous is not None:
        report.previous.small_count_threshold = threshold
        suppress(report.previous)
    for section in report.sections:
        for row in section.rows:
            for cell in row.cells:
                if _hide(cell, threshold):
                    cell.suppressed = True
    # Until nothing changes: a cell hidden for a total in one table is hidden
    # wherever the same figure stands, which may call for a second one there.
    changed = True
    while changed:
        changed = False
        for section in report.sections:
            changed |= _complementary(section)
        for group in report.same:
            if any(c.suppressed for c in group):
                for cell in group:
                    if not cell.suppressed:
                        cell.suppressed = cell.secondary = changed = True
    for cell, sources in report.derived:
        if not cell.suppressed and any(source.suppressed for source in sources):
            cell.suppressed = True
            cell.secondary = all(s.secondary for s in sources if s.suppressed)
    for section in report.sections:
        if section.chart is not None:
            _hide_in_chart(section)
    return report


def _lines(section: Section):
    """The count lines that add up to a total: each row (when there is a total
    column) and each column (when there is a total row)."""
    count_columns = [
        i
        for i in range(len(section.columns) - 1)
        if all(i < len(row.cells) and row.cells[i].kind == Kind.COUNT for row in section.body_rows)
    ]
    if section.total_column is not None:
        total_index = section.total_column - 1
        # Only the columns before the total add up to it ("of which …" may follow).
        parts = [i for i in count_columns if i < total_index]
        for row in section.rows:
            yield [row.cells[i] for i in parts] + [row.cells[total_index]]
    if any(row.is_total for row in section.rows):
        for i in count_columns:
            yield [row.cells[i] for row in section.rows]


def _complementary(section: Section) -> bool:
    """Hide a second cell in every line with exactly one hidden; True when
    anything was hidden."""
    changed, any_change = True, False
    while changed:
        changed = False
        for line in _lines(section):
            hidden = [c for c in line if c.suppressed]
            if len(hidden) != 1:
                continue
            others = [c for c in line if not c.suppressed and c.value and c.private]
            if others:
                second = min(others, key=lambda c: c.value)
                second.suppressed = second.secondary = True
                changed = any_change = True
    return any_change


def _hide_in_chart(section: Section) -> None:
    """A bar as tall as a hidden count would show it: the chart leaves it out."""
    chart = section.chart
    threshold_hit = any(cell.suppressed for row in section.rows for cell in row.cells)
    if not threshold_hit:
        return
    hidden = {
        (row.label, section.columns[i + 1])
        for row in section.rows
        for i, cell in enumerate(row.cells)
        if cell.suppressed
    }
    series = []
    for name, values in chart.series:
        new = []
        for category, value in zip(chart.categories, values, strict=False):
            if (name, category) in hidden or (category, name) in hidden:
                new.append(None)
            else:
                new.append(value)
        series.append((name, new))
    chart.series = series


def display(cell: Cell, threshold: int = 0, *, for_csv: bool = False) -> str:
    """Dutch notation: 1.234 (CSV: 1234), 60,2%, 12,5. Hidden: '<N', or 'x'
    when hidden only to protect another cell."""
    if cell.suppressed:
        return SECONDARY_MARK if cell.secondary else f"<{threshold}"
    value = cell.value
    if value is None:
        return "–" if not for_csv else ""
    if cell.kind == Kind.TEXT:
        return str(value)
    if cell.kind == Kind.COUNT:
        whole = int(value)
        return str(whole) if for_csv else f"{whole:,}".replace(",", ".")
    places = Decimal("0.1")
    rounded = Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP)
    text = f"{rounded}".replace(".", ",")
    if cell.kind in (Kind.DAYS, Kind.NUMBER) and text.endswith(",0"):
        text = text[:-2]
    if cell.kind == Kind.PERCENT:
        return text if for_csv else f"{text}%"
    return text


def difference(cell: Cell) -> Cell | None:
    """The change since a year earlier, of the same kind (percentages in
    percentage points); None without an earlier figure or when either is
    empty. Hidden (secondary, 'x') when either figure is: the difference and
    the figure shown would give the hidden one away."""
    previous = cell.previous
    if previous is None or cell.kind == Kind.TEXT:
        return None
    if cell.suppressed or previous.suppressed:
        return Cell(None, cell.kind, suppressed=True, secondary=True, private=False)
    if cell.value is None or previous.value is None:
        return None
    return Cell(cell.value - previous.value, cell.kind, private=False)


def display_difference(cell: Cell, *, for_csv: bool = False) -> str:
    """'+12', '−3', '0'; '+2,5' for percentage points; 'x' when hidden; '–'
    (CSV: empty) when there is nothing to compare. In the CSV a plain number:
    '12', '-3', '2,5'."""
    change = difference(cell)
    if change is None:
        return "" if for_csv else "–"
    if change.suppressed:
        return SECONDARY_MARK
    value = change.value
    # Percentages change in percentage points, days in days: shown as numbers.
    kind = Kind.COUNT if change.kind == Kind.COUNT else Kind.NUMBER
    text = display(Cell(abs(value), kind, private=False), for_csv=for_csv)
    if for_csv:
        # A plain number a spreadsheet reads as one: no plus sign, a hyphen-minus.
        return f"-{text}" if value < 0 else text
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"\u2212{text}"  # a minus sign
    return text
