"""No table is ever cut off: a report of a municipality with 7, 10 or 15
teams (long names among them) is rendered to PDF, every word is read back with
its position (pdfplumber), and each must lie inside its page's printable area.
The tables have the shapes `figures.py` makes: teams as columns (life
domains, joint visits), months as columns (36 of them), long headers (flow,
lead times) and many organisations (composition)."""

import io
from datetime import UTC, date, datetime

import pdfplumber
import pytest

from apps.reporting import render
from apps.reporting.tables import Cell, Kind, ReportData, Row, Section

MM = 72 / 25.4
# The page margins of templates/pdf/report.html (left and right), in points.
PORTRAIT_SIDE = 17 * MM
LANDSCAPE_SIDE = 15 * MM
# Half a point for rounding in the PDF's text positions.
SLACK = 0.5

NAMES = [
    "Kernteam Oosterhout/Slijk-Ewijk",
    "Kernteam Zetten-Hemmen en Herveld-Andelst",
    "Loket Samenleven Overbetuwe",
    "Kernteam Elst",
    "Kernteam Driel",
    "Kernteam Heteren",
    "Kernteam Randwijk",
    "Jeugdexpertiseteam Rivierenland (LEJO)",
    "Sociaal Wijkteam Valburg-Homoet",
    "Gebiedsteam Slijk-Ewijk",
    "Specialistisch team gedragsdeskundigheid",
    "Kernteam Hemmen",
    "Kernteam Andelst",
    "Kernteam Herveld",
    "Wijkteam Elst-Centrum-Noord",
]
DOMAINS = [
    "Lichamelijke gezondheid",
    "Huisvesting",
    "Gezinsrelaties",
    "Justitie",
    "Dagbesteding en werk",
    "Financiën",
    "Maatschappelijke participatie",
    "Verslaving",
    "Sociaal netwerk",
    "Geestelijke gezondheid",
    "Huishouden en persoonlijke verzorging (ADL)",
]
ORGANISATIONS = ["Gemeente Overbetuwe", "STUW", "MEE Gelderse Poort", "Driestroom", "RIBW"]


def _counts(width: int, seed: int) -> list[Cell]:
    cells = [Cell(1000 + (seed * 37 + i * 11) % 900) for i in range(width)]
    return cells + [Cell(sum(c.value for c in cells))]


def _team_columns_section(number, teams, label, row_labels) -> Section:
    rows = [Row(name, _counts(len(teams), i)) for i, name in enumerate(row_labels)]
    rows.append(Row("Totaal", _counts(len(teams), 99), is_total=True))
    return Section(
        key=f"s{number}",
        number=number,
        title=f"Tabel met teams als kolommen {number}",
        columns=[label, *teams, "Totaal"],
        rows=rows,
        total_column=len(teams) + 1,
    )


def layout_report(team_count: int, months: int = 12) -> ReportData:
    teams = NAMES[:team_count]
    month_labels = [f"{m} {2024 + i // 12}" for i, m in enumerate(["jan", "feb", "mrt"] * 12)][
        :months
    ]
    per_month = Section(
        key="months",
        number=1,
        title="Nieuwe vragen per team per maand",
        columns=["Team", *month_labels, "Totaal"],
        rows=[Row(name, _counts(months, i)) for i, name in enumerate(teams)],
        total_column=months + 1,
    )
    flow = Section(
        key="flow",
        number=4,
        title="Grensverkeer tussen loket en teams",
        columns=[
            "Team",
            "Van loket naar team",
            "Van team naar loket",
            "Vragen bij het team",
            "Waarvan via het loket",
            "Aandeel via het loket",
        ],
        rows=[
            Row(name, [*_counts(3, i), Cell(12.5, Kind.PERCENT, n=100)])
            for i, name in enumerate(teams)
        ],
    )
    lead = Section(
        key="lead",
        number=5,
        title="Doorlooptijden met en zonder voorwerk",
        columns=[
            "Route",
            "Besluiten (vraag → besluit)",
            "Mediaan vraag → besluit (dagen)",
            "80% binnen (vraag → besluit, dagen)",
            "Besluiten (aanvraag → besluit)",
            "Mediaan aanvraag → besluit (dagen)",
            "80% binnen (aanvraag → besluit, dagen)",
        ],
        rows=[
            Row(
                "Met voorwerk (voorstel van een team)",
                [Cell(120), Cell(38.5, Kind.DAYS, n=120), Cell(61, Kind.DAYS, n=120)] * 2,
            )
        ],
    )
    composition = _team_columns_section(6, ORGANISATIONS, "Team", [])
    composition.rows = [
        Row(name, _counts(len(ORGANISATIONS) + 1, i)) for i, name in enumerate(teams)
    ]
    composition.columns = ["Team", *ORGANISATIONS, "Totaal medewerkers", "Vrijwilligers"]
    return ReportData(
        municipality="Overbetuwe",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        generated_at=datetime(2025, 1, 2, 8, 0, tzinfo=UTC),
        sections=[
            per_month,
            _team_columns_section(2, teams, "Leefgebied", DOMAINS),
            _team_columns_section(3, teams, "Soort consulent", ["Met een Wmo-consulent"]),
            flow,
            lead,
            composition,
        ],
    )


def words_outside(pdf: bytes) -> list[str]:
    """Every word that lies (partly) outside the printable area of its page,
    as 'page n: word'."""
    outside = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            side = LANDSCAPE_SIDE if page.width > page.height else PORTRAIT_SIDE
            left, right = side - SLACK, page.width - side + SLACK
            for word in page.extract_words(keep_blank_chars=False, use_text_flow=True):
                inside = (
                    word["x0"] >= left
                    and word["x1"] <= right
                    and word["top"] >= 0
                    and word["bottom"] <= page.height
                )
                if not inside:
                    outside.append(f"page {number}: {word['text']!r} x1={word['x1']:.0f}")
    return outside


@pytest.mark.parametrize("team_count", [7, 10, 15])
def test_every_word_of_every_table_lies_inside_the_page(team_count):
    pdf = render.render_pdf(layout_report(team_count))
    assert words_outside(pdf) == []


def test_a_36_month_table_with_long_team_names_fits_too():
    pdf = render.render_pdf(layout_report(15, months=36))
    assert words_outside(pdf) == []


def test_the_measure_finds_a_word_past_the_edge():
    """The check itself: a table far too wide for any page is caught."""
    html = (
        '<html><body><table style="width: 400mm"><tr><td>links</td>'
        '<td style="text-align: right">rechtsbuiten</td></tr></table></body></html>'
    )
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    assert any("rechtsbuiten" in word for word in words_outside(pdf))


@pytest.mark.parametrize("kind", ["grouped_bar", "stacked_bar", "hbar"])
def test_charts_with_long_names_stay_inside_the_page(kind):
    """A chart's category labels (routes, teams, provisions) wrap instead of
    running off the figure: the lead-time chart's 'Met voorwerk (voorstel van
    een team)' was cut at the left edge."""
    from apps.reporting.tables import Chart

    data = layout_report(7)
    few = ["Met voorwerk (voorstel van een team)", "Zonder voorwerk (eigen route van het loket)"]
    for section, categories in ((data.sections[4], few), (data.sections[3], NAMES[:12])):
        section.chart = Chart(
            kind=kind,
            title=section.title,
            categories=categories,
            series=[
                ("Mediaan vraag → besluit (dagen)", [28.0 + i for i in range(len(categories))]),
                ("Mediaan aanvraag → besluit (dagen)", [5.0 + i for i in range(len(categories))]),
            ],
            unit="dagen",
        )
    assert words_outside(render.render_pdf(data)) == []
