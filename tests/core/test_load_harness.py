"""The load test's data (scripts/load_test.py, `make load`): what it measures
must be what the portal serves. Its fill writes rows in SQL around the models,
so this checks that they are whole rows the pages and API read like any other:
spread over the teams, mostly closed, findable by name, in one municipality."""

import pytest
from django.db import connection
from django.db.models import Count
from django_scopes import scope, scopes_disabled

from apps.cases.models import Case
from apps.intake.models import Question, Resident
from apps.teams.models import Membership, Team
from scripts import load_test
from tests.conftest import make_person
from tests.factories import AreaFactory, TeamFactory
from tests.intake.test_api import api_for

F, K = Membership.Function, Team.Kind
N = 2_000


@pytest.fixture
def filled(municipality, other_municipality):
    with scope(municipality=municipality):
        AreaFactory(municipality=municipality)
        loket = TeamFactory(municipality=municipality, kind=K.LOKET, name="Loket")
        elst = TeamFactory(municipality=municipality, name="Kernteam Elst")
        driel = TeamFactory(municipality=municipality, name="Kernteam Driel")
    make_person(municipality, memberships=[(driel, F.COORDINATOR)])
    consultant = make_person(municipality, memberships=[(loket, F.CONSULTANT)])
    member = make_person(municipality, memberships=[(elst, F.TEAM_MEMBER)])
    make_person(municipality, memberships=[(TeamFactory(municipality=municipality), F.VOLUNTEER)])
    with scopes_disabled(), connection.cursor() as cursor:
        load_test.fill(cursor, municipality.pk, N)
    return member, consultant, elst, loket


@pytest.mark.django_db
def test_the_fill_spreads_whole_rows_over_the_teams_that_take_questions(filled, municipality):
    member, consultant, elst, loket = filled
    with scope(municipality=municipality):
        questions = Question.objects.filter(description__regex=r"^Vraag [0-9]+$")
        assert questions.count() == N
        assert Resident.objects.count() == N // 2
        assert Case.objects.count() == N // 20
        per_team = dict(questions.values_list("team__name").annotate(n=Count("pk")))
        # A fifth at the loket, the rest over the kernteams; none at a team
        # of volunteers only.
        assert set(per_team) == {"Loket", "Kernteam Elst", "Kernteam Driel"}
        assert 0.15 < per_team["Loket"] / N < 0.25
        open_share = questions.exclude(status=Question.Status.CLOSED).count() / N
        assert 0.05 < open_share < 0.11
        # Every question in progress is with a person of its own team.
        for q in questions.filter(status=Question.Status.IN_PROGRESS).select_related("assigned_to"):
            assert q.assigned_to.memberships.filter(team_id=q.team_id).exists()
        assert questions.filter(status=Question.Status.CLOSED, closed_at__isnull=True).count() == 0
        assert Case.objects.exclude(team__kind__in=[K.LOKET, K.KERNTEAM]).count() == 0


@pytest.mark.django_db
def test_the_api_inbox_finds_filled_questions_by_name_as_the_load_test_asks(filled, municipality):
    member, _consultant, elst, _loket = filled
    response = api_for(member, municipality).get(
        "/api/v1/questions/", {"team": elst.pk, "status": "all", "q": load_test.SEARCH}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert results
    assert all(load_test.SEARCH in row["resident"]["full_name"] for row in results)


@pytest.mark.django_db
def test_the_wrk_script_quotes_paths_and_headers():
    script = load_test.lua_script([('/a?q="x"', {"Cookie": 'a="b"'}), ("/b", {})])
    assert '{"/a?q=\\"x\\"", {["Cookie"] = "a=\\"b\\""}}' in script
    assert '{"/b", {}}' in script
    assert "%%" not in script
