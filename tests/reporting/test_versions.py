"""The files of the two versions of a report (inside and outside the
municipality) and of a report compared with a year earlier: the cover says
which version it is, the PDF shows the difference per cell under each table,
the CSV has the figure a year earlier and the difference, hidden figures stay
hidden in the difference too."""

import copy

from apps.reporting import render
from apps.reporting.compare import add_previous, year_earlier
from apps.reporting.tables import Cell, Kind, display_difference
from tests.reporting.sample_data import sample_report
from tests.reporting.test_render import csv_rows, pdf_pages


def compared(threshold=0):
    now = sample_report(threshold=threshold)
    then = sample_report()
    then.period_start, then.period_end = year_earlier(now.period_start, now.period_end)
    for section in then.sections:
        section.columns = [c.replace("2015", "2014") for c in section.columns]
        for row in section.rows:
            for cell in row.cells:
                if cell.kind == Kind.COUNT and cell.value:
                    cell.value = cell.value - 1
                    cell.n = cell.value
    return add_previous(now, then)


def test_the_cover_names_the_internal_version():
    data = sample_report()
    data.audience = "internal"
    html = render.report_html(data)
    assert "Voor intern gebruik" in html
    assert "Deel deze versie niet buiten de gemeente" in html


def test_the_cover_names_the_outside_version_and_its_threshold():
    html = render.report_html(sample_report(threshold=5))
    assert "Om te delen" in html and "Voor intern gebruik" not in html
    assert "aantallen van 1 tot 5" in html


def test_the_year_earlier_is_matched_month_by_month():
    data = compared()
    first = data.sections[0]
    assert first.columns[1] == "jan 2015"
    assert first.rows[0].cells[0].previous.value == 299  # jan 2014: one fewer
    assert display_difference(first.rows[0].cells[0]) == "+1"


def test_the_pdf_shows_the_difference_under_each_table():
    pdf = render.render_pdf(compared())
    text = "\n".join(pdf_pages(pdf))
    assert "Vergeleken met" in text and "januari–mei 2014" in text
    assert "Tabel 1: verschil met januari–mei 2014" in text
    assert "Kernteam Noord +1 +1 +1 +1 +1 +1" in text


def test_the_csv_has_the_year_earlier_and_the_difference():
    rows = csv_rows(compared())
    assert rows[0][-2:] == ["Een jaar eerder", "Verschil"]
    noord = [r for r in rows[1:] if r[3] == "1" and r[5] == "Kernteam Noord"]
    assert noord[0][7:] == ["300", "aantal", "299", "1"]


def test_a_hidden_count_is_hidden_in_the_difference_too():
    data = compared(threshold=5)
    html = render.report_html(data)
    rows = csv_rows(data)
    # Kernteam West's 3 in April is hidden now; so is its difference (a year earlier: 2).
    west = next(
        r for r in rows[1:] if r[3] == "1" and r[5] == "Kernteam West" and r[6] == "apr 2015"
    )
    assert west[7] == "<5" and west[9] == "<5" and west[10] == "x"
    assert "x in het verschil" in html


def test_percentages_differ_in_points_and_nothing_to_compare_is_a_dash():
    cell = Cell(17.4, Kind.PERCENT, n=100, previous=Cell(20.0, Kind.PERCENT, n=100))
    assert display_difference(cell) == "\u22122,6"
    assert display_difference(cell, for_csv=True) == "-2,6"
    data = compared()
    data.sections[0].rows[0].cells[0].previous.value = 400
    noord = next(r for r in csv_rows(data)[1:] if r[5] == "Kernteam Noord")
    assert noord[10] == "-100"  # a number, not text against a formula
    assert display_difference(Cell(4)) == "–"
    assert display_difference(Cell(4), for_csv=True) == ""
    data = copy.deepcopy(compared())
    assert data.previous is not None
