"""The cases API: cases, activities, assessments (ZRM) and support plans,
through API keys: happy paths, another municipality (404), a missing role
(403), bad input (400, nothing saved), a stale version (409 naming who saved)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.cases import services as cases
from apps.cases.models import (
    Activity,
    Assessment,
    Case,
    CaseUserObjectPermission,
    Goal,
    Solution,
    SupportPlan,
)
from tests.cases.api_world import api_for, build_world, open_case, staff
from tests.conftest import residents_shown_by
from tests.factories import CaseFactory, QuestionFactory, ResidentFactory

A = AccessLogEntry.Action


@pytest.fixture
def w(municipality, other_municipality):
    return build_world(municipality, other_municipality)


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def log_entries(w, **filters):
    with scopes_disabled():
        return list(AccessLogEntry.objects.filter(municipality=w.municipality, **filters))


# --- cases ---------------------------------------------------------------------------


def test_a_team_member_opens_a_case_from_a_question_and_directs_it(w):
    api = api_for(w.member, w.municipality)
    response = api.post(
        "/api/v1/cases/", {"question": w.question.pk, "title": "Thuishulp"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["director"] == staff(w.member, w.municipality).pk
    assert body["questions"] == [w.question.pk]
    assert body["status"] == "open" and body["title"] == "Thuishulp"
    assert response["Location"] == f"/api/v1/cases/{body['id']}/"
    assert log_entries(w, action=A.CREATE, object_type="cases.case")


def test_a_member_of_another_team_cannot_open_a_case_from_the_question(w):
    api = api_for(w.driel_member, w.municipality)
    response = api.post("/api/v1/cases/", {"question": w.question.pk}, format="json")
    assert response.status_code == 403
    with scope(municipality=w.municipality):
        assert not Case.objects.exists()


def test_a_policy_advisor_gets_403_on_every_case_endpoint(w):
    case = open_case(w)
    api = api_for(w.policy, w.municipality)
    assert api.get("/api/v1/cases/").status_code == 403
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 403
    assert api.post("/api/v1/cases/", {"question": w.question.pk}, format="json").status_code == 403


def test_a_case_of_another_municipality_is_404(w):
    api = api_for(w.member, w.municipality)
    pk = w.foreign.case.pk
    assert api.get(f"/api/v1/cases/{pk}/").status_code == 404
    assert api.patch(f"/api/v1/cases/{pk}/", {"title": "x", "version": 1}).status_code == 404
    assert api.post(f"/api/v1/cases/{pk}/close/", {"note": "x", "version": 1}).status_code == 404
    response = api.post("/api/v1/cases/", {"question": 999_999}, format="json")
    assert response.status_code == 400 and "question" in response.json()


def test_the_list_shows_only_visible_cases_and_filters(w):
    own = open_case(w)
    with scope(municipality=w.municipality):
        other_team = CaseFactory(municipality=w.municipality, team=w.driel)
        directed_by_colleague = CaseFactory(
            municipality=w.municipality,
            team=w.kernteam,
            director=staff(w.colleague, w.municipality),
        )
    api = api_for(w.member, w.municipality)
    assert set(ids(api.get("/api/v1/cases/"))) == {own.pk, directed_by_colleague.pk}
    assert ids(api.get("/api/v1/cases/", {"director": "me"})) == [own.pk]
    assert ids(api.get("/api/v1/cases/", {"team": w.driel.pk})) == []
    assert ids(api.get("/api/v1/cases/", {"status": "closed"})) == []
    assert api.get("/api/v1/cases/", {"status": "nonsense"}).status_code == 400
    assert other_team.pk in ids(api_for(w.driel_member, w.municipality).get("/api/v1/cases/"))
    # The linked loket consultant sees the kernteam's cases; the expert too.
    assert own.pk in ids(api_for(w.consultant, w.municipality).get("/api/v1/cases/"))
    assert own.pk in ids(api_for(w.expert, w.municipality).get("/api/v1/cases/"))
    # A list is a read too: one entry per request, naming the cases shown.
    first = min(log_entries(w, action=A.VIEW), key=lambda e: e.pk)
    assert first.object_type == "cases.case" and first.user == w.member
    assert set(first.object_ids) == {own.pk, directed_by_colleague.pk}
    assert own.resident_id in residents_shown_by(first)


def test_reading_a_case_is_logged_and_an_invisible_case_is_404(w):
    case = open_case(w)
    response = api_for(w.member, w.municipality).get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200
    assert response.json()["resident"]["full_name"] == "Anna de Vries"
    [entry] = log_entries(w, action=A.VIEW)
    assert entry.object_id == str(case.pk) and entry.resident_id == w.resident.pk
    assert entry.channel == AccessLogEntry.Channel.API
    other = api_for(w.driel_member, w.municipality)
    assert other.get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_the_case_list_has_a_fixed_number_of_queries(w, django_assert_max_num_queries):
    api = api_for(w.member, w.municipality)

    def add_cases(n):
        with scope(municipality=w.municipality):
            for _ in range(n):
                CaseFactory(
                    municipality=w.municipality,
                    team=w.kernteam,
                    director=staff(w.member, w.municipality),
                )

    add_cases(2)
    with django_assert_max_num_queries(40) as small:
        assert len(ids(api.get("/api/v1/cases/"))) == 2
    add_cases(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(ids(api.get("/api/v1/cases/"))) == 22


def test_patch_changes_the_title_and_a_stale_version_names_who_saved(w):
    case = open_case(w)
    api = api_for(w.member, w.municipality)
    response = api.patch(
        f"/api/v1/cases/{case.pk}/", {"title": "Nieuw", "version": case.version}, format="json"
    )
    assert response.status_code == 200 and response.json()["title"] == "Nieuw"
    stale = api_for(w.colleague, w.municipality).patch(
        f"/api/v1/cases/{case.pk}/", {"title": "Anders", "version": case.version}, format="json"
    )
    assert stale.status_code == 409
    assert w.member.full_name in stale.json()["detail"]
    with scope(municipality=w.municipality):
        assert Case.objects.get(pk=case.pk).title == "Nieuw"
    missing = api.patch(f"/api/v1/cases/{case.pk}/", {"title": "Zonder"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()


def test_a_patch_that_changes_nothing_is_a_logged_read_for_case_workers_only(w):
    # A PATCH with only the version answers the whole case: without these
    # checks it read a file unlogged, also for someone who only views it.
    case = open_case(w)
    viewer = api_for(w.consultant, w.municipality)  # the team's linked loket consultant
    assert viewer.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    refused = viewer.patch(f"/api/v1/cases/{case.pk}/", {"version": case.version}, format="json")
    assert refused.status_code == 403
    worker = api_for(w.member, w.municipality)
    answered = worker.patch(f"/api/v1/cases/{case.pk}/", {"version": case.version}, format="json")
    assert answered.status_code == 200
    (entry,) = log_entries(w, object_type="cases.case", action=A.VIEW, user=w.member)
    assert entry.resident_id == case.resident_id


def test_a_plan_patch_that_changes_nothing_is_a_logged_read(w):
    case = open_case(w)
    api = api_for(w.member, w.municipality)
    plan = api.post("/api/v1/plans/", {"case": case.pk}, format="json").json()
    before = len(log_entries(w, action=A.VIEW, object_type="cases.supportplan"))
    answered = api.patch(
        f"/api/v1/plans/{plan['id']}/", {"version": plan["version"]}, format="json"
    )
    assert answered.status_code == 200
    entries = log_entries(w, action=A.VIEW, object_type="cases.supportplan")
    assert len(entries) == before + 1 and entries[-1].resident_id == case.resident_id


def test_patch_adds_another_question_of_the_household(w):
    case = open_case(w)
    with scope(municipality=w.municipality):
        sister = ResidentFactory(municipality=w.municipality, household=case.household)
        second = QuestionFactory(municipality=w.municipality, resident=sister, team=w.kernteam)
        outsider = QuestionFactory(municipality=w.municipality, team=w.kernteam)
    api = api_for(w.member, w.municipality)
    response = api.patch(
        f"/api/v1/cases/{case.pk}/",
        {"question": second.pk, "version": case.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert set(response.json()["questions"]) == {w.question.pk, second.pk}
    refused = api.patch(
        f"/api/v1/cases/{case.pk}/",
        {"question": outsider.pk, "version": response.json()["version"]},
        format="json",
    )
    assert refused.status_code == 400 and "question" in refused.json()


def test_hand_over_close_and_reopen(w):
    case = open_case(w)
    api = api_for(w.member, w.municipality)
    colleague = staff(w.colleague, w.municipality)
    response = api.post(
        f"/api/v1/cases/{case.pk}/hand-over/",
        {"to_director": colleague.pk, "reason": "Verlof", "version": case.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["director"] == colleague.pk
    assert body["director_changes"][-1]["reason"] == "Verlof"
    # No longer the director (nor coordinator): 403, nothing changed.
    refused = api.post(
        f"/api/v1/cases/{case.pk}/close/", {"note": "Klaar", "version": body["version"]}
    )
    assert refused.status_code == 403
    api = api_for(w.colleague, w.municipality)
    follow_up = timezone.localdate() + timedelta(weeks=8)
    closed = api.post(
        f"/api/v1/cases/{case.pk}/close/",
        {"note": "Klaar", "follow_up_dates": [follow_up.isoformat()], "version": body["version"]},
        format="json",
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "follow_up"
    assert [f["due_on"] for f in closed.json()["follow_ups"]] == [follow_up.isoformat()]
    reopened = api.post(
        f"/api/v1/cases/{case.pk}/reopen/", {"version": closed.json()["version"]}, format="json"
    )
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
    again = api.post(
        f"/api/v1/cases/{case.pk}/reopen/", {"version": reopened.json()["version"]}, format="json"
    )
    assert again.status_code == 400 and "niet afgesloten" in str(again.json())


def test_hand_over_to_someone_outside_the_team_is_refused(w):
    case = open_case(w)
    response = api_for(w.member, w.municipality).post(
        f"/api/v1/cases/{case.pk}/hand-over/",
        {"to_director": staff(w.driel_member, w.municipality).pk, "version": case.version},
        format="json",
    )
    assert response.status_code == 400 and "to_director" in response.json()
    with scope(municipality=w.municipality):
        assert Case.objects.get(pk=case.pk).director.user == w.member


def test_closing_without_a_note_is_refused(w):
    case = open_case(w)
    response = api_for(w.member, w.municipality).post(
        f"/api/v1/cases/{case.pk}/close/", {"note": "", "version": case.version}, format="json"
    )
    assert response.status_code == 400
    with scope(municipality=w.municipality):
        assert not Case.objects.get(pk=case.pk).is_closed


def test_share_and_unshare(w):
    case = open_case(w)
    api = api_for(w.member, w.municipality)
    other = api_for(w.driel_member, w.municipality)
    assert other.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    response = api.post(
        f"/api/v1/cases/{case.pk}/share/",
        {"staff_member": staff(w.driel_member, w.municipality).pk, "reason": "Meedenken"},
        format="json",
    )
    assert response.status_code == 200, response.content
    [share] = response.json()["shares"]
    assert share["reason"] == "Meedenken"
    assert other.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    # A policy advisor never.
    refused = api.post(
        f"/api/v1/cases/{case.pk}/share/",
        {"staff_member": staff(w.policy, w.municipality).pk, "reason": "Rapport"},
        format="json",
    )
    assert refused.status_code == 400 and "staff_member" in refused.json()
    # The one it was shared with only reads: sharing on is not theirs.
    assert (
        other.post(
            f"/api/v1/cases/{case.pk}/unshare/", {"share": share["id"]}, format="json"
        ).status_code
        == 403
    )
    bad = api.post(f"/api/v1/cases/{case.pk}/unshare/", {"share": 999_999}, format="json")
    assert bad.status_code == 400
    gone = api.post(f"/api/v1/cases/{case.pk}/unshare/", {"share": share["id"]}, format="json")
    assert gone.status_code == 200 and gone.json()["shares"] == []
    assert not CaseUserObjectPermission.objects.exists()
    assert other.get(f"/api/v1/cases/{case.pk}/").status_code == 404


# --- activities ------------------------------------------------------------------------


def test_record_a_joint_home_visit_and_read_it(w):
    case = open_case(w)
    api = api_for(w.member, w.municipality)
    participants = [staff(w.member, w.municipality).pk, staff(w.consultant, w.municipality).pk]
    response = api.post(
        "/api/v1/activities/",
        {
            "case": case.pk,
            "kind": "home_visit",
            "date": timezone.localdate().isoformat(),
            "participants": participants,
            "note": "Samen op bezoek.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_joint"] is True and body["joint_laws"] == ["wmo"]
    listed = api.get("/api/v1/activities/", {"case": case.pk}).json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    assert "note" not in listed[0]
    [listing] = log_entries(w, action=A.VIEW, object_type="cases.activity")  # the list
    assert listing.object_ids == [body["id"]] and residents_shown_by(listing) == [case.resident_id]
    detail = api.get(f"/api/v1/activities/{body['id']}/")
    assert detail.json()["note"] == "Samen op bezoek."
    assert log_entries(w, action=A.VIEW, object_type="cases.activity")


def test_an_activity_in_the_future_or_on_a_foreign_case_is_refused(w):
    case = open_case(w)
    api = api_for(w.member, w.municipality)
    future = api.post(
        "/api/v1/activities/",
        {
            "case": case.pk,
            "kind": "contact",
            "date": (timezone.localdate() + timedelta(days=2)).isoformat(),
        },
        format="json",
    )
    assert future.status_code == 400 and "date" in future.json()
    foreign = api.post(
        "/api/v1/activities/",
        {"case": w.foreign.case.pk, "kind": "contact", "date": timezone.localdate().isoformat()},
        format="json",
    )
    assert foreign.status_code == 400 and "case" in foreign.json()
    # A case of the own municipality one does not work on: 403.
    refused = api_for(w.driel_member, w.municipality).post(
        "/api/v1/activities/",
        {"case": case.pk, "kind": "contact", "date": timezone.localdate().isoformat()},
        format="json",
    )
    assert refused.status_code == 404
    with scope(municipality=w.municipality):
        assert not Activity.objects.exists()


# --- assessments ---------------------------------------------------------------------


def test_record_an_assessment_with_scores(w):
    case = open_case(w)
    api = api_for(w.member, w.municipality)
    response = api.post(
        "/api/v1/assessments/",
        {
            "case": case.pk,
            "assessed_on": timezone.localdate().isoformat(),
            "scores": [
                {"life_domain": w.domains[0].pk, "score": 2},
                {"life_domain": w.domains[1].pk, "score": 4},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    listed = api.get("/api/v1/assessments/", {"case": case.pk}).json()["results"]
    assert sorted(s["score"] for s in listed[0]["scores"]) == [2, 4]


@pytest.mark.parametrize(
    "scores",
    [
        [{"life_domain": "first", "score": 6}],
        [{"life_domain": "first", "score": 0}],
        [{"life_domain": "first", "score": 2}, {"life_domain": "first", "score": 3}],
        [{"life_domain": "foreign", "score": 3}],
        [],
    ],
    ids=["six", "zero", "twice", "foreign-domain", "none"],
)
def test_bad_scores_are_refused_and_nothing_is_saved(w, scores):
    case = open_case(w)
    domain = {"first": w.domains[0].pk, "foreign": w.foreign.domain.pk}
    body = [{**row, "life_domain": domain[row["life_domain"]]} for row in scores]
    response = api_for(w.member, w.municipality).post(
        "/api/v1/assessments/",
        {"case": case.pk, "assessed_on": timezone.localdate().isoformat(), "scores": body},
        format="json",
    )
    assert response.status_code == 400
    assert "scores" in response.json()
    if scores and scores[0]["score"] in (0, 6):
        assert "1 tot en met 5" in str(response.json())
    if not scores:
        assert response.json()["scores"] == ["Geef voor minstens één leefgebied een score."]
    with scope(municipality=w.municipality):
        assert not Assessment.objects.exists()


# --- support plans ---------------------------------------------------------------------


def test_write_and_agree_a_support_plan(w):
    case = open_case(w)
    api = api_for(w.member, w.municipality)
    started = api.post("/api/v1/plans/", {"case": case.pk}, format="json")
    assert started.status_code == 201, started.content
    plan = started.json()
    assert api.post("/api/v1/plans/", {"case": case.pk}, format="json").status_code == 200
    url = f"/api/v1/plans/{plan['id']}/"
    plan = api.patch(url, {"summary": "Samen", "version": plan["version"]}, format="json").json()
    assert plan["summary"] == "Samen"
    plan = api.post(
        url + "goals/",
        {"life_domain": w.domains[0].pk, "description": "Schoon huis", "version": plan["version"]},
        format="json",
    ).json()
    [goal] = plan["goals"]
    plan = api.post(
        url + "solutions/",
        {"goal": goal["id"], "level": 5, "description": "Thuishulp", "version": plan["version"]},
        format="json",
    ).json()
    plan = api.post(
        url + "solutions/",
        {"goal": goal["id"], "level": 2, "description": "Dochter", "version": plan["version"]},
        format="json",
    ).json()
    # In the order of preference: the network before the individual provision.
    assert [s["level"] for s in plan["goals"][0]["solutions"]] == [2, 5]
    individual = plan["goals"][0]["solutions"][1]["id"]
    plan = api.post(
        url + "remove-solution/",
        {"solution": individual, "version": plan["version"]},
        format="json",
    ).json()
    assert [s["level"] for s in plan["goals"][0]["solutions"]] == [2]
    agreed = api.post(
        url + "agree/",
        {"agreed_on": timezone.localdate().isoformat(), "version": plan["version"]},
        format="json",
    )
    assert agreed.status_code == 200 and agreed.json()["status"] == "agreed"
    frozen = api.post(
        url + "remove-goal/",
        {"goal": goal["id"], "version": agreed.json()["version"]},
        format="json",
    )
    assert frozen.status_code == 400 and "afgesproken" in str(frozen.json())
    with scope(municipality=w.municipality):
        assert Goal.objects.filter(pk=goal["id"]).exists()
    detail = api.get(url)
    assert detail.status_code == 200
    assert log_entries(w, action=A.VIEW, object_type="cases.supportplan")


def test_a_plan_edited_by_two_people_names_the_first(w):
    case = open_case(w)
    with scope(municipality=w.municipality):
        plan = cases.plan_start(actor=w.member, case=case)
    url = f"/api/v1/plans/{plan.pk}/"
    first = api_for(w.colleague, w.municipality).patch(
        url, {"summary": "Eerst", "version": plan.version}, format="json"
    )
    assert first.status_code == 200
    second = api_for(w.member, w.municipality).post(
        url + "goals/",
        {"life_domain": w.domains[0].pk, "description": "Later", "version": plan.version},
        format="json",
    )
    assert second.status_code == 409
    assert w.colleague.full_name in second.json()["detail"]
    with scope(municipality=w.municipality):
        assert not Goal.objects.filter(plan=plan).exists()


def test_a_goal_or_solution_of_another_plan_is_refused(w):
    case = open_case(w)
    with scope(municipality=w.municipality):
        plan = cases.plan_start(actor=w.member, case=case)
        other_case = CaseFactory(
            municipality=w.municipality,
            team=w.kernteam,
            director=staff(w.member, w.municipality),
        )
        other_plan = cases.plan_start(actor=w.member, case=other_case)
        goal = cases.goal_add(
            actor=w.member, plan=other_plan, life_domain=w.domains[0], description="Elders"
        )
        solution = cases.solution_add(actor=w.member, goal=goal, level=1, description="Zelf")
    api = api_for(w.member, w.municipality)
    url = f"/api/v1/plans/{plan.pk}/"
    response = api.post(url + "remove-goal/", {"goal": goal.pk, "version": plan.version})
    assert response.status_code == 400 and "goal" in response.json()
    response = api.post(url + "remove-solution/", {"solution": solution.pk, "version": 1})
    assert response.status_code == 400 and "solution" in response.json()
    with scope(municipality=w.municipality):
        assert Solution.objects.filter(pk=solution.pk).exists()
        assert SupportPlan.objects.get(pk=plan.pk).version == plan.version


def test_filtering_on_a_case_one_cannot_see_shows_and_logs_nothing(w):
    case = open_case(w)
    with scope(municipality=w.municipality):
        cases.activity_record(actor=w.member, case=case, kind="contact", date=timezone.localdate())
    api = api_for(w.driel_member, w.municipality)
    assert ids(api.get("/api/v1/activities/", {"case": case.pk})) == []
    assert ids(api.get("/api/v1/assessments/", {"case": case.pk})) == []
    assert not log_entries(w, action=A.VIEW)


def test_errors_of_a_score_are_messages_under_scores(w):
    case = open_case(w)
    response = api_for(w.member, w.municipality).post(
        "/api/v1/assessments/",
        {
            "case": case.pk,
            "assessed_on": timezone.localdate().isoformat(),
            "scores": [{"life_domain": True, "score": 3}, {"life_domain": w.domains[0].pk}],
        },
        format="json",
    )
    assert response.status_code == 400
    scores = response.json()["scores"]
    assert all(isinstance(message, str) for message in scores), scores
    assert scores[0].startswith("Score 1:") and scores[1].startswith("Score 2:")
