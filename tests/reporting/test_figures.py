"""The figures of a monitoring report against a small hand-made municipality
with known answers: each section, the edges of the period in Dutch time,
another municipality never counted, an empty period, small counts hidden, and
a number of queries that does not grow with the data."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from apps.cases.models import Activity
from apps.intake.models import Channel
from apps.reporting.figures import build_report_data
from apps.reporting.tables import Kind
from apps.teams.models import Membership, Organisation, Team
from tests.factories import (
    ActivityFactory,
    AssessmentFactory,
    AssessmentScoreFactory,
    CaseFactory,
    DecisionFactory,
    LifeDomainFactory,
    MembershipFactory,
    OrganisationFactory,
    ProposalFactory,
    ProvisionTypeFactory,
    QuestionFactory,
    QuestionForwardFactory,
    SolutionFactory,
    SupportPlanFactory,
    TeamFactory,
)

AMS = ZoneInfo("Europe/Amsterdam")
START, END = date(2015, 1, 1), date(2015, 2, 28)
GENERATED = datetime(2015, 3, 10, 9, 0, tzinfo=AMS)

SECTION_KEYS = [
    "questions_per_team_month",
    "questions_loket_month",
    "life_domains",
    "youth",
    "channels",
    "flow",
    "joint_visits",
    "composition",
    "lead_times",
    "deadlines",
    "decisions_per_provision",
    "zrm_domains",
    "zrm_teams",
    "ladder",
    "objections",
    "running_provisions",
]


def at(*args):
    """A moment in Dutch time."""
    return datetime(*args, tzinfo=AMS)


def build(municipality, start=START, end=END, **kwargs):
    kwargs.setdefault("generated_at", GENERATED)
    return build_report_data(municipality, start, end, **kwargs)


def section(data, key):
    return next(s for s in data.sections if s.key == key)


def values(sec):
    """{row label: [cell values]} (percentages and days rounded to 0.1)."""
    return {
        row.label: [round(c.value, 1) if isinstance(c.value, float) else c.value for c in row.cells]
        for row in sec.rows
    }


class World:
    """One municipality: a loket, two kernteams (and one disbanded without
    figures), questions at and just outside the edges of January–February
    2015, forwards, joint home visits, staff, proposals and decisions."""

    def __init__(self, municipality):
        m = self.municipality = municipality
        with scope(municipality=m):
            self.loket = TeamFactory(municipality=m, name="Loket Samenleven", kind=Team.Kind.LOKET)
            self.elst = TeamFactory(municipality=m, name="Kernteam Elst")
            self.driel = TeamFactory(municipality=m, name="Kernteam Driel")
            TeamFactory(municipality=m, name="Kernteam Oud", is_active=False)
            self.money = LifeDomainFactory(municipality=m, name="Financiën", position=1)
            self.housing = LifeDomainFactory(municipality=m, name="Huisvesting", position=2)

            def question(team, received_at, channel=Channel.TELEPHONE, domains=(), **kw):
                q = QuestionFactory(
                    municipality=m, team=team, received_at=received_at, channel=channel, **kw
                )
                q.life_domains.set(domains)
                return q

            money, housing = self.money, self.housing
            self.q1 = question(
                self.elst, at(2015, 1, 5, 10), is_youth=True, domains=[money, housing]
            )
            # The last evening of January, Dutch time (22:30 UTC): January.
            self.q2 = question(self.elst, at(2015, 1, 31, 23, 30), Channel.EMAIL, [money])
            self.q3 = question(
                self.elst, at(2015, 2, 10, 9), Channel.WALK_IN, is_youth=True, gate=self.loket
            )
            # Just after the period, Dutch time (still 28 February in UTC): not counted.
            self.q4 = question(self.elst, at(2015, 3, 1, 0, 30), domains=[money])
            self.q6 = question(self.driel, at(2015, 2, 2, 11), domains=[housing])
            self.q7 = question(self.loket, at(2015, 1, 15, 9), domains=[money])
            self.q8 = question(self.loket, at(2015, 2, 20, 9), Channel.KCC, is_youth=True)
            # Just before the period: not counted; sent from Elst to the loket in January.
            self.q5 = question(self.loket, at(2014, 12, 31, 23, 30))

            forward = {"municipality": m, "reason": "Hoort daar."}
            QuestionForwardFactory(
                question=self.q6,
                from_team=self.loket,
                to_team=self.driel,
                at=at(2015, 2, 3, 9),
                **forward,
            )
            QuestionForwardFactory(
                question=self.q5,
                from_team=self.elst,
                to_team=self.loket,
                at=at(2015, 1, 20, 9),
                **forward,
            )
            # After the period: not counted.
            QuestionForwardFactory(
                question=self.q4,
                from_team=self.loket,
                to_team=self.elst,
                at=at(2015, 3, 2, 9),
                **forward,
            )

            # Staff: a loket consultant of the municipality, members from STUW and MEE.
            own = OrganisationFactory(
                municipality=m, name="Gemeente", kind=Organisation.Kind.MUNICIPALITY
            )
            stuw = OrganisationFactory(municipality=m, name="STUW")
            mee = OrganisationFactory(municipality=m, name="MEE")
            self.mandate = MembershipFactory(
                municipality=m,
                team=self.loket,
                organisation=own,
                function=Membership.Function.CONSULTANT,
                mandated_laws=["wmo", "jeugdwet"],
            )
            for org in (stuw, stuw, mee):
                MembershipFactory(municipality=m, team=self.elst, organisation=org)
            MembershipFactory(
                municipality=m, team=self.elst, function=Membership.Function.VOLUNTEER
            )
            MembershipFactory(municipality=m, team=self.driel, organisation=mee)
            MembershipFactory(municipality=m, team=self.driel, organisation=stuw, is_active=False)

            # Cases, joint home visits.
            self.case_e = CaseFactory(municipality=m, team=self.elst)
            self.case_e2 = CaseFactory(municipality=m, team=self.elst)
            self.case_d = CaseFactory(municipality=m, team=self.driel)
            self.case_l = CaseFactory(municipality=m, team=self.loket)
            for q, case in (
                (self.q1, self.case_e),
                (self.q2, self.case_e2),
                (self.q7, self.case_l),
            ):
                q.case = case
                q.save()

            def visit(case, day, laws, joint=True, kind=Activity.Kind.HOME_VISIT):
                ActivityFactory(
                    municipality=m, case=case, kind=kind, date=day, is_joint=joint, joint_laws=laws
                )

            visit(self.case_e, date(2015, 1, 10), ["wmo"])
            visit(self.case_e2, date(2015, 2, 5), ["wmo", "jeugdwet"])
            visit(self.case_d, date(2015, 2, 6), ["jeugdwet"])
            visit(self.case_d, date(2015, 2, 7), [], joint=False)
            visit(self.case_d, date(2015, 3, 3), ["wmo"])  # after the period

            # Proposals and decisions.
            self.care = ProvisionTypeFactory(
                municipality=m, name="Hulp bij het huishouden", law="wmo"
            )
            self.youth_care = ProvisionTypeFactory(
                municipality=m, name="Jeugdhulp ambulant", law="jeugdwet"
            )
            self.decide(
                self.case_e,
                self.care,
                "granted",
                True,
                date(2015, 1, 12),
                date(2015, 1, 26),
                at(2015, 1, 20, 0, 30),
            )
            self.decide(
                self.case_e2,
                self.care,
                "refused",
                True,
                date(2015, 2, 2),
                date(2015, 2, 9),
                at(2015, 2, 12, 10),
            )
            self.decide(
                self.case_l,
                self.youth_care,
                "granted_changed",
                False,
                date(2015, 1, 16),
                date(2015, 3, 13),
                at(2015, 1, 19, 10),
            )
            self.decide(
                self.case_e2,
                self.care,
                "returned",
                True,
                date(2015, 2, 3),
                date(2015, 2, 17),
                at(2015, 2, 14, 10),
            )
            self.decide(
                self.case_d,
                self.care,
                "granted",
                True,
                date(2015, 2, 20),
                date(2015, 3, 6),
                at(2015, 3, 2, 10),
            )
            # Waiting while the deadline passed (in the period), and one due later.
            for deadline in (date(2015, 2, 20), date(2015, 3, 5)):
                ProposalFactory(
                    municipality=m,
                    case=self.case_d,
                    provision_type=self.care,
                    status="submitted",
                    application_date=deadline - timedelta(weeks=2),
                    decision_deadline=deadline,
                )

    def decide(self, case, provision_type, outcome, voorwerk, applied, deadline, decided_at):
        proposal = ProposalFactory(
            municipality=self.municipality,
            case=case,
            provision_type=provision_type,
            is_voorwerk=voorwerk,
            status="returned" if outcome == "returned" else "decided",
            application_date=applied,
            decision_deadline=deadline,
        )
        return DecisionFactory(
            municipality=self.municipality,
            proposal=proposal,
            outcome=outcome,
            law=provision_type.law,
            via_voorwerk=voorwerk,
            application_date=applied,
            deadline=deadline,
            decided_at=decided_at,
            consultant=self.mandate.staff_member,
            mandate=self.mandate,
        )


@pytest.fixture
def world(municipality, other_municipality):
    # Another municipality with figures of its own in the same months.
    World(other_municipality)
    return World(municipality)


def test_every_section_is_there_in_order(world):
    data = build(world.municipality)
    assert [s.key for s in data.sections] == SECTION_KEYS
    assert [s.number for s in data.sections] == list(range(1, 17))
    assert data.municipality == world.municipality.name
    assert (data.period_start, data.period_end) == (START, END)
    assert data.generated_at == GENERATED and data.small_count_threshold == 0


def test_questions_per_team_and_month(world):
    sec = section(build(world.municipality), "questions_per_team_month")
    assert sec.columns == ["Team", "jan 2015", "feb 2015", "Totaal"]
    # Kernteam Oud is disbanded and has no questions: left out. The loket has its own table.
    assert values(sec) == {
        "Kernteam Driel": [0, 1, 1],
        "Kernteam Elst": [2, 1, 3],
        "Totaal": [2, 2, 4],
    }
    assert sec.total_column == 3 and sec.rows[-1].is_total
    assert sec.chart.categories == ["jan 2015", "feb 2015"]
    assert sec.chart.series == [("Kernteam Driel", [0, 1]), ("Kernteam Elst", [2, 1])]
    assert all(c.kind == Kind.COUNT and c.n == c.value for row in sec.rows for c in row.cells)


def test_an_expertise_team_shows_only_with_questions(world):
    """An expertise team is consulted, not asked: no row of zeros for it, but a
    question it does hold is counted."""
    with scope(municipality=world.municipality):
        expert = TeamFactory(
            municipality=world.municipality, kind=Team.Kind.EXPERTISE, name="Expertiseteam"
        )
    assert "Expertiseteam" not in values(
        section(build(world.municipality), "questions_per_team_month")
    )
    with scope(municipality=world.municipality):
        QuestionFactory(municipality=world.municipality, team=expert, received_at=at(2015, 2, 2, 9))
    sec = section(build(world.municipality), "questions_per_team_month")
    assert values(sec)["Expertiseteam"] == [0, 1, 1]


def test_questions_at_the_loket_per_month(world):
    sec = section(build(world.municipality), "questions_loket_month")
    assert values(sec) == {"Loket Samenleven": [1, 1, 2]}
    assert sec.chart.kind == "bar"


def test_the_edges_of_the_period_are_dutch_midnight(world):
    january = build(world.municipality, date(2015, 1, 1), date(2015, 1, 31))
    assert values(section(january, "questions_per_team_month"))["Kernteam Elst"] == [2, 2]
    march = build(world.municipality, date(2015, 3, 1), date(2015, 3, 31))
    assert values(section(march, "questions_per_team_month"))["Kernteam Elst"] == [1, 1]
    # Received on the last evening of 2014 at Elst (it went to the loket in January).
    december = build(world.municipality, date(2014, 12, 1), date(2014, 12, 31))
    assert values(section(december, "questions_per_team_month"))["Kernteam Elst"] == [1, 1]
    assert values(section(december, "questions_loket_month"))["Loket Samenleven"] == [0, 0]


def test_a_later_forward_does_not_change_a_past_report(world):
    """A question counts at the team it was at when the period ended: the
    report of January–February says the same after a forward in March."""
    before = build(world.municipality)
    with scope(municipality=world.municipality):
        QuestionForwardFactory(
            municipality=world.municipality,
            question=world.q7,
            from_team=world.loket,
            to_team=world.elst,
            at=at(2015, 3, 5, 9),
            reason="Hoort daar.",
        )
        world.q7.team = world.elst
        world.q7.save()
    after = build(world.municipality)
    for key in (
        "questions_per_team_month",
        "questions_loket_month",
        "life_domains",
        "youth",
        "flow",
    ):
        assert values(section(after, key)) == values(section(before, key)), key
    march_on = build(world.municipality, date(2015, 1, 1), date(2015, 3, 31))
    assert values(section(march_on, "questions_loket_month"))["Loket Samenleven"] == [0, 1, 0, 1]


def test_life_domains_per_team(world):
    sec = section(build(world.municipality), "life_domains")
    assert sec.columns == [
        "Leefgebied",
        "Kernteam Driel",
        "Kernteam Elst",
        "Loket Samenleven",
        "Totaal",
    ]
    assert values(sec) == {
        "Financiën": [0, 2, 1, 3],
        "Huisvesting": [1, 1, 0, 2],
        "Geen leefgebied vastgelegd": [0, 1, 1, 2],
        "Totaal": [1, 4, 2, 7],
    }
    assert any("meer leefgebieden" in note for note in sec.notes)
    assert sec.chart.kind == "stacked_bar"
    assert sec.chart.categories == ["Financiën", "Huisvesting"]


def test_youth_share_per_team(world):
    sec = section(build(world.municipality), "youth")
    assert values(sec) == {
        "Kernteam Driel": [0, 1, 0.0],
        "Kernteam Elst": [2, 3, 66.7],
        "Loket Samenleven": [1, 2, 50.0],
        "Totaal": [3, 6, 50.0],
    }
    percent = sec.rows[1].cells[2]
    assert percent.kind == Kind.PERCENT and percent.n == 3


def test_channels(world):
    sec = section(build(world.municipality), "channels")
    assert [row.label for row in sec.body_rows] == [str(label) for label in Channel.labels]
    found = values(sec)
    assert found["telefoon"] == [3, 50.0]
    assert found["e-mail"] == [1, 16.7]
    assert found["inloopspreekuur"] == [1, 16.7]
    assert found["KCC"] == [1, 16.7]
    assert found["melding Veilig Thuis"] == [0, 0.0]
    assert found["Totaal"] == [6, 100.0]
    assert sec.chart.kind == "hbar" and sec.chart.series[0][1][0] == 3


def test_flow_between_loket_and_teams(world):
    sec = section(build(world.municipality), "flow")
    assert values(sec) == {
        # Forwarded by the loket to Driel in February.
        "Kernteam Driel": [1, 0, 1, 1, 100.0],
        # Sent to the loket in January (a December question); q3 came in at the loket.
        "Kernteam Elst": [0, 1, 3, 1, 33.3],
        "Totaal": [1, 1, 4, 2, 50.0],
    }


def test_joint_home_visits_per_consultant_type(world):
    sec = section(build(world.municipality), "joint_visits")
    assert sec.columns == ["Soort consulent", "Kernteam Driel", "Kernteam Elst", "Totaal"]
    assert values(sec) == {
        "Met een Wmo-consulent": [0, 1, 1],
        "Met een jeugdconsulent": [1, 0, 1],
        "Met een consulent Wmo en jeugd": [0, 1, 1],
        "Met een andere consulent": [0, 0, 0],
        "Totaal": [1, 2, 3],
    }


def test_team_composition_is_never_hidden(world):
    data = build(world.municipality, threshold=5)
    sec = section(data, "composition")
    assert sec.columns == ["Team", "Gemeente", "MEE", "STUW", "Totaal medewerkers", "Vrijwilligers"]
    assert values(sec) == {
        "Kernteam Driel": [0, 1, 0, 1, 0],
        "Kernteam Elst": [0, 1, 2, 3, 1],
        "Loket Samenleven": [1, 0, 0, 1, 0],
        "Totaal": [1, 2, 2, 5, 1],
    }
    assert "10-03-2015" in sec.intro
    assert not any(c.suppressed or c.private for row in sec.rows for c in row.cells)


def test_lead_times_with_and_without_voorwerk(world):
    sec = section(build(world.municipality), "lead_times")
    # Voorwerk: question → decision 15 and 12 days (decided 00:30 on 20 January,
    # Dutch time, is the 20th), application → decision 8 and 10.
    assert values(sec) == {
        "Met voorwerk (voorstel van een team)": [2, 13.5, 14.4, 2, 9.0, 9.6],
        "Zonder voorwerk (eigen route van het loket)": [1, 4.0, 4.0, 1, 3.0, 3.0],
        "Totaal": [3, 12.0, 13.8, 3, 8.0, 9.2],
    }
    median = sec.rows[0].cells[1]
    assert median.kind == Kind.DAYS and median.n == 2
    assert sec.chart.categories == [row.label for row in sec.body_rows]


def test_statutory_deadlines_per_law(world):
    sec = section(build(world.municipality), "deadlines")
    assert sec.columns[1:4] == ["Op tijd", "Te laat", "Totaal"]
    assert values(sec) == {
        "Wmo 2015": [1, 1, 2, 50.0, 1],
        "Jeugdwet": [1, 0, 1, 100.0, 0],
        "Participatiewet": [0, 0, 0, None, 0],
        "Totaal": [2, 1, 3, 66.7, 1],
    }
    assert sec.total_column == 3


def test_decisions_per_provision(world):
    sec = section(build(world.municipality), "decisions_per_provision")
    assert sec.columns == ["Voorziening", "Toegekend", "Afgewezen", "Teruggestuurd", "Totaal"]
    assert values(sec) == {
        "Hulp bij het huishouden": [1, 1, 1, 3],
        "Jeugdhulp ambulant": [1, 0, 0, 1],
        "Totaal": [2, 1, 1, 4],
    }


def test_another_municipality_is_never_counted(world, other_municipality):
    mine = build(world.municipality)
    theirs = build(other_municipality)
    # Both have the same world: each report counts its own once.
    for key in SECTION_KEYS:
        assert values(section(mine, key)) == values(section(theirs, key)), key
    # More of theirs, in the same months, at a team of the same name: mine stays.
    with scope(municipality=other_municipality):
        team = Team.objects.get(municipality=other_municipality, name="Kernteam Elst")
        for day in range(5):
            QuestionFactory(
                municipality=other_municipality, team=team, received_at=at(2015, 1, 10 + day, 9)
            )
    for key in SECTION_KEYS:
        assert values(section(build(world.municipality), key)) == values(section(mine, key)), key
    assert values(section(build(other_municipality), "questions_per_team_month"))[
        "Kernteam Elst"
    ] == [7, 1, 8]


def test_an_empty_period_gives_zeros(world):
    data = build(world.municipality, date(2016, 1, 1), date(2016, 1, 31))
    assert values(section(data, "questions_per_team_month"))["Totaal"] == [0, 0]
    assert values(section(data, "channels"))["Totaal"] == [0, None]
    assert values(section(data, "lead_times"))["Totaal"] == [0, None, None, 0, None, None]
    assert values(section(data, "decisions_per_provision")) == {"Totaal": [0, 0, 0, 0]}
    assert values(section(data, "deadlines"))["Totaal"] == [0, 0, 0, None, 0]


def test_a_municipality_without_anything(municipality):
    data = build(municipality)
    assert [s.key for s in data.sections] == SECTION_KEYS
    assert values(section(data, "questions_per_team_month")) == {"Totaal": [0, 0, 0]}
    assert values(section(data, "youth")) == {"Totaal": [0, 0, None]}
    assert values(section(data, "composition")) == {"Totaal": [0, 0]}


def test_small_counts_are_hidden_with_a_threshold(world):
    data = build(world.municipality, threshold=3)
    assert data.small_count_threshold == 3
    months = section(data, "questions_per_team_month")
    driel = months.rows[0]
    assert driel.cells[1].suppressed  # one question in February
    # A percentage of a hidden count, or of fewer than three questions, is hidden too.
    channels = section(data, "channels")
    email = next(row for row in channels.rows if row.label == "e-mail")
    assert email.cells[0].suppressed and email.cells[1].suppressed
    youth = section(data, "youth")
    assert youth.rows[0].cells[2].suppressed  # Driel: 1 question
    assert not youth.rows[-1].cells[2].suppressed  # in all: 6
    lead = section(data, "lead_times")
    assert lead.rows[1].cells[1].suppressed  # one decision without voorwerk
    assert not lead.rows[2].cells[1].suppressed  # three in all
    # Without a threshold nothing is hidden.
    plain = build(world.municipality)
    assert not any(c.suppressed for s in plain.sections for r in s.rows for c in r.cells)


def test_the_number_of_queries_does_not_grow_with_the_data(world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            build(world.municipality, threshold=3)
        return len(queries)

    small = count()
    m = world.municipality
    with scope(municipality=m):
        extra_team = TeamFactory(municipality=m, name="Kernteam Heteren")
        domain = LifeDomainFactory(municipality=m, name="Justitie", position=3)
        for day in range(1, 28):
            q = QuestionFactory(
                municipality=m,
                team=extra_team if day % 2 else world.elst,
                received_at=at(2015, 2, day, 12),
                channel=Channel.WALK_IN,
                is_youth=day % 3 == 0,
            )
            q.life_domains.set([domain, world.money])
            QuestionForwardFactory(
                municipality=m,
                question=q,
                from_team=world.loket,
                to_team=q.team,
                at=at(2015, 2, day, 13),
            )
            case = CaseFactory(municipality=m, team=extra_team)
            ActivityFactory(
                municipality=m,
                case=case,
                kind=Activity.Kind.HOME_VISIT,
                date=date(2015, 2, day),
                is_joint=True,
                joint_laws=["wmo"],
            )
            world.decide(
                case,
                world.care,
                "granted",
                bool(day % 2),
                date(2015, 2, 1),
                date(2015, 2, 15),
                at(2015, 2, day, 15),
            )
            MembershipFactory(municipality=m, team=extra_team)
            assess(case, date(2015, 1, day), {domain: 2, world.money: 3})
            assess(case, date(2015, 2, day), {domain: 3, world.money: 3})
            case.closed_on = date(2015, 2, day)
            case.save()
            plan = SupportPlanFactory(municipality=m, case=case, status="agreed")
            SolutionFactory(
                municipality=m, goal__plan=plan, goal__life_domain=domain, level=day % 4 + 1
            )
    assert count() == small
    assert small == 18  # one per grouped figure (see the module docstring of figures.py)


def test_the_sqlite_percentile_matches_postgresql():
    """`make run` uses SQLite: its registered aggregate interpolates as
    PostgreSQL's percentile_cont does (the whole file also passes with
    DATABASE_URL=sqlite:///…)."""
    import sqlite3

    from apps.reporting.sql import SQLITE_PERCENTILE, _SqlitePercentile

    db = sqlite3.connect(":memory:")
    db.create_aggregate(SQLITE_PERCENTILE, 2, _SqlitePercentile)
    db.execute("CREATE TABLE t (x INTEGER)")
    db.executemany("INSERT INTO t VALUES (?)", [(15,), (4,), (None,), (12,)])
    assert SQLITE_PERCENTILE == "portal_percentile"
    median, p80 = db.execute(
        "SELECT portal_percentile(x, 0.5), portal_percentile(x, 0.8) FROM t"
    ).fetchone()
    assert (median, round(p80, 1)) == (12.0, 13.8)
    empty = db.execute("SELECT portal_percentile(x, 0.5) FROM t WHERE x > 99").fetchone()
    assert empty == (None,)


def test_a_percentile_outside_zero_to_one_is_refused():
    from apps.reporting.sql import Percentile

    with pytest.raises(ValueError):
        Percentile("x", 1.5)


def test_a_hidden_count_cannot_be_worked_out_from_another_table(municipality):
    """Kernteam A's 3 questions are hidden in table 1; they must not be
    recoverable from the youth or flow table (where the same team totals
    stand, next to the loket's), nor the loket's total from a percentage."""
    with scope(municipality=municipality):
        loket = TeamFactory(municipality=municipality, kind=Team.Kind.LOKET, name="Loket")
        for name, n in (("Kernteam A", 3), ("Kernteam B", 10), ("Kernteam C", 20)):
            team = TeamFactory(municipality=municipality, kind=Team.Kind.KERNTEAM, name=name)
            for day in range(n):
                QuestionFactory(
                    municipality=municipality, team=team, received_at=at(2015, 1, 1 + day, 10)
                )
        for day in range(8):
            QuestionFactory(
                municipality=municipality,
                team=loket,
                is_youth=day < 6,
                received_at=at(2015, 2, 2 + day, 10),
            )
    data = build(municipality, threshold=5)

    def hidden(key, label, column):
        sec = section(data, key)
        row = next(r for r in sec.rows if r.label == label)
        return row.cells[sec.columns.index(column) - 1].suppressed

    assert hidden("questions_per_team_month", "Kernteam A", "Totaal")
    for key, column in (("youth", "Alle vragen"), ("flow", "Vragen bij het team")):
        assert hidden(key, "Kernteam A", column), key
    # Wherever a team's total stands, it is hidden everywhere or nowhere.
    for team in ("Kernteam A", "Kernteam B", "Kernteam C"):
        assert (
            hidden("questions_per_team_month", team, "Totaal")
            == hidden("youth", team, "Alle vragen")
            == hidden("flow", team, "Vragen bij het team")
        ), team
    assert hidden("questions_loket_month", "Loket", "Totaal") == hidden(
        "youth", "Loket", "Alle vragen"
    )
    # No line that adds up to a total has exactly one hidden cell.
    for sec in data.sections:
        from apps.reporting.tables import _lines

        for line in _lines(sec):
            assert sum(cell.suppressed for cell in line) != 1, sec.key
    # The loket's total hidden (to protect A) hides its youth share too.
    if hidden("youth", "Loket", "Alle vragen"):
        assert hidden("youth", "Loket", "Aandeel jeugd")


def test_a_lead_time_starts_at_the_question_that_led_to_the_application(world):
    """A re-assessment in a case opened years ago runs from its own question,
    not the case's first; a question after the application does not count."""
    m = world.municipality
    with scope(municipality=m):
        case = CaseFactory(municipality=m, team=world.elst)
        for received in (at(2013, 3, 4, 9), at(2015, 6, 1, 9), at(2015, 6, 10, 9)):
            QuestionFactory(municipality=m, team=world.elst, case=case, received_at=received)
        world.decide(
            case,
            world.care,
            "granted",
            True,
            date(2015, 6, 3),
            date(2015, 7, 15),
            at(2015, 6, 21, 9),
        )
    sec = section(build(m, date(2015, 6, 1), date(2015, 6, 30)), "lead_times")
    # 1 June → 21 June; application 3 June → 21 June.
    assert values(sec)["Met voorwerk (voorstel van een team)"] == [1, 20.0, 20.0, 1, 18.0, 18.0]


# --- outcomes: ZRM change and the ladder of the support plan ---------------------------------


def assess(case, day, scores):
    assessment = AssessmentFactory(municipality=case.municipality, case=case, assessed_on=day)
    for domain, score in scores.items():
        AssessmentScoreFactory(
            municipality=case.municipality, assessment=assessment, life_domain=domain, score=score
        )
    return assessment


def outcomes(world):
    """ZRM assessments and closed cases with known answers (January–February 2015)."""
    m, money, housing = world.municipality, world.money, world.housing
    with scope(municipality=m):
        a = CaseFactory(municipality=m, team=world.elst)
        assess(a, date(2014, 11, 1), {money: 2, housing: 3})
        assess(a, date(2015, 1, 20), {money: 4, housing: 3})
        assess(a, date(2015, 2, 10), {money: 3})  # money: 2 → 3, housing 3 → 3
        b = CaseFactory(municipality=m, team=world.elst)
        assess(b, date(2015, 1, 5), {money: 4})
        assess(b, date(2015, 2, 1), {money: 2})  # money: 4 → 2
        c = CaseFactory(municipality=m, team=world.elst)
        assess(c, date(2015, 1, 7), {money: 1})  # one assessment: no change to tell
        d = CaseFactory(municipality=m, team=world.driel)
        assess(d, date(2014, 6, 1), {money: 1})
        assess(d, date(2015, 1, 10), {money: 3})  # money: 1 → 3 …
        assess(d, date(2015, 3, 5), {money: 5})  # … not 5: after the period
        e = CaseFactory(municipality=m, team=world.driel)
        assess(e, date(2014, 12, 1), {housing: 2})
        assess(e, date(2014, 12, 20), {housing: 4})  # latest before the period: not counted

        def closed(team, day, levels=(), status="agreed"):
            case = CaseFactory(municipality=m, team=team, closed_on=day, status="closed")
            if levels:
                plan = SupportPlanFactory(municipality=m, case=case, status=status)
                for level in levels:
                    SolutionFactory(
                        municipality=m, goal__plan=plan, goal__life_domain=money, level=level
                    )
            return case

        closed(world.elst, date(2015, 1, 15), [2, 4])  # network and a general provision
        granted = closed(world.elst, date(2015, 2, 1), [1])
        world.decide(
            granted,
            world.care,
            "granted",
            True,
            date(2015, 1, 5),
            date(2015, 1, 19),
            at(2015, 1, 12, 10),
        )
        closed(world.elst, date(2015, 2, 20))  # no plan
        closed(world.driel, date(2015, 2, 2), [3], status="draft")  # a draft does not count
        closed(world.driel, date(2015, 3, 1), [1])  # after the period


@pytest.fixture
def outcome_world(municipality, other_municipality):
    # The same in another municipality: never counted here.
    outcomes(World(other_municipality))
    world = World(municipality)
    outcomes(world)
    return world


ZRM = [
    "Vooruit",
    "Gelijk",
    "Achteruit",
    "Casussen",
    "Aandeel vooruit",
    "Aandeel achteruit",
    "Mediaan verandering (punten)",
]


def test_zrm_change_per_life_domain(outcome_world):
    sec = section(build(outcome_world.municipality), "zrm_domains")
    assert sec.columns[1:] == ZRM
    assert values(sec) == {
        "Financiën": [2, 0, 1, 3, 66.7, 33.3, 1.0],
        "Huisvesting": [0, 1, 0, 1, 0.0, 0.0, 0.0],
    }
    assert sec.chart is not None


def test_zrm_change_per_team_and_life_domain(outcome_world):
    sec = section(build(outcome_world.municipality), "zrm_teams")
    assert values(sec) == {
        "Kernteam Elst: Financiën": [1, 0, 1, 2, 50.0, 50.0, -0.5],
        "Kernteam Elst: Huisvesting": [0, 1, 0, 1, 0.0, 0.0, 0.0],
        "Kernteam Driel: Financiën": [1, 0, 0, 1, 100.0, 0.0, 2.0],
    }


def test_cases_closed_without_an_individual_provision(outcome_world):
    sec = section(build(outcome_world.municipality), "ladder")
    assert values(sec) == {
        # own strength, network, volunteers, general, none, without, closed, share
        "Kernteam Driel": [0, 0, 0, 0, 1, 1, 1, 100.0],
        "Kernteam Elst": [0, 0, 0, 1, 1, 2, 3, 66.7],
        "Totaal": [0, 0, 0, 1, 2, 3, 4, 75.0],
    }


def test_outcomes_of_an_empty_period(outcome_world):
    data = build(outcome_world.municipality, date(2016, 1, 1), date(2016, 1, 31))
    zrm = section(data, "zrm_domains")
    assert values(zrm)["Financiën"] == [0, 0, 0, 0, None, None, None]
    assert zrm.chart is None
    assert section(data, "zrm_teams").rows == []
    assert values(section(data, "ladder"))["Totaal"] == [0, 0, 0, 0, 0, 0, 0, None]


def test_small_outcome_counts_are_hidden(outcome_world):
    data = build(outcome_world.municipality, threshold=3)
    zrm = {row.label: row for row in section(data, "zrm_teams").rows}
    driel = zrm["Kernteam Driel: Financiën"]
    # One case: every figure of the line but the zeros is hidden, median and shares too.
    assert [cell.suppressed for cell in driel.cells] == [True, False, False] + [True] * 4
    ladder = {row.label: row for row in section(data, "ladder").rows}
    assert ladder["Kernteam Driel"].cells[6].suppressed  # one case closed
    assert ladder["Kernteam Driel"].cells[7].suppressed  # so its share too
    # The total row would give Driel's one away: a second figure in that column goes.
    assert ladder["Kernteam Elst"].cells[6].secondary


# --- a year earlier -----------------------------------------------------------------------------


def test_a_comparison_sets_each_figure_beside_the_same_months_a_year_earlier(world):
    then = build(world.municipality)
    now = build(world.municipality, date(2016, 1, 1), date(2016, 2, 29), compare_previous_year=True)
    assert now.previous_period == "januari–februari 2015"
    months = section(now, "questions_per_team_month")
    assert months.columns[1:3] == ["jan 2016", "feb 2016"]
    old = section(then, "questions_per_team_month")
    for row, old_row in zip(months.rows, old.rows, strict=True):
        assert [c.previous.value for c in row.cells] == [c.value for c in old_row.cells]
    # A team column matched by name, a percentage by row and column.
    domains = section(now, "life_domains")
    assert domains.rows[0].cells[0].previous is not None
    # Team composition is a state of today, not of a period: not compared.
    assert all(c.previous is None for r in section(now, "composition").rows for c in r.cells)


def test_a_hidden_figure_a_year_earlier_hides_the_difference(world):
    from apps.reporting.tables import difference

    now = build(world.municipality, threshold=3, compare_previous_year=True)
    cells = [c for s in now.sections for r in s.rows for c in r.cells if c.previous is not None]
    assert cells
    for cell in cells:
        change = difference(cell)
        if cell.suppressed or cell.previous.suppressed:
            assert change is not None and change.suppressed
