"""A hand-made report for the rendering tests: the shape `figures.py` produces,
without a database. Its first table follows the seed's "onderwerp 1" (new
questions per kernteam per month), with one team large enough for a thousands
separator and one small enough to be hidden at a threshold of 5."""

from datetime import UTC, date, datetime

from apps.reporting.tables import Cell, Chart, Kind, ReportData, Row, Section

MONTHS = ["jan 2015", "feb 2015", "mrt 2015", "apr 2015", "mei 2015"]
# Per team, per month; Kernteam West's 3 in April is the small count.
TEAMS = {
    "Kernteam Noord": [300, 280, 260, 214, 180],
    "Kernteam Zuid": [12, 14, 11, 9, 8],
    "Kernteam West": [7, 6, 9, 3, 6],
}
WIDE_MONTHS = [
    "jan 2015",
    "feb 2015",
    "mrt 2015",
    "apr 2015",
    "mei 2015",
    "jun 2015",
    "jul 2015",
    "aug 2015",
    "sep 2015",
    "okt 2015",
    "nov 2015",
    "dec 2015",
    "jan 2016",
]


def _count_row(label, values, *, is_total=False):
    cells = [Cell(v) for v in values] + [Cell(sum(values))]
    return Row(label, cells, is_total=is_total)


def questions_section() -> Section:
    rows = [_count_row(team, values) for team, values in TEAMS.items()]
    totals = [sum(column) for column in zip(*TEAMS.values(), strict=True)]
    rows.append(_count_row("Totaal", totals, is_total=True))
    return Section(
        key="questions_per_team",
        number=1,
        title="Nieuwe vragen per kernteam per maand",
        columns=["Kernteam", *MONTHS, "Totaal"],
        rows=rows,
        intro="Vragen die in de maand binnenkwamen, naar het team dat ze oppakte.",
        notes=["Een vraag telt mee in de maand waarin ze binnenkwam."],
        chart=Chart(
            kind="grouped_bar",
            title="Nieuwe vragen per kernteam per maand",
            categories=list(MONTHS),
            series=[(team, [float(v) for v in values]) for team, values in TEAMS.items()],
            unit="aantal vragen",
        ),
        total_column=6,
    )


def youth_section() -> Section:
    rows = [
        Row("Kernteam Noord", [Cell(42, n=1234), Cell(17.4, Kind.PERCENT, n=1234)]),
        Row("Kernteam Zuid", [Cell(1), Cell(1.85, Kind.PERCENT, n=54)]),
        Row("Kernteam West", [Cell(2, n=4), Cell(50.0, Kind.PERCENT, n=4)]),
    ]
    return Section(
        key="youth",
        number=2,
        title="Vragen over jeugd (onder 18 jaar)",
        columns=["Kernteam", "Vragen over jeugd", "Aandeel"],
        rows=rows,
        notes=["Het aandeel is van alle vragen van het team in de periode."],
        chart=Chart(
            kind="hbar",
            title="Aandeel vragen over jeugd",
            categories=["Kernteam Noord", "Kernteam Zuid", "Kernteam West"],
            series=[("Aandeel", [17.4, 1.85, 50.0])],
            unit="%",
        ),
    )


def lead_time_section() -> Section:
    rows = [
        Row("Vraag tot besluit", [Cell(38.5, Kind.DAYS, n=120), Cell(61, Kind.DAYS, n=120)]),
        Row("Voorstel tot besluit", [Cell(9.0, Kind.DAYS, n=80), Cell(14.25, Kind.DAYS, n=80)]),
        Row("Met voorwerk", [Cell(21.0, Kind.DAYS, n=3), Cell(30.0, Kind.DAYS, n=3)]),
    ]
    return Section(
        key="lead_times",
        number=3,
        title="Doorlooptijden in dagen",
        columns=["Traject", "Mediaan", "90e percentiel"],
        rows=rows,
        notes=["Kalenderdagen, van de eerste tot de laatste datum."],
    )


def staff_section() -> Section:
    members = {"Kernteam Noord": [4, 2, 1], "Kernteam Zuid": [3, 1, 2]}
    rows = [Row(team, [Cell(v, private=False) for v in values]) for team, values in members.items()]
    return Section(
        key="team_composition",
        number=4,
        title="Samenstelling kernteams",
        columns=["Kernteam", "Gemeente", "Zorgaanbieder", "Vrijwilligers"],
        rows=rows,
        notes=["Over medewerkers: kleine aantallen worden niet verborgen."],
        chart=Chart(
            kind="stacked_bar",
            title="Leden per moederorganisatie",
            categories=list(members),
            series=[
                ("Gemeente", [4.0, 3.0]),
                ("Zorgaanbieder", [2.0, 1.0]),
                ("Vrijwilligers", [1.0, 2.0]),
            ],
            unit="aantal leden",
        ),
    )


def wide_section() -> Section:
    values = [20, 18, 25, 22, 19, 2, 17, 21, 24, 23, 16, 15, 26]
    total = sum(values)
    return Section(
        key="questions_per_month",
        number=5,
        title="Vragen per maand over dertien maanden",
        columns=["Onderwerp", *WIDE_MONTHS, "Totaal"],
        rows=[Row("Alle vragen", [Cell(v) for v in values] + [Cell(total)])],
        chart=Chart(
            kind="bar",
            title="Vragen per maand",
            categories=list(WIDE_MONTHS),
            series=[("Alle vragen", [float(v) for v in values])],
            unit="aantal vragen",
        ),
        total_column=14,
    )


def empty_section() -> Section:
    return Section(
        key="home_visits",
        number=6,
        title="Gezamenlijke huisbezoeken",
        columns=["Consulent", "Huisbezoeken"],
        rows=[],
        notes=["In deze periode zijn geen gezamenlijke huisbezoeken geregistreerd."],
    )


def sample_report(threshold: int = 0) -> ReportData:
    return ReportData(
        municipality="Overbetuwe",
        period_start=date(2015, 1, 1),
        period_end=date(2015, 5, 31),
        generated_at=datetime(2015, 6, 1, 8, 30, tzinfo=UTC),
        sections=[
            questions_section(),
            youth_section(),
            lead_time_section(),
            staff_section(),
            wide_section(),
            empty_section(),
        ],
        small_count_threshold=threshold,
    )
