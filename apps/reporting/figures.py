"""The figures of a monitoring report: one municipality, a period of whole
months, every section of `tables.ReportData`.

Every figure is an aggregate in the database (GROUP BY, filtered counts,
percentiles); Python only places the grouped numbers in tables. The number of
queries is the same for ten questions and for a hundred thousand (a test holds
it to that). Nothing here reads a resident's name, BSN or free text: the labels
are teams, life domains, channels, laws, provisions and organisations.

Months and days are those of the portal's time zone (settings.TIME_ZONE; a
municipality has no time zone of its own): a question received on 31 January
at 23:30 in the Netherlands counts in January."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    BigIntegerField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope

from apps.cases.models import Activity, AssessmentScore, Case, Solution, SupportPlan
from apps.decisions.models import (
    Decision,
    DeliveryForm,
    Objection,
    ObjectionDecision,
    Proposal,
    Provision,
    ProvisionEvent,
)
from apps.intake.models import Channel, LifeDomain, Question, QuestionForward
from apps.reporting import tables
from apps.reporting.compare import add_previous, year_earlier
from apps.reporting.periods import month_label, months_between
from apps.reporting.sql import DayNumber, Percentile, json_list_has
from apps.reporting.tables import Cell, Chart, Kind, ReportData, Row, Section
from apps.teams.models import Law, Membership, Team

LOKET = Team.Kind.LOKET
EXPERTISE = Team.Kind.EXPERTISE


@dataclass
class _Context:
    municipality: object
    start: date
    end: date
    generated_at: datetime
    tz: object
    since: datetime = None
    until: datetime = None
    months: list[date] = field(default_factory=list)
    # Percentages and what they are computed from (tables.ReportData.derived).
    derived: list[tuple[Cell, list[Cell]]] = field(default_factory=list)
    # The cells that show one team's number of questions, in several tables
    # (tables.ReportData.same); keyed by team id, or "all" / "teams" for the
    # totals of all questions and of the teams but the loket.
    team_totals: dict = field(default_factory=dict)

    def team_total(self, team_id, cell: "Cell") -> "Cell":
        self.team_totals.setdefault(team_id, []).append(cell)
        return cell

    def __post_init__(self):
        self.since = timezone.make_aware(datetime.combine(self.start, time.min), self.tz)
        self.until = timezone.make_aware(
            datetime.combine(self.end + timedelta(days=1), time.min), self.tz
        )
        self.months = months_between(self.start, self.end)

    @property
    def generated_on(self) -> date:
        return timezone.localtime(self.generated_at, self.tz).date()


def build_report_data(
    municipality,
    period_start: date,
    period_end: date,
    *,
    generated_at: datetime | None = None,
    threshold: int = 0,
    audience: str = "outside",
    compare_previous_year: bool = False,
) -> ReportData:
    """All sections of the report of `municipality` from `period_start` (the
    first day of a month) up to and including `period_end` (a last day). With
    `threshold` > 1 small counts are marked hidden (`tables.suppress`).
    `audience` ("outside" / "internal") is shown on the cover. With
    `compare_previous_year` the same months a year earlier are built too and
    set beside each figure (`compare.add_previous`)."""
    report = _build(municipality, period_start, period_end, generated_at, threshold)
    report.audience = audience
    if compare_previous_year:
        start, end = year_earlier(period_start, period_end)
        previous = _build(municipality, start, end, report.generated_at, threshold)
        add_previous(report, previous)
    if threshold > 1:
        tables.suppress(report)
    return report


def _build(municipality, period_start, period_end, generated_at, threshold) -> ReportData:
    ctx = _Context(
        municipality=municipality,
        start=period_start,
        end=period_end,
        generated_at=generated_at or timezone.now(),
        tz=timezone.get_default_timezone(),
    )
    # The caller (a task, a page) is normally in this scope already; entering it
    # here too makes the function safe to call from a shell or a test, and
    # every query below filters on the municipality besides.
    with scope(municipality=municipality):
        teams = list(
            Team.objects.filter(municipality=municipality)
            .order_by("name", "pk")
            .values("id", "name", "kind", "is_active")
        )
        questions = _question_figures(ctx)
        domains = _domains(ctx)
        sections = [
            _questions_per_team_month(ctx, teams, questions),
            _questions_loket_month(ctx, teams, questions),
            _life_domains(ctx, teams, questions, domains),
            _youth(ctx, teams, questions),
            _channels(ctx),
            _flow(ctx, teams, questions),
            _joint_visits(ctx, teams),
            _composition(ctx, teams),
            _lead_times(ctx),
            _deadlines(ctx),
            _decisions_per_provision(ctx),
            _zrm_domains(ctx, domains),
            _zrm_teams(ctx, teams, domains),
            _ladder(ctx, teams),
            _objections(ctx),
            _running_provisions(ctx),
        ]
    return ReportData(
        municipality=municipality.name,
        period_start=period_start,
        period_end=period_end,
        generated_at=ctx.generated_at,
        sections=sections,
        small_count_threshold=threshold,
        same=[cells for cells in ctx.team_totals.values() if len(cells) > 1],
        derived=ctx.derived,
    )


# --- helpers -----------------------------------------------------------------


def _count(value) -> Cell:
    return Cell(int(value or 0), Kind.COUNT)


def _share(ctx: _Context, count: Cell, base: Cell | int) -> Cell:
    """The percentage `count` is of `base`; it rests on `base` questions, and
    is hidden when the count or a base shown elsewhere is."""
    sources = [count] if isinstance(base, int) else [count, base]
    base = base if isinstance(base, int) else int(base.value or 0)
    cell = Cell(100 * count.value / base if base else None, Kind.PERCENT, n=base)
    ctx.derived.append((cell, sources))
    return cell


def _staff(value) -> Cell:
    """Staff figures are not about residents: never hidden."""
    return Cell(int(value or 0), Kind.COUNT, private=False)


def _days(value, n) -> Cell:
    return Cell(None if value is None else float(value), Kind.DAYS, n=int(n or 0))


def _total_row(rows: list[Row], width: int | None = None) -> Row:
    """The column sums of the count cells of `rows` (other kinds stay empty);
    `width`: the number of cells when there may be no rows."""
    width = len(rows[0].cells) if rows else (width or 0)
    cells = []
    for i in range(width):
        column = [row.cells[i] for row in rows]
        if not column:
            cells.append(_count(0))
        elif all(c.kind == Kind.COUNT for c in column):
            private = all(c.private for c in column)
            cells.append(Cell(sum(int(c.value or 0) for c in column), private=private))
        else:
            cells.append(Cell(None, column[0].kind))
    return Row(_("Totaal"), cells, is_total=True)


def _grand_total(ctx: _Context, key: str, row: Row, index: int) -> Row:
    """Register the cell of a total row that shows all questions ('all') or
    those of the teams but the loket ('teams'), shown in several tables."""
    ctx.team_total(key, row.cells[index])
    return row


def _team_label(team: dict) -> str:
    return team["name"] if team["is_active"] else _("%(name)s (opgeheven)") % team


def _shown_teams(teams, *, loket: bool, with_data=()) -> list[dict]:
    """The teams of the kind asked for that take in questions and are active
    (a row of zeros says something about them), and any other team with
    figures: an expertise team, which is consulted rather than asked, or a
    team closed since."""
    return [
        t
        for t in teams
        if (t["kind"] == LOKET) == loket
        and (t["id"] in with_data or (t["is_active"] and t["kind"] != EXPERTISE))
    ]


@dataclass
class _QuestionFigures:
    per_team_month: dict  # (team_id, month date) -> count
    per_team: dict  # team_id -> {total, youth, via_loket, no_domain}
    per_domain_team: dict  # (domain_id, team_id) -> count


def _questions(ctx: _Context):
    return Question.objects.filter(
        municipality=ctx.municipality, received_at__gte=ctx.since, received_at__lt=ctx.until
    )


def _team_at_end(ctx: _Context, question_ref: str = "pk"):
    """The team a question was at when the period ended: where the last
    forward up to then took it, else where it came in (the first forward's
    origin), else where it is now. So a report of a past period says the same
    today as on the day it was first made, whatever was forwarded since."""
    forwards = QuestionForward.objects.filter(
        municipality=ctx.municipality, question=OuterRef(question_ref)
    )
    last_before_end = forwards.filter(at__lt=ctx.until).order_by("-at", "-pk")
    first = forwards.order_by("at", "pk")
    current = "team_id" if question_ref == "pk" else "question__team_id"
    return Coalesce(
        Subquery(last_before_end.values("to_team_id")[:1]),
        Subquery(first.values("from_team_id")[:1]),
        F(current),
        output_field=BigIntegerField(),
    )


def _question_figures(ctx: _Context) -> _QuestionFigures:
    """Three grouped queries that sections 1–4 and 6 share."""
    per_month = (
        _questions(ctx)
        .annotate(month=TruncMonth("received_at", tzinfo=ctx.tz), then=_team_at_end(ctx))
        .values("then", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    forwarded_from_loket = Exists(
        QuestionForward.objects.filter(
            municipality=ctx.municipality,
            question=OuterRef("pk"),
            from_team__kind=LOKET,
            to_team=OuterRef("then"),
            at__lt=ctx.until,
        )
    )
    through = Question.life_domains.through
    without_domain = ~Exists(through.objects.filter(question_id=OuterRef("pk")))
    per_team = (
        _questions(ctx)
        .annotate(then=_team_at_end(ctx))
        .values("then")
        .annotate(
            total=Count("id"),
            youth=Count("id", filter=Q(is_youth=True)),
            via_loket=Count("id", filter=Q(gate__kind=LOKET) | forwarded_from_loket),
            no_domain=Count("id", filter=without_domain),
        )
        .order_by()
    )
    per_domain = (
        through.objects.filter(
            question__municipality=ctx.municipality,
            question__received_at__gte=ctx.since,
            question__received_at__lt=ctx.until,
        )
        .annotate(then=_team_at_end(ctx, "question_id"))
        .values("lifedomain_id", "then")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _QuestionFigures(
        per_team_month={
            (row["then"], _month_key(row["month"], ctx.tz)): row["n"] for row in per_month
        },
        per_team={row["then"]: row for row in per_team},
        per_domain_team={(row["lifedomain_id"], row["then"]): row["n"] for row in per_domain},
    )


def _month_key(value, tz) -> date:
    """TruncMonth's answer (a local datetime, or naive on some backends) as a date."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, tz)
        return value.date()
    return value


def _month_table(ctx, teams, figures) -> tuple[list[str], list[Row]]:
    columns = [_("Team")] + [month_label(m, short=True) for m in ctx.months] + [_("Totaal")]
    rows = []
    for team in teams:
        cells = [_count(figures.per_team_month.get((team["id"], m), 0)) for m in ctx.months]
        cells.append(ctx.team_total(team["id"], _count(sum(c.value for c in cells))))
        rows.append(Row(_team_label(team), cells))
    return columns, rows


def _month_chart(ctx, title, rows, kind) -> Chart:
    return Chart(
        kind=kind,
        title=title,
        categories=[month_label(m, short=True) for m in ctx.months],
        series=[(row.label, [c.value for c in row.cells[:-1]]) for row in rows],
        unit=_("vragen"),
    )


# --- 1, 2: questions per month --------------------------------------------------


def _questions_per_team_month(ctx, teams, figures) -> Section:
    shown = _shown_teams(teams, loket=False, with_data=figures.per_team)
    columns, rows = _month_table(ctx, shown, figures)
    title = _("Nieuwe vragen per team per maand")
    return Section(
        key="questions_per_team_month",
        number=1,
        title=title,
        intro=_("Het aantal nieuwe vragen dat in elke maand bij de teams binnenkwam."),
        columns=columns,
        rows=rows + [_grand_total(ctx, "teams", _total_row(rows, len(columns) - 1), -1)],
        notes=[
            _(
                "Een vraag telt in de maand waarin ze werd ontvangen, bij het team waar ze "
                "aan het eind van de periode lag (na doorverwijzingen tot dan). Wat later "
                "wordt doorverwezen, verandert deze rapportage niet."
            )
        ],
        chart=_month_chart(ctx, title, rows, "grouped_bar") if rows else None,
        total_column=len(columns) - 1,
    )


def _questions_loket_month(ctx, teams, figures) -> Section:
    shown = _shown_teams(teams, loket=True, with_data=figures.per_team)
    columns, rows = _month_table(ctx, shown, figures)
    if len(rows) > 1:
        rows.append(_total_row(rows))
    body = [row for row in rows if not row.is_total]
    title = _("Nieuwe vragen bij het loket per maand")
    return Section(
        key="questions_loket_month",
        number=2,
        title=title,
        intro=_("Het aantal nieuwe vragen dat in elke maand bij het loket binnenkwam."),
        columns=columns,
        rows=rows,
        notes=[_("Ook hier telt een vraag bij het team waar ze aan het eind van de periode lag.")],
        chart=_month_chart(ctx, title, body, "bar" if len(body) == 1 else "grouped_bar")
        if body
        else None,
        total_column=len(columns) - 1,
    )


# --- 3: life domains -------------------------------------------------------------


def _all_shown_teams(teams, figures) -> list[dict]:
    return _shown_teams(teams, loket=False, with_data=figures.per_team) + _shown_teams(
        teams, loket=True, with_data=figures.per_team
    )


def _domains(ctx) -> list[dict]:
    return list(
        LifeDomain.objects.filter(municipality=ctx.municipality)
        .order_by("position", "name", "pk")
        .values("id", "name", "is_active")
    )


def _life_domains(ctx, teams, figures, domains) -> Section:
    shown = _all_shown_teams(teams, figures)
    used = {domain_id for domain_id, _team in figures.per_domain_team}
    rows = []
    for domain in domains:
        if not domain["is_active"] and domain["id"] not in used:
            continue
        cells = [_count(figures.per_domain_team.get((domain["id"], t["id"]), 0)) for t in shown]
        cells.append(_count(sum(c.value for c in cells)))
        rows.append(Row(domain["name"], cells))
    body = list(rows)
    cells = [_count(figures.per_team.get(t["id"], {}).get("no_domain", 0)) for t in shown]
    cells.append(_count(sum(c.value for c in cells)))
    rows.append(Row(_("Geen leefgebied vastgelegd"), cells))
    rows.append(_total_row(rows))
    columns = [_("Leefgebied")] + [_team_label(t) for t in shown] + [_("Totaal")]
    title = _("Vragen per leefgebied per team")
    return Section(
        key="life_domains",
        number=3,
        title=title,
        intro=_("Over welke leefgebieden de vragen van de periode gingen, per team."),
        columns=columns,
        rows=rows,
        notes=[
            _(
                "Een vraag kan over meer leefgebieden gaan en telt dan bij elk daarvan; het "
                "totaal is daardoor groter dan het aantal vragen."
            )
        ],
        chart=Chart(
            kind="stacked_bar",
            title=title,
            categories=[row.label for row in body],
            series=[
                (columns[i + 1], [row.cells[i].value for row in body]) for i in range(len(shown))
            ],
            unit=_("vragen"),
        )
        if body and shown
        else None,
        total_column=len(columns) - 1,
    )


# --- 4: youth ---------------------------------------------------------------------


def _youth(ctx, teams, figures) -> Section:
    rows = []
    for team in _all_shown_teams(teams, figures):
        found = figures.per_team.get(team["id"], {})
        youth = _count(found.get("youth", 0))
        total = ctx.team_total(team["id"], _count(found.get("total", 0)))
        rows.append(Row(_team_label(team), [youth, total, _share(ctx, youth, total)]))
    total = _grand_total(ctx, "all", _total_row(rows, 3), 1)
    total.cells[2] = _share(ctx, total.cells[0], total.cells[1])
    return Section(
        key="youth",
        number=4,
        title=_("Vragen over jeugd (onder 18 jaar)"),
        intro=_("Het aandeel vragen over een jongere onder de 18 jaar, per team."),
        columns=[_("Team"), _("Vragen over jeugd"), _("Alle vragen"), _("Aandeel jeugd")],
        rows=rows + [total],
        notes=[
            _(
                "Jeugd: de vraag is bij de registratie als jeugdvraag aangemerkt (of afgeleid "
                "uit de geboortedatum van de inwoner)."
            )
        ],
    )


# --- 5: channels ------------------------------------------------------------------


def _channels(ctx) -> Section:
    counts = {
        row["channel"]: row["n"]
        for row in _questions(ctx).values("channel").annotate(n=Count("id")).order_by()
    }
    rows = [
        Row(str(label), [_count(counts.get(value, 0)), None]) for value, label in Channel.choices
    ]
    total = Row(_("Totaal"), [_count(sum(counts.values())), None], is_total=True)
    _grand_total(ctx, "all", total, 0)
    for row in [*rows, total]:
        row.cells[1] = _share(ctx, row.cells[0], total.cells[0])
    title = _("Hoe de vragen binnenkwamen")
    columns = [_("Kanaal"), _("Aantal"), _("Aandeel")]
    return Section(
        key="channels",
        number=5,
        title=title,
        intro=_("Langs welk kanaal de vragen van de periode binnenkwamen (loket en teams)."),
        columns=columns,
        rows=rows + [total],
        chart=Chart(
            kind="hbar",
            title=title,
            categories=[row.label for row in rows],
            series=[(columns[1], [row.cells[0].value for row in rows])],
            unit=_("vragen"),
        ),
    )


# --- 6: flow between loket and teams ------------------------------------------------


def _flow(ctx, teams, figures) -> Section:
    pairs = (
        QuestionForward.objects.filter(
            municipality=ctx.municipality, at__gte=ctx.since, at__lt=ctx.until
        )
        .filter(Q(from_team__kind=LOKET) | Q(to_team__kind=LOKET))
        .values("from_team_id", "to_team_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    loket_ids = {t["id"] for t in teams if t["kind"] == LOKET}
    to_team, from_team = {}, {}
    for pair in pairs:
        if pair["from_team_id"] in loket_ids and pair["to_team_id"] not in loket_ids:
            to_team[pair["to_team_id"]] = to_team.get(pair["to_team_id"], 0) + pair["n"]
        if pair["to_team_id"] in loket_ids and pair["from_team_id"] not in loket_ids:
            from_team[pair["from_team_id"]] = from_team.get(pair["from_team_id"], 0) + pair["n"]
    with_data = set(figures.per_team) | set(to_team) | set(from_team)
    rows = []
    for team in _shown_teams(teams, loket=False, with_data=with_data):
        found = figures.per_team.get(team["id"], {})
        total = ctx.team_total(team["id"], _count(found.get("total", 0)))
        via = _count(found.get("via_loket", 0))
        rows.append(
            Row(
                _team_label(team),
                [
                    _count(to_team.get(team["id"], 0)),
                    _count(from_team.get(team["id"], 0)),
                    total,
                    via,
                    _share(ctx, via, total),
                ],
            )
        )
    total = _grand_total(ctx, "teams", _total_row(rows, 5), 2)
    total.cells[4] = _share(ctx, total.cells[3], total.cells[2])
    return Section(
        key="flow",
        number=6,
        title=_("Grensverkeer tussen loket en teams"),
        intro=_(
            "Doorverwijzingen tussen het loket en de teams in de periode, en welk deel van "
            "de vragen van een team via het loket kwam."
        ),
        columns=[
            _("Team"),
            _("Van loket naar team"),
            _("Van team naar loket"),
            _("Vragen bij het team"),
            _("Waarvan via het loket"),
            _("Aandeel via het loket"),
        ],
        rows=rows + [total],
        notes=[
            _(
                "Doorverwijzingen tellen in de maand waarin ze gebeurden. 'Via het loket': "
                "een vraag van de periode die nu bij het team ligt en bij het loket binnenkwam "
                "of door het loket naar dit team is doorverwezen."
            )
        ],
    )


# --- 7: joint home visits -------------------------------------------------------------


def _joint_visits(ctx, teams) -> Section:
    wmo = json_list_has("joint_laws", Law.WMO)
    youth = json_list_has("joint_laws", Law.JEUGDWET)
    kinds = [
        ("wmo", wmo & ~youth, _("Met een Wmo-consulent")),
        ("youth", youth & ~wmo, _("Met een jeugdconsulent")),
        ("both", wmo & youth, _("Met een consulent Wmo en jeugd")),
        ("other", ~wmo & ~youth, _("Met een andere consulent")),
    ]
    per_team = {
        row["case__team_id"]: row
        for row in Activity.objects.filter(
            municipality=ctx.municipality,
            kind=Activity.Kind.HOME_VISIT,
            is_joint=True,
            date__gte=ctx.start,
            date__lte=ctx.end,
        )
        .values("case__team_id")
        .annotate(**{key: Count("id", filter=condition) for key, condition, _label in kinds})
        .order_by()
    }
    shown = _shown_teams(teams, loket=False, with_data=per_team) + [
        t for t in teams if t["kind"] == LOKET and t["id"] in per_team
    ]
    rows = []
    for key, _condition, label in kinds:
        cells = [_count(per_team.get(t["id"], {}).get(key, 0)) for t in shown]
        cells.append(_count(sum(c.value for c in cells)))
        rows.append(Row(label, cells))
    columns = [_("Soort consulent")] + [_team_label(t) for t in shown] + [_("Totaal")]
    return Section(
        key="joint_visits",
        number=7,
        title=_("Gezamenlijke huisbezoeken"),
        intro=_(
            "Huisbezoeken van een loketconsulent samen met een teamlid, per soort consulent "
            "en per team van de casus."
        ),
        columns=columns,
        rows=rows + [_total_row(rows)],
        notes=[
            _(
                "De soort consulent volgt uit het mandaat van de loketconsulent op het moment "
                "van het bezoek (Wmo 2015, Jeugdwet of beide)."
            )
        ],
        total_column=len(columns) - 1,
    )


# --- 8: team composition ----------------------------------------------------------------


def _composition(ctx, teams) -> Section:
    volunteer = Q(function=Membership.Function.VOLUNTEER)
    found = list(
        Membership.objects.active()
        .filter(municipality=ctx.municipality)
        .values("team_id", "organisation__name")
        .annotate(
            staff=Count("staff_member", distinct=True, filter=~volunteer),
            volunteers=Count("staff_member", distinct=True, filter=volunteer),
        )
        .order_by()
    )
    unknown = _("Onbekend")
    organisations = sorted({row["organisation__name"] for row in found} - {None})
    if any(row["organisation__name"] is None and row["staff"] for row in found):
        organisations.append(None)
    staff = {(row["team_id"], row["organisation__name"]): row["staff"] for row in found}
    volunteers = {}
    for row in found:
        volunteers[row["team_id"]] = volunteers.get(row["team_id"], 0) + row["volunteers"]
    rows = []
    for team in [t for t in teams if t["is_active"]]:
        cells = [_staff(staff.get((team["id"], org), 0)) for org in organisations]
        cells.append(_staff(sum(c.value for c in cells)))
        cells.append(_staff(volunteers.get(team["id"], 0)))
        rows.append(Row(team["name"], cells))
    columns = (
        [_("Team")]
        + [org if org is not None else unknown for org in organisations]
        + [_("Totaal medewerkers"), _("Vrijwilligers")]
    )
    stand = ctx.generated_on.strftime("%d-%m-%Y")
    return Section(
        key="composition",
        number=8,
        title=_("Samenstelling van de teams"),
        intro=_("Medewerkers per moederorganisatie per team, en vrijwilligers; stand per %(date)s.")
        % {"date": stand},
        columns=columns,
        rows=rows + [_total_row(rows, len(columns) - 1)],
        notes=[
            _(
                "Actieve lidmaatschappen op de dag dat het rapport is gemaakt, niet over de "
                "periode. Wie in een team meer functies heeft, telt één keer."
            )
        ],
        total_column=len(columns) - 2,
    )


# --- 9: lead times -------------------------------------------------------------------------


def _final_decisions(ctx):
    return Decision.objects.filter(
        municipality=ctx.municipality,
        decided_at__gte=ctx.since,
        decided_at__lt=ctx.until,
        outcome__in=Decision.FINAL_OUTCOMES,
    )


def _lead_times(ctx) -> Section:
    # The question that led to this application: the case's latest question
    # up to the day it was applied for (a re-assessment years later starts at
    # its own question, not at the case's first); else the case's first.
    questions = Question.objects.filter(municipality=ctx.municipality, case_id=OuterRef("case_id"))
    asked_for = (
        questions.filter(received_at__date__lte=OuterRef("application_date"))
        .order_by("-received_at")
        .values("received_at")[:1]
    )
    first = questions.order_by("received_at").values("received_at")[:1]
    asked_at = Coalesce(
        Subquery(asked_for, output_field=DateTimeField()),
        Subquery(first, output_field=DateTimeField()),
    )
    decided_day = DayNumber(TruncDate("decided_at", tzinfo=ctx.tz))
    received_day = DayNumber(TruncDate(asked_at, tzinfo=ctx.tz))
    leads = _final_decisions(ctx).annotate(
        question_days=decided_day - received_day,
        proposal_days=decided_day - DayNumber(F("application_date")),
    )
    groups = {
        "with": Q(via_voorwerk=True),
        "without": Q(via_voorwerk=False),
        "all": None,
    }
    measures = {}
    for group, condition in groups.items():
        for lead in ("question_days", "proposal_days"):
            measures[f"{group}_{lead}_n"] = Count(lead, filter=condition)
            measures[f"{group}_{lead}_p50"] = Percentile(lead, 0.5, filter=condition)
            measures[f"{group}_{lead}_p80"] = Percentile(lead, 0.8, filter=condition)
    figures = leads.aggregate(**measures)
    labels = {
        "with": _("Met voorwerk (voorstel van een team)"),
        "without": _("Zonder voorwerk (eigen route van het loket)"),
        "all": _("Totaal"),
    }
    rows = []
    for group, label in labels.items():
        cells = []
        for lead in ("question_days", "proposal_days"):
            n = figures[f"{group}_{lead}_n"]
            cells += [
                _count(n),
                _days(figures[f"{group}_{lead}_p50"], n),
                _days(figures[f"{group}_{lead}_p80"], n),
            ]
        rows.append(Row(label, cells, is_total=group == "all"))
    columns = [
        _("Route"),
        _("Besluiten (vraag → besluit)"),
        _("Mediaan vraag → besluit (dagen)"),
        _("80% binnen (vraag → besluit, dagen)"),
        _("Besluiten (aanvraag → besluit)"),
        _("Mediaan aanvraag → besluit (dagen)"),
        _("80% binnen (aanvraag → besluit, dagen)"),
    ]
    title = _("Doorlooptijden met en zonder voorwerk")
    body = rows[:2]
    return Section(
        key="lead_times",
        number=9,
        title=title,
        intro=_(
            "Hoe lang het duurde tot een besluit (toekenning of afwijzing) in de periode: "
            "vanaf de vraag die tot de aanvraag leidde en vanaf de aanvraag bij het loket."
        ),
        columns=columns,
        rows=rows,
        notes=[
            _(
                "In kalenderdagen. Mediaan: de helft van de besluiten was er binnen zoveel "
                "dagen; 80% binnen: vier op de vijf. De aanvraag is de eerste indiening van "
                "het voorstel bij het loket. Met voorwerk: een team deed het voorstel; zonder: "
                "het loket op eigen route. Teruggestuurde voorstellen tellen bij hun latere "
                "besluit."
            )
        ],
        chart=Chart(
            kind="grouped_bar",
            title=title,
            categories=[row.label for row in body],
            series=[
                (columns[2], [row.cells[1].value for row in body]),
                (columns[5], [row.cells[4].value for row in body]),
            ],
            unit=_("dagen"),
        ),
    )


# --- 10: statutory deadlines ------------------------------------------------------------------


def _deadlines(ctx) -> Section:
    decided = {
        row["law"]: row
        for row in _final_decisions(ctx)
        .annotate(decided_on=TruncDate("decided_at", tzinfo=ctx.tz))
        .values("law")
        .annotate(
            on_time=Count("id", filter=Q(decided_on__lte=F("deadline"))),
            late=Count("id", filter=Q(decided_on__gt=F("deadline"))),
        )
        .order_by()
    }
    # Still waiting for a decision while the deadline (within the period) has passed.
    passed_until = min(ctx.end, ctx.generated_on - timedelta(days=1))
    open_overdue = {
        row["provision_type__law"]: row["n"]
        for row in Proposal.objects.filter(
            municipality=ctx.municipality,
            status=Proposal.Status.SUBMITTED,
            decision_deadline__gte=ctx.start,
            decision_deadline__lte=passed_until,
        )
        .values("provision_type__law")
        .annotate(n=Count("id"))
        .order_by()
    }
    rows = []
    for law, label in Law.choices:
        found = decided.get(law, {})
        on_time, late = _count(found.get("on_time", 0)), _count(found.get("late", 0))
        total = _count(on_time.value + late.value)
        rows.append(
            Row(
                str(label),
                [on_time, late, total, _share(ctx, on_time, total)],
            )
        )
        rows[-1].cells.append(_count(open_overdue.get(law, 0)))
    total = _total_row(rows)
    total.cells[3] = _share(ctx, total.cells[0], total.cells[2])
    stand = ctx.generated_on.strftime("%d-%m-%Y")
    return Section(
        key="deadlines",
        number=10,
        title=_("Wettelijke beslistermijnen"),
        intro=_("Besluiten in de periode binnen en na de wettelijke beslistermijn, per wet."),
        columns=[
            _("Wet"),
            _("Op tijd"),
            _("Te laat"),
            _("Totaal"),
            _("Aandeel op tijd"),
            _("Nog open, termijn verstreken"),
        ],
        rows=rows + [total],
        notes=[
            _(
                "Op tijd: besloten op of voor de (eventueel opgeschorte of verlengde) "
                "beslistermijn. 'Nog open, termijn verstreken': ingediende voorstellen zonder "
                "besluit waarvan de termijn in de periode viel en verstreken is, stand per "
                "%(date)s."
            )
            % {"date": stand}
        ],
        total_column=3,
    )


# --- 11: decisions per provision ------------------------------------------------------------------


def _decisions_per_provision(ctx) -> Section:
    found = list(
        Decision.objects.filter(
            municipality=ctx.municipality, decided_at__gte=ctx.since, decided_at__lt=ctx.until
        )
        .values("provision_type_id", "provision_type__name")
        .annotate(
            granted=Count("id", filter=Q(outcome__in=Decision.GRANTS)),
            refused=Count("id", filter=Q(outcome=Decision.Outcome.REFUSED)),
            returned=Count("id", filter=Q(outcome=Decision.Outcome.RETURNED)),
        )
        .order_by("provision_type__name", "provision_type_id")
    )
    rows = []
    for row in found:
        cells = [_count(row["granted"]), _count(row["refused"]), _count(row["returned"])]
        cells.append(_count(sum(c.value for c in cells)))
        rows.append(Row(row["provision_type__name"], cells))
    columns = [_("Voorziening"), _("Toegekend"), _("Afgewezen"), _("Teruggestuurd"), _("Totaal")]
    title = _("Besluiten per voorziening")
    return Section(
        key="decisions_per_provision",
        number=11,
        title=title,
        intro=_("Besluiten van het loket in de periode, per maatwerkvoorziening."),
        columns=columns,
        rows=rows + [_total_row(rows, 4)],
        notes=[
            _(
                "Toegekend: ook toegekend met wijzigingen. Een voorstel dat is teruggestuurd en "
                "daarna opnieuw is ingediend, telt met elk besluit mee."
            )
        ],
        chart=Chart(
            kind="stacked_bar",
            title=title,
            categories=[row.label for row in rows],
            series=[(columns[i + 1], [row.cells[i].value for row in rows]) for i in range(3)],
            unit=_("besluiten"),
        )
        if rows
        else None,
        total_column=4,
    )


# --- 12, 13: self-sufficiency (ZRM) outcomes -------------------------------------------------


def _zrm_changes(ctx):
    """One row per case and life domain whose latest score up to the end of
    the period was given in the period, at a later assessment than the case's
    first score of that domain: that latest score with `change` = latest −
    first (positive: more self-sufficient). Only scores, dates and ids are read,
    never a note."""
    scores = AssessmentScore.objects.filter(
        municipality=ctx.municipality, assessment__assessed_on__lte=ctx.end
    )
    same_pair = scores.filter(
        assessment__case_id=OuterRef("assessment__case_id"),
        life_domain_id=OuterRef("life_domain_id"),
    )
    first = same_pair.order_by("assessment__assessed_on", "assessment_id")
    later = same_pair.filter(
        Q(assessment__assessed_on__gt=OuterRef("assessment__assessed_on"))
        | Q(
            assessment__assessed_on=OuterRef("assessment__assessed_on"),
            assessment_id__gt=OuterRef("assessment_id"),
        )
    )
    return (
        scores.filter(assessment__assessed_on__gte=ctx.start)
        .annotate(
            first_score=Subquery(first.values("score")[:1]),
            first_assessment=Subquery(first.values("assessment_id")[:1]),
        )
        .filter(~Exists(later))
        .exclude(first_assessment=F("assessment_id"))
        .annotate(change=ExpressionWrapper(F("score") - F("first_score"), IntegerField()))
    )


_ZRM_MEASURES = {
    "improved": Count("id", filter=Q(change__gt=0)),
    "same": Count("id", filter=Q(change=0)),
    "worse": Count("id", filter=Q(change__lt=0)),
    "median": Percentile("change", 0.5),
}


def _zrm_cells(ctx, found: dict) -> list[Cell]:
    improved, same, worse = (_count(found.get(key, 0)) for key in ("improved", "same", "worse"))
    total = _count(improved.value + same.value + worse.value)
    median = found.get("median")
    return [
        improved,
        same,
        worse,
        total,
        _share(ctx, improved, total),
        _share(ctx, worse, total),
        Cell(None if median is None else float(median), Kind.NUMBER, n=total.value),
    ]


def _zrm_columns(label: str) -> list[str]:
    return [
        label,
        _("Vooruit"),
        _("Gelijk"),
        _("Achteruit"),
        _("Casussen"),
        _("Aandeel vooruit"),
        _("Aandeel achteruit"),
        _("Mediaan verandering (punten)"),
    ]


_ZRM_NOTE = gettext_lazy(
    "Per casus en leefgebied: de score van de laatste meting tot het eind van de periode "
    "(gedaan in de periode) tegenover de eerste meting van dat leefgebied in de casus. "
    "De zelfredzaamheidsmatrix loopt van 1 (acute problematiek) tot 5 (volledig "
    "zelfredzaam); vooruit is een hogere score. Een casus telt bij het team waar hij nu ligt."
)


def _zrm_domains(ctx, domains: list[dict]) -> Section:
    found = {
        row["life_domain_id"]: row
        for row in _zrm_changes(ctx).values("life_domain_id").annotate(**_ZRM_MEASURES).order_by()
    }
    rows = [
        Row(d["name"], _zrm_cells(ctx, found.get(d["id"], {})))
        for d in domains
        if d["is_active"] or d["id"] in found
    ]
    title = _("Zelfredzaamheid: verandering per leefgebied")
    return Section(
        key="zrm_domains",
        number=12,
        title=title,
        intro=_(
            "Hoe de zelfredzaamheid (ZRM-score) veranderde tussen de eerste en de laatste "
            "meting van een casus, per leefgebied."
        ),
        columns=_zrm_columns(_("Leefgebied")),
        rows=rows,
        notes=[str(_ZRM_NOTE)],
        chart=Chart(
            kind="stacked_bar",
            title=title,
            categories=[row.label for row in rows],
            series=[
                (_zrm_columns("")[i + 1], [row.cells[i].value for row in rows]) for i in range(3)
            ],
            unit=_("casussen"),
        )
        if any(row.cells[3].value for row in rows)
        else None,
        total_column=4,
    )


def _zrm_teams(ctx, teams, domains: list[dict]) -> Section:
    found = {
        (row["assessment__case__team_id"], row["life_domain_id"]): row
        for row in _zrm_changes(ctx)
        .values("assessment__case__team_id", "life_domain_id")
        .annotate(**_ZRM_MEASURES)
        .order_by()
    }
    rows = []
    for team in teams:
        for domain in domains:
            figures = found.get((team["id"], domain["id"]))
            if figures is not None:
                label = f"{_team_label(team)}: {domain['name']}"
                rows.append(Row(label, _zrm_cells(ctx, figures)))
    return Section(
        key="zrm_teams",
        number=13,
        title=_("Zelfredzaamheid: verandering per team en leefgebied"),
        intro=_("Dezelfde verandering per team, voor de leefgebieden waarin het team mat."),
        columns=_zrm_columns(_("Team: leefgebied")),
        rows=rows,
        notes=[str(_ZRM_NOTE)],
        total_column=4,
    )


# --- 14: the ladder of the support plan --------------------------------------------------------

_LADDER = [
    (Solution.Level.OWN_STRENGTH, "own_strength"),
    (Solution.Level.NETWORK, "network"),
    (Solution.Level.VOLUNTEERS, "volunteers"),
    (Solution.Level.GENERAL_PROVISION, "general"),
]


def _ladder(ctx, teams) -> Section:
    """Cases closed in the period, and the share closed without an individual
    provision: no grant in the case, and by the highest step of the ladder its
    agreed support plan(s) reached (own strength … general provision)."""
    granted = Exists(
        Decision.objects.filter(
            municipality=ctx.municipality, case_id=OuterRef("pk"), outcome__in=Decision.GRANTS
        )
    )
    highest = (
        Solution.objects.filter(
            municipality=ctx.municipality,
            goal__plan__case_id=OuterRef("pk"),
            goal__plan__status__in=[SupportPlan.Status.AGREED, SupportPlan.Status.SUPERSEDED],
        )
        .order_by()
        .values("goal__plan__case_id")
        .annotate(top=Max("level"))
        .values("top")
    )
    without = Q(granted=False)
    per_team = {
        row["team_id"]: row
        for row in Case.objects.filter(
            municipality=ctx.municipality, closed_on__gte=ctx.start, closed_on__lte=ctx.end
        )
        .annotate(granted=granted, top=Subquery(highest, output_field=IntegerField()))
        .values("team_id")
        .annotate(
            closed=Count("id"),
            without=Count("id", filter=without),
            **{key: Count("id", filter=without & Q(top=level)) for level, key in _LADDER},
            no_plan=Count(
                "id",
                filter=without & (Q(top__isnull=True) | Q(top=Solution.Level.INDIVIDUAL_PROVISION)),
            ),
        )
        .order_by()
    }
    rows = []
    for team in _shown_teams(teams, loket=False, with_data=per_team) + [
        t for t in teams if t["kind"] == LOKET and t["id"] in per_team
    ]:
        found = per_team.get(team["id"], {})
        steps = [_count(found.get(key, 0)) for _level, key in _LADDER]
        steps.append(_count(found.get("no_plan", 0)))
        without_cell = _count(found.get("without", 0))
        closed = _count(found.get("closed", 0))
        rows.append(
            Row(
                _team_label(team), [*steps, without_cell, closed, _share(ctx, without_cell, closed)]
            )
        )
    total = _total_row(rows, 8)
    total.cells[7] = _share(ctx, total.cells[5], total.cells[6])
    title = _("Afgesloten zonder maatwerkvoorziening")
    return Section(
        key="ladder",
        number=14,
        title=title,
        intro=_(
            "Casussen die in de periode zijn afgesloten, en hoeveel daarvan zonder "
            "maatwerkvoorziening: opgelost met eigen kracht, het eigen netwerk, vrijwilligers "
            "of een algemene voorziening (de treden van het ondersteuningsplan)."
        ),
        columns=[
            _("Team"),
            _("Eigen kracht"),
            _("Eigen netwerk"),
            _("Vrijwilligers"),
            _("Algemene voorziening"),
            _("Geen trede vastgelegd"),
            _("Zonder maatwerkvoorziening"),
            _("Afgesloten casussen"),
            _("Aandeel zonder maatwerkvoorziening"),
        ],
        rows=rows + [total],
        notes=[
            _(
                "Zonder maatwerkvoorziening: in de casus is nooit een maatwerkvoorziening "
                "toegekend. De trede is de hoogste soort oplossing in de afgesproken "
                "ondersteuningsplannen van de casus; 'geen trede vastgelegd': er is geen "
                "afgesproken plan, of alleen een plan dat een maatwerkvoorziening noemde die "
                "niet is toegekend."
            )
        ],
        chart=Chart(
            kind="hbar",
            title=title,
            categories=[row.label for row in rows],
            series=[(_("Aandeel zonder maatwerkvoorziening"), [r.cells[7].value for r in rows])],
            unit="%",
        )
        if any(row.cells[6].value for row in rows)
        else None,
        total_column=6,
    )


# --- 15: objections (bezwaar, #21 part 3) ----------------------------------------------------

_OBJECTION_COLUMNS = (
    ("open", gettext_lazy("In behandeling")),
    (ObjectionDecision.Outcome.WELL_FOUNDED, gettext_lazy("Gegrond")),
    (ObjectionDecision.Outcome.UNFOUNDED, gettext_lazy("Ongegrond")),
    (ObjectionDecision.Outcome.INADMISSIBLE, gettext_lazy("Niet-ontvankelijk")),
    ("withdrawn", gettext_lazy("Ingetrokken")),
)


def _objections(ctx) -> Section:
    """Objections received in the period, per provision and by where they stand
    now (open, the outcome of the decision on them, withdrawn), and how many of
    the decided ones were decided within their term. One grouped query."""
    decided_on = TruncDate("result__decided_at", tzinfo=ctx.tz)
    statuses = {
        "open": Q(status=Objection.Status.OPEN),
        "withdrawn": Q(status=Objection.Status.WITHDRAWN),
    }
    found = list(
        Objection.objects.filter(
            municipality=ctx.municipality, received_on__gte=ctx.start, received_on__lte=ctx.end
        )
        .annotate(decided_on=decided_on)
        .values("decision__provision_type_id", "decision__provision_type__name")
        .annotate(
            **{
                str(key): Count(
                    "id",
                    filter=statuses.get(
                        key, Q(status=Objection.Status.DECIDED, result__outcome=key)
                    ),
                )
                for key, _label in _OBJECTION_COLUMNS
            },
            in_time=Count(
                "id",
                filter=Q(status=Objection.Status.DECIDED, decided_on__lte=F("deadline")),
            ),
        )
        .order_by("decision__provision_type__name", "decision__provision_type_id")
    )
    rows = []
    for row in found:
        cells = [_count(row[str(key)]) for key, _label in _OBJECTION_COLUMNS]
        total = _count(sum(c.value for c in cells))
        decided = _count(sum(c.value for c in cells[1:4]))
        in_time = _count(row["in_time"])
        rows.append(
            Row(
                row["decision__provision_type__name"],
                [*cells, total, in_time, _share(ctx, in_time, decided)],
            )
        )
    total_row = _total_row(rows, 8)
    decided_total = _count(sum(total_row.cells[i].value or 0 for i in (1, 2, 3)))
    total_row.cells[7] = _share(ctx, total_row.cells[6], decided_total)
    title = _("Bezwaren per voorziening")
    return Section(
        key="objections",
        number=15,
        title=title,
        intro=_(
            "Bezwaren die in de periode zijn ontvangen, per maatwerkvoorziening, en hoe ze "
            "nu staan: in behandeling, de beslissing op het bezwaar, of ingetrokken."
        ),
        columns=[
            _("Voorziening"),
            *[str(label) for _key, label in _OBJECTION_COLUMNS],
            _("Totaal"),
            _("Binnen de termijn beslist"),
            _("Aandeel binnen de termijn"),
        ],
        rows=rows + [total_row],
        notes=[
            _(
                "De termijn is zes weken na het einde van de bezwaartermijn, twaalf met een "
                "adviescommissie, en eventueel één keer verdaagd (Awb 7:10). Het aandeel is "
                "van de bezwaren waarop is beslist (gegrond, ongegrond, niet-ontvankelijk)."
            )
        ],
        chart=Chart(
            kind="stacked_bar",
            title=title,
            categories=[row.label for row in rows],
            series=[
                (str(label), [row.cells[i].value for row in rows])
                for i, (_key, label) in enumerate(_OBJECTION_COLUMNS)
            ],
            unit=_("bezwaren"),
        )
        if rows
        else None,
        total_column=6,
    )


# --- 16: provisions running on the reference date per provider and form (#21 part 4) ---------


def _running_on(ctx):
    """The municipality's provisions running on the report's reference date
    (peildatum: the last day of the period), annotated with `paused` (the kind
    of the last suspension or resumption dated up to that day). Running on D:
    started on or before D, not ended before D (its end date, or the date a
    withdrawal ended it early), and not revised before D (a revised provision
    stops on the day the revising grant starts: its `revised` event)."""
    day = ctx.end
    events = ProvisionEvent.objects.filter(municipality=ctx.municipality, provision=OuterRef("pk"))
    revised_on = events.filter(kind=ProvisionEvent.Kind.REVISED).order_by("date", "pk")
    pause = events.filter(
        kind__in=[ProvisionEvent.Kind.SUSPENDED, ProvisionEvent.Kind.RESUMED], date__lte=day
    ).order_by("-date", "-at", "-pk")
    return (
        Provision.objects.filter(municipality=ctx.municipality, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .annotate(
            revised_on=Subquery(revised_on.values("date")[:1]),
            paused=Subquery(pause.values("kind")[:1]),
        )
        .filter(Q(revised_on__isnull=True) | Q(revised_on__gt=day))
    )


def _running_provisions(ctx) -> Section:
    """Provisions running on the reference date, one row per provider (zorg in
    natura), one for the personal budgets and one for provisions granted before
    the form of delivery was recorded; a column per law, the total, and how many
    of them were suspended that day. One grouped query."""
    found = list(
        _running_on(ctx)
        .values(
            "delivery_form",
            "provider_id",
            "provider__name",
            "provider__agb_code",
            "provider__is_active",
            "provision_type__law",
        )
        .annotate(
            n=Count("id"),
            suspended=Count("id", filter=Q(paused=ProvisionEvent.Kind.SUSPENDED)),
        )
        .order_by()
    )
    laws = list(Law.values)
    providers, pgb, unknown = {}, {}, {}
    for row in found:
        if row["delivery_form"] == DeliveryForm.ZIN and row["provider_id"]:
            target = providers.setdefault(row["provider_id"], {"provider": row})
        elif row["delivery_form"] == DeliveryForm.PGB:
            target = pgb
        else:
            target = unknown
        law = row["provision_type__law"]
        target[law] = target.get(law, 0) + row["n"]
        target["suspended"] = target.get("suspended", 0) + row["suspended"]

    def cells(figures: dict) -> list[Cell]:
        per_law = [_count(figures.get(law, 0)) for law in laws]
        total = _count(sum(c.value for c in per_law))
        return [*per_law, total, _count(figures.get("suspended", 0))]

    rows = []
    for figures in sorted(
        providers.values(),
        key=lambda f: (f["provider"]["provider__name"].lower(), f["provider"]["provider_id"]),
    ):
        rows.append(Row(_provider_label(figures["provider"]), cells(figures)))
    rows.append(Row(_("Persoonsgebonden budget (pgb)"), cells(pgb)))
    rows.append(Row(_("Leveringsvorm onbekend"), cells(unknown)))
    total_column = len(laws) + 1
    columns = [
        _("Aanbieder of leveringsvorm"),
        *[str(Law(law).label) for law in laws],
        _("Totaal"),
        _("Waarvan opgeschort"),
    ]
    day = date_format(ctx.end, "DATE_FORMAT")
    title = _("Lopende voorzieningen per aanbieder en leveringsvorm op %(date)s") % {"date": day}
    return Section(
        key="running_provisions",
        number=16,
        title=title,
        intro=_(
            "Toegekende maatwerkvoorzieningen die op %(date)s (de laatste dag van de periode) "
            "liepen, per zorgaanbieder (zorg in natura) en als persoonsgebonden budget, per wet."
        )
        % {"date": day},
        columns=columns,
        rows=rows + [_total_row(rows, len(columns) - 1)],
        notes=[
            _(
                "Een voorziening loopt op de peildatum als ze dan is ingegaan en niet eerder "
                "is geëindigd: niet op haar einddatum, niet door een intrekking en niet doordat "
                "een nieuw besluit haar heeft herzien (die telt vanaf de ingangsdatum van het "
                "nieuwe besluit). Een opgeschorte voorziening loopt wel; 'waarvan opgeschort' "
                "telt de voorzieningen die op de peildatum waren opgeschort."
            ),
            _(
                "De telling gaat uit van de besluiten zoals ze nu zijn vastgelegd: een besluit "
                "dat na de periode is genomen met een ingangs- of einddatum daarvoor, telt mee "
                "zoals het is besloten. 'Leveringsvorm onbekend': voorzieningen die zijn "
                "toegekend voordat de leveringsvorm werd vastgelegd."
            ),
        ],
        chart=Chart(
            kind="stacked_bar",
            title=title,
            categories=[row.label for row in rows],
            series=[
                (columns[i + 1], [row.cells[i].value for row in rows]) for i in range(len(laws))
            ],
            unit=_("voorzieningen"),
        )
        if any(row.cells[len(laws)].value for row in rows)
        else None,
        total_column=total_column,
    )


def _provider_label(row: dict) -> str:
    name = row["provider__name"]
    if row["provider__agb_code"]:
        name = _("%(name)s (AGB %(agb)s)") % {"name": name, "agb": row["provider__agb_code"]}
    if not row["provider__is_active"]:
        name = _("%(name)s (niet meer actief)") % {"name": name}
    return name
