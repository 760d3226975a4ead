"""scripts/bench_reports.py fills a database with raw SQL, past the models'
rules: a few hundred questions here, checked against those rules, so the
benchmark measures data the portal itself could have written. No timings."""

import importlib.util
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django_scopes import scope

from apps.cases.models import Activity, Case
from apps.decisions.models import Decision, Proposal
from apps.intake.models import Question, QuestionForward
from apps.teams.models import Team

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench_reports.py"
spec = importlib.util.spec_from_file_location("bench_reports", SCRIPT)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the fill is PostgreSQL SQL"),
]


@pytest.fixture
def filled():
    main = bench.fill_municipality("GM9997", "Benchmark rapportage", 200, seed=0.42)
    other = bench.fill_municipality("GM9996", "Benchmark buurgemeente", 40, seed=0.17)
    with connection.cursor() as cur:
        # The test's transaction never commits: check the foreign keys now.
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return main, other


def test_the_fill_keeps_the_models_rules_and_its_own_municipality(filled):
    main, other = filled
    with scope(municipality=main):
        questions = list(Question.objects.prefetch_related("life_domains", "forwards"))
        assert len(questions) == 200
        for i, question in enumerate(questions):
            if i % 5 == 0:  # full_clean asks the database a lot: a sample
                question.full_clean()
            assert 1 <= len(question.life_domains.all()) <= 3
            forwards = list(question.forwards.all())
            if forwards:
                assert forwards[0].from_team_id == question.gate_id
                assert forwards[-1].to_team_id == question.team_id
            else:
                assert question.team_id == question.gate_id
            if question.case_id:
                assert question.case.household_id == question.household_id
        assert {q.channel for q in questions} >= {"telephone", "walk_in", "email"}
        assert any(q.is_youth for q in questions) and not all(q.is_youth for q in questions)
        assert QuestionForward.objects.filter(from_team__kind=Team.Kind.LOKET).exists()
        assert QuestionForward.objects.filter(to_team__kind=Team.Kind.LOKET).exists()
        for case in Case.objects.all()[:20]:
            case.full_clean()
        for activity in Activity.objects.filter(is_joint=True).prefetch_related("participants"):
            assert activity.kind == Activity.Kind.HOME_VISIT
            assert activity.case.team.linked_loket_consultant in activity.participants.all()
            assert activity.joint_laws
        for i, proposal in enumerate(Proposal.objects.select_related("case__team")):
            if i < 20:
                proposal.full_clean()
            assert proposal.is_voorwerk == (proposal.case.team.kind == Team.Kind.KERNTEAM)
        decisions = list(Decision.objects.select_related("mandate", "proposal"))
        assert decisions
        for decision in decisions:
            assert decision.law in decision.mandate.mandated_laws
            assert decision.mandate.staff_member_id == decision.consultant_id
            assert decision.law == decision.provision_type.law
            assert decision.application_date == decision.proposal.application_date
            if decision.is_final:
                assert decision.proposal.status == Proposal.Status.DECIDED
        outcomes = {d.outcome for d in decisions}
        assert {"granted", "refused"} <= outcomes
        ids = {q.pk for q in questions}
    with scope(municipality=other):
        assert Question.objects.count() == 40
        assert not ids & set(Question.objects.values_list("pk", flat=True))
        assert not Question.objects.exclude(team__municipality=other).exists()
        assert not Decision.objects.exclude(case__municipality=other).exists()


def test_the_report_of_the_filled_year_counts_its_questions(filled):
    from apps.reporting.figures import build_report_data

    main, _other = filled
    year = date.today().year - 1  # the fill covers the two years before today
    start, end = date(year, 1, 1), date(year, 12, 31)
    data = build_report_data(main, start, end)
    section = next(s for s in data.sections if s.key == "questions_per_team_month")
    total = section.rows[-1]
    assert total.is_total
    with scope(municipality=main):
        expected = (
            Question.objects.filter(received_at__date__range=(start, end))
            .exclude(team__kind=Team.Kind.LOKET)
            .count()
        )
    assert expected > 0
    assert total.cells[section.total_column - 1].value == expected
