"""The files of a report, from a hand-made ReportData (tests/reporting/sample_data.py):
a real PDF (read back with pypdf) with its contents, page numbers, tables,
landscape pages and charts; a CSV a Dutch spreadsheet opens and a script can
read; small counts hidden in both and in the charts; hostile names shown as
text; and the caller's data left as it was."""

import copy
import csv
import io
import re
import time
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from apps.reporting import render
from apps.reporting.charts import PALETTE, chart_svg
from apps.reporting.tables import Cell, Chart, Row, Section
from tests.reporting.sample_data import WIDE_MONTHS, sample_report

HOSTILE = '<script>alert("x")</script>'
SVG = "{http://www.w3.org/2000/svg}"


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def plain_pdf():
    return render.render_pdf(sample_report())


@pytest.fixture(scope="module")
def plain_pages(plain_pdf):
    return pdf_pages(plain_pdf)


@pytest.fixture(scope="module")
def plain_html():
    return render.report_html(sample_report())


@pytest.fixture(scope="module")
def suppressed_html():
    return render.report_html(sample_report(threshold=5))


def csv_rows(data) -> list[list[str]]:
    body = render.render_csv(data)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def csv_value(rows, section: int, row: str, column: str) -> str:
    (value,) = [r[7] for r in rows[1:] if r[3] == str(section) and r[5] == row and r[6] == column]
    return value


# --- the PDF ------------------------------------------------------------------


def test_the_pdf_holds_the_report(plain_pdf, plain_pages):
    reader = PdfReader(io.BytesIO(plain_pdf))
    pages = plain_pages
    text = "\n".join(pages)
    assert plain_pdf.startswith(b"%PDF")
    assert "Overbetuwe" in text
    assert "januari–mei 2015" in text
    # Generated at 08:30 UTC on 1 June 2015: 10:30 in Dutch summer time.
    assert "1 juni 2015, 10:30" in text
    for section in sample_report().sections:
        assert f"{section.number}. {section.title}" in text
    # Kernteam Noord's total and the grand total, with a thousands separator.
    assert "Kernteam Noord 300 280 260 214 180 1.234" in text
    assert "Totaal 319 300 280 226 194 1.319" in text
    assert "17,4%" in text and "1,9%" in text and "38,5" in text
    assert "Een vraag telt mee in de maand waarin ze binnenkwam." in text  # a note
    assert "Geen gegevens over deze periode." in text  # the empty section
    # Every page says which page of how many it is.
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {len(pages)}" in page
    # Tagged, in Dutch, with a title (PDF/UA).
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl" and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "Monitoringsrapportage Overbetuwe, januari–mei 2015"


def test_the_contents_give_the_page_of_each_section(plain_pages):
    pages = plain_pages
    entries = re.findall(r"^(\d+)\. (.+?) \.{3,} ?(\d+)$", pages[0], flags=re.MULTILINE)
    titles = [section.title for section in sample_report().sections]
    assert [title for _number, title, _page in entries] == titles
    for number, title, page in entries:
        assert f"{number}. {title}" in pages[int(page) - 1], f"{title} not on page {page}"


def test_a_wide_table_gets_a_landscape_page(plain_pdf, plain_pages):
    reader = PdfReader(io.BytesIO(plain_pdf))
    for page, text in zip(reader.pages, plain_pages, strict=True):
        landscape = page.mediabox.width > page.mediabox.height
        wide = "Tabel 5: Vragen per maand over dertien maanden" in text
        assert landscape == wide
        assert sorted([round(page.mediabox.width), round(page.mediabox.height)]) == [595, 842]


def test_a_very_wide_table_is_split_with_its_row_labels_repeated():
    data = sample_report()
    months = [f"maand {i}" for i in range(1, 37)]
    data.sections = [
        Section(
            key="long",
            number=1,
            title="Drie jaar",
            columns=["Team", *months, "Totaal"],
            rows=[Row("Kernteam Noord", [Cell(i) for i in range(1, 37)] + [Cell(666)])],
            total_column=37,
        )
    ]
    html = render.report_html(data)
    assert html.count("<table>") == 3
    for part in (1, 2, 3):
        assert f"Tabel 1: Drie jaar (deel {part} van 3)" in html
    assert html.count('<th scope="row">Kernteam Noord</th>') == 3
    assert html.count('<th scope="col" class="num') == 37  # every column once


def test_tables_have_headers_with_scope_and_a_caption(plain_html):
    html = plain_html
    assert "<caption>Tabel 1: Nieuwe vragen per kernteam per maand</caption>" in html
    assert '<th scope="col">Kernteam</th>' in html
    assert '<th scope="row">Kernteam Noord</th>' in html
    assert "<thead>" in html  # repeated by WeasyPrint on every page the table spans
    assert 'lang="nl"' in html
    assert "target-counter(attr(href), page)" in html
    assert '"pagina " counter(page) " van " counter(pages)' in html


# --- small counts ---------------------------------------------------------------


def test_small_counts_are_hidden_in_the_pdf(hostile_pages):
    # The hostile report (below) is the sample with a threshold of 5 and other
    # names in its first row: one PDF for both tests, a PDF takes seconds.
    text = "\n".join(hostile_pages)
    # Kernteam West's 3 in April, and the counts that would give it away.
    assert "Kernteam West 7 <5 9 <5 6 31" in text
    assert "Kernteam Zuid 12 <5 11 <5 8 54" in text
    assert "Kernteam West <5 <5" in text  # 2 questions, 50% of 4
    assert "Met voorwerk <5 <5" in text  # lead times of 3 cases
    # Staff are not residents: their small counts stay.
    assert "Kernteam Noord 4 2 1" in text
    assert "Om inwoners niet herkenbaar te maken" in text


def test_small_counts_are_hidden_in_the_csv():
    rows = csv_rows(sample_report(threshold=5))
    assert csv_value(rows, 1, "Kernteam West", "apr 2015") == "<5"
    assert csv_value(rows, 1, "Kernteam West", "feb 2015") == "<5"
    assert csv_value(rows, 1, "Kernteam West", "Totaal") == "31"
    assert csv_value(rows, 2, "Kernteam West", "Aandeel") == "<5"
    assert csv_value(rows, 4, "Kernteam Noord", "Vrijwilligers") == "1"
    assert "3" not in [r[7] for r in rows[1:] if r[3] == "1"]


def bars(svg: str, colour: str) -> int:
    """How many shapes (bars and the legend's swatch) are filled with `colour`."""
    return svg.lower().count(f'fill="{colour.lower()}"')


def charts_of(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)


def test_the_bars_of_hidden_counts_are_left_out(plain_html, suppressed_html):
    plain = charts_of(plain_html)
    hidden = charts_of(suppressed_html)
    west = PALETTE[2]  # the third series of the first chart
    # Five months and the legend; then February and April are left out.
    assert bars(plain[0], west) == 6
    assert bars(hidden[0], west) == 4
    # Kernteam West's share (50%) rests on four questions: no bar.
    assert bars(plain[1], PALETTE[0]) == 3
    assert bars(hidden[1], PALETTE[0]) == 2
    assert "In de grafieken ontbreken die aantallen." in suppressed_html


# --- the CSV ----------------------------------------------------------------------


def test_the_csv_has_a_line_per_figure():
    data = sample_report()
    rows = csv_rows(data)
    assert rows[0] == [
        "Gemeente",
        "Van",
        "Tot en met",
        "Nummer",
        "Sectie",
        "Rij",
        "Kolom",
        "Waarde",
        "Eenheid",
    ]
    cells = sum(len(row.cells) for section in data.sections for row in section.rows)
    assert len(rows) == 1 + cells
    assert all(len(row) == 9 for row in rows)
    assert rows[1] == [
        "Overbetuwe",
        "2015-01-01",
        "2015-05-31",
        "1",
        "Nieuwe vragen per kernteam per maand",
        "Kernteam Noord",
        "jan 2015",
        "300",
        "aantal",
    ]
    # No thousands separator, a decimal comma, the unit instead of a % sign.
    assert csv_value(rows, 1, "Kernteam Noord", "Totaal") == "1234"
    assert csv_value(rows, 1, "Totaal", "Totaal") == "1319"
    assert csv_value(rows, 2, "Kernteam Noord", "Aandeel") == "17,4"
    assert [r[8] for r in rows if r[5] == "Kernteam Noord" and r[6] == "Aandeel"] == ["procent"]
    assert csv_value(rows, 3, "Vraag tot besluit", "Mediaan") == "38,5"
    assert csv_value(rows, 5, "Alle vragen", WIDE_MONTHS[-1]) == "26"
    assert render.render_csv(data).endswith(b"\r\n")


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://evil")', "+31 6", "-1+2", "@SUM(A1)", "  =1+1", "＝1+1", "\t=1", "\r=1"],
)
def test_a_name_that_starts_a_formula_is_text_in_the_csv(name):
    data = sample_report()
    data.municipality = name
    data.sections[0].rows[0].label = name
    data.sections[0].columns[1] = name
    data.sections[0].title = name
    rows = csv_rows(data)
    for row in rows[1:]:
        for cell in row:
            assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r", "＝"))
    assert rows[1][0].startswith("'") and rows[1][5].startswith("'")


def test_a_name_over_several_lines_stays_on_one_line_in_the_csv():
    data = sample_report()
    data.sections[0].rows[0].label = "Kernteam\r\nNoord"
    body = render.render_csv(data).decode("utf-8-sig")
    assert "Kernteam Noord" in body and "Kernteam\r\nNoord" not in body


# --- hostile names -------------------------------------------------------------------


def hostile_report():
    data = sample_report(threshold=5)
    data.municipality = HOSTILE
    first = data.sections[0]
    first.title = HOSTILE
    first.intro = HOSTILE
    first.notes = [HOSTILE]
    first.columns[1] = HOSTILE
    first.rows[0].label = HOSTILE
    first.chart.title = HOSTILE
    first.chart.categories[1] = HOSTILE
    first.chart.series[0] = (HOSTILE, first.chart.series[0][1])
    return data


def test_the_html_shows_hostile_names_as_text():
    html = render.report_html(hostile_report())
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html
    # The names never go into the style sheet: the running header reads them
    # from the page (string-set).
    style = html[html.index("<style>") : html.index("</style>")]
    assert "script" not in style and "Overbetuwe" not in style


@pytest.fixture(scope="module")
def hostile_pages():
    return pdf_pages(render.render_pdf(hostile_report()))


def test_the_pdf_of_hostile_names_shows_them_as_text(hostile_pages):
    text = "\n".join(hostile_pages)
    assert HOSTILE in text
    assert f"{HOSTILE} 300 280 260 214 180 1.234" in text


def test_charts_escape_their_labels():
    chart = Chart(
        kind="grouped_bar",
        title=HOSTILE,
        categories=[HOSTILE, "Team $x$ & co"],
        series=[(HOSTILE, [1.0, 2.0]), ("_eerste", [3.0, None])],
        unit="<b>aantal</b>",
    )
    svg = chart_svg(chart, chart_id="grafiek-1")
    root = ET.fromstring(svg)  # noqa: S314 - our own output, no DTD
    assert not [element for element in root.iter() if element.tag.lower().endswith("script")]
    texts = "".join(root.itertext())
    assert HOSTILE in texts and "<b>aantal</b>" in texts
    # Plain text, no mathtext; a name starting with "_" is still in the legend.
    assert "Team $x$ & co" in texts and "_eerste" in texts


# --- charts ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["bar", "grouped_bar", "stacked_bar", "hbar"])
def test_a_chart_is_svg_ready_to_inline(kind):
    chart = Chart(
        kind=kind,
        title="Vragen per team",
        categories=["Noord", "Zuid", "West"],
        series=[("jan", [1234.0, 12.5, None]), ("feb", [10.0, None, 3.0])],
        unit="aantal vragen",
    )
    svg = chart_svg(chart, chart_id="grafiek-7")
    assert svg.startswith("<svg") and "<?xml" not in svg and "<!DOCTYPE" not in svg
    root = ET.fromstring(svg)  # noqa: S314 - our own output, no DTD
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "grafiek-7-title"
    title = root.find(f"{SVG}title")
    assert title.get("id") == "grafiek-7-title" and title.text == "Vragen per team"
    texts = "".join(root.itertext())
    assert "aantal vragen" in texts
    # Text stays text, and no CSS that WeasyPrint would read as the page's.
    assert "<text" in svg and "<style" not in svg and "style=" not in svg
    # The same chart twice is the same SVG (no date, fixed id salt).
    assert chart_svg(chart, chart_id="grafiek-7") == svg


def test_a_bar_chart_leaves_out_none():
    def chart(values):
        return chart_svg(Chart("bar", "Vragen", ["a", "b", "c"], [("n", values)]), chart_id="g")

    assert bars(chart([1.0, 2.0, 3.0]), PALETTE[0]) == 3
    assert bars(chart([1.0, None, 3.0]), PALETTE[0]) == 2


def test_element_ids_are_unique_in_the_report(plain_html):
    html = plain_html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(charts_of(html)) == 4
    assert len(ids) == len(set(ids))


def test_a_section_without_figures_draws_no_chart():
    data = sample_report()
    chart = data.sections[0].chart
    chart.series = [(name, [None] * len(values)) for name, values in chart.series]
    assert len(charts_of(render.report_html(data))) == 3


# --- the caller's data, time -----------------------------------------------------------


def test_rendering_does_not_change_the_data_and_takes_seconds():
    data = sample_report(threshold=5)
    before = copy.deepcopy(data)
    started = time.monotonic()
    render.render_pdf(data)
    render.render_csv(data)
    # About 5 s here (most of it WeasyPrint); a report of a year is about as big.
    assert time.monotonic() - started < 30
    assert data == before
    assert not any(cell.suppressed for s in data.sections for r in s.rows for cell in r.cells)


def test_a_report_loads_nothing_from_outside():
    with pytest.raises(ValueError, match="no external resources"):
        render._no_fetch("https://example.org/tracker.png")
