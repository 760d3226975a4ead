"""Overbetuwe's January–May 2015 in the demo (apps/demo/history.py): the
figures of its own report, seed document 002."""

from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django_scopes import scope, scopes_disabled

from apps.cases.models import Activity, Case
from apps.decisions.models import Decision, Proposal, Provision
from apps.intake.models import Question, QuestionForward, Resident
from apps.intake.validators import is_valid_bsn
from apps.teams.models import Membership, Team
from apps.tenants.models import Municipality

# 002, onderwerp 1, first table: new questions per kernteam, January–May 2015.
TABLE_1 = {
    "Kernteam Elst": {1: 28, 2: 31, 3: 35, 4: 22, 5: 10},
    "Kernteam Driel": {1: 6, 2: 8, 3: 2, 4: 0, 5: 3},
    "Kernteam Heteren": {1: 3, 2: 6, 3: 5, 4: 9, 5: 3},
    "Kernteam Zetten-Hemmen": {1: 11, 2: 6, 3: 7, 4: 4, 5: 0},
    "Kernteam Oosterhout/Slijk-Ewijk": {1: 2, 2: 0, 3: 3, 4: 8, 5: 0},
    "Kernteam Herveld-Andelst": {1: 8, 2: 3, 3: 13, 4: 6, 5: 4},
}
# 002, "Leefgebied ZRM", per kernteam in the order above (two scanned rows
# restored from the totals: Elst 6 "Lichamelijk gezond", 6 "Werk en bezigheid").
LIFE_DOMAINS = {
    "Lichamelijk gezond": (6, 1, 0, 1, 2, 2),
    "Wonen": (9, 2, 1, 4, 1, 5),
    "Gezinsrelaties": (15, 6, 0, 4, 0, 4),
    "Justitie": (2, 0, 0, 0, 0, 0),
    "Werk en bezigheid": (6, 2, 3, 2, 1, 6),
    "Geld": (20, 1, 2, 1, 0, 5),
    "Meedoen en maatschappelijke participatie": (31, 2, 7, 9, 2, 7),
    "Verslaving": (0, 0, 0, 0, 0, 0),
    "Sociale relaties": (6, 0, 0, 0, 5, 2),
    "Geestelijk gezond": (17, 3, 3, 4, 1, 3),
    "Huishouden/verzorging": (25, 2, 8, 1, 6, 4),
}
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def seed():
    call_command("seed_demo", allow_without_debug=True)


@pytest.fixture
def overbetuwe(demo_full, db):
    """Overbetuwe in the demo, seeded once for tests/demo (tests/demo/conftest.py)."""
    municipality = Municipality.objects.get(cbs_code="GM1734")
    with scope(municipality=municipality):
        yield municipality


def kernteam_questions_2015():
    """What the report's table 1 counts: questions received January–May 2015,
    at the (non-loket) team where they are now."""
    return Question.objects.filter(received_at__year=2015).exclude(team__kind=Team.Kind.LOKET)


def check_table_1_is_reproduced_cell_for_cell():
    rows = (
        kernteam_questions_2015()
        .annotate(month=TruncMonth("received_at", tzinfo=AMSTERDAM))
        .values("team__name", "month")
        .annotate(n=Count("id"))
    )
    counted = {(r["team__name"], r["month"].year, r["month"].month): r["n"] for r in rows}
    expected = {
        (team, 2015, month): n for team, months in TABLE_1.items() for month, n in months.items()
    }
    # A cell of 0 has no questions, so no row.
    assert counted == {k: v for k, v in expected.items() if v}
    assert sum(counted.values()) == 246
    assert [sum(TABLE_1[t][m] for t in TABLE_1) for m in range(1, 6)] == [58, 54, 65, 49, 20]


def check_questions_come_in_on_working_days_in_office_hours():
    for received_at in Question.objects.filter(received_at__year=2015).values_list(
        "received_at", flat=True
    ):
        local = received_at.astimezone(AMSTERDAM)
        assert local.weekday() < 5
        assert 8 <= local.hour < 17


def check_life_domains_per_kernteam_as_in_002():
    through = Question.life_domains.through.objects.filter(question__in=kernteam_questions_2015())
    counted = Counter(through.values_list("lifedomain__name", "question__team__name"))
    teams = list(TABLE_1)
    for domain, per_team in LIFE_DOMAINS.items():
        for team, n in zip(teams, per_team, strict=True):
            assert counted[(domain, team)] == n, (domain, team)
    assert through.count() == 262


def check_youth_share_and_channels_are_close_to_002():
    questions = kernteam_questions_2015()
    youth = questions.filter(is_youth=True)
    assert youth.count() == 45  # 002: 45, "circa 17%"
    for question in youth.select_related("resident"):
        assert question.resident.age_on(question.received_at.astimezone(AMSTERDAM).date()) < 18
    channels = Counter(questions.values_list("channel", flat=True))
    assert round(100 * channels["telephone"] / 246) == 60
    assert round(100 * channels["walk_in"] / 246) == 20
    assert round(100 * channels["email"] / 246) == 15


def check_about_twelve_kernteam_questions_were_forwarded_by_the_loket():
    forwards = QuestionForward.objects.filter(question__received_at__year=2015)
    from_loket = forwards.filter(from_team__kind=Team.Kind.LOKET)
    assert from_loket.count() == 12  # 002: "5% ... plus minus 12 cases"
    assert all(f.to_team.kind == Team.Kind.KERNTEAM for f in from_loket)
    assert all(f.question.team_id == f.to_team_id and f.reason for f in from_loket)
    assert all(f.at >= f.question.received_at and f.at.year == 2015 for f in forwards)
    # Those count in table 1 at their kernteam; the ones passed to the loket do not.
    assert kernteam_questions_2015().filter(forwards__in=from_loket).count() == 12
    to_loket = forwards.filter(to_team__kind=Team.Kind.LOKET)
    assert to_loket.exists()
    assert not kernteam_questions_2015().filter(forwards__in=to_loket).exists()


def check_thirteen_joint_home_visits_with_wmo_and_youth_consultants():
    visits = Activity.objects.filter(is_joint=True, date__year=2015)
    assert visits.count() == 13  # 002: "we tellen er op dit moment 13"
    laws = {tuple(v.joint_laws) for v in visits}
    assert ("jeugdwet",) in laws and any("wmo" in x for x in laws)
    for visit in visits.prefetch_related("participants"):
        kinds = set(
            Membership.objects.filter(staff_member__in=visit.participants.all()).values_list(
                "team__kind", flat=True
            )
        )
        assert {Team.Kind.LOKET, Team.Kind.KERNTEAM} <= kinds


def check_fifteen_cases_with_voorwerk_and_fifteen_without_are_decided_by_the_loket():
    decisions = Decision.objects.filter(decided_at__year=2015).select_related(
        "mandate__team", "proposal"
    )
    assert Counter(d.via_voorwerk for d in decisions) == {True: 15, False: 15}
    outcomes = Counter(d.outcome for d in decisions)
    assert outcomes["refused"] >= 3 and outcomes["granted"] >= 20
    for decision in decisions:
        # Only a loket consultant, mandated for the law, decides; never a kernteam.
        assert decision.mandate.team.kind == Team.Kind.LOKET
        assert decision.mandate.staff_member_id == decision.consultant_id
        assert decision.law in decision.mandate.mandated_laws
        assert decision.proposal.status == Proposal.Status.DECIDED
        assert decision.proposal.is_voorwerk == decision.via_voorwerk
        assert decision.decided_at.date() >= decision.application_date
    voorwerk = Proposal.objects.filter(is_voorwerk=True, submitted_at__year=2015)
    assert all(p.case.team.kind == Team.Kind.KERNTEAM for p in voorwerk)
    granted = decisions.filter(outcome__in=Decision.GRANTS).count()
    assert Provision.objects.filter(decision__in=decisions).count() == granted
    # Some decisions of 2015 missed the statutory deadline: the report has both.
    assert {d.met_deadline for d in decisions} == {True, False}
    cases = Case.objects.filter(opened_on__year=2015)
    assert cases.count() == 30
    assert all(c.questions.exists() and c.status == Case.Status.CLOSED for c in cases)


def check_history_residents_are_fictional_with_valid_test_bsns():
    residents = Resident.objects.filter(questions__received_at__year=2015).distinct()
    assert residents.count() > 246
    assert all(is_valid_bsn(r.bsn) and r.bsn.startswith("9999") for r in residents)
    assert all(r.household_id for r in residents)


# The checks above share two tests (as when each test seeded the demo itself).


def test_questions_of_2015_reproduce_002(overbetuwe):
    check_table_1_is_reproduced_cell_for_cell()
    check_questions_come_in_on_working_days_in_office_hours()
    check_life_domains_per_kernteam_as_in_002()
    check_youth_share_and_channels_are_close_to_002()
    check_history_residents_are_fictional_with_valid_test_bsns()


def test_forwards_home_visits_and_decisions_of_2015_as_in_002(overbetuwe):
    check_about_twelve_kernteam_questions_were_forwarded_by_the_loket()
    check_thirteen_joint_home_visits_with_wmo_and_youth_consultants()
    check_fifteen_cases_with_voorwerk_and_fifteen_without_are_decided_by_the_loket()


def test_seeding_twice_does_not_duplicate_and_others_get_no_history(overbetuwe):
    models = [Question, QuestionForward, Resident, Case, Activity, Proposal, Decision, Provision]
    before = {m.__name__: m.objects.count() for m in models}
    seed()
    assert {m.__name__: m.objects.count() for m in models} == before
    with scopes_disabled():
        others = Question.objects.exclude(municipality=overbetuwe)
        assert not others.filter(received_at__year=2015).exists()
        # Their present-day work (apps/demo/work.py) is no history.
        assert (
            not Decision.objects.exclude(municipality=overbetuwe)
            .filter(decided_at__year=2015)
            .exists()
        )
        assert (
            not Case.objects.exclude(municipality=overbetuwe).filter(opened_on__year=2015).exists()
        )


def test_the_demo_report_of_january_to_may_2015_has_002s_first_table(overbetuwe):
    """The Done-when of the reports: the report the policy advisor downloads
    has the first table of 002, cell for cell, in its figures and its PDF."""
    import io
    from datetime import date

    from pypdf import PdfReader

    from apps.reporting.figures import build_report_data
    from apps.reporting.render import render_pdf
    from apps.reporting.tables import display

    data = build_report_data(overbetuwe, date(2015, 1, 1), date(2015, 5, 31))
    table = data.sections[0]
    assert table.key == "questions_per_team_month"
    assert table.columns[1:] == [
        "jan 2015",
        "feb 2015",
        "mrt 2015",
        "apr 2015",
        "mei 2015",
        "Totaal",
    ]
    got = {row.label: [display(cell) for cell in row.cells] for row in table.rows}
    expected = {
        team: [str(n) for n in [*months.values(), sum(months.values())]]
        for team, months in TABLE_1.items()
    }
    expected["Totaal"] = ["58", "54", "65", "49", "20", "246"]
    assert got == expected

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(data))).pages)
    for label, cells in expected.items():
        assert f"{label} {' '.join(cells)}" in text, label
