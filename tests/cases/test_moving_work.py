"""Moving work (#20): a case to another team, and everything open of a person
in a team to a colleague in one action. Services, pages and API, with the
unhappy paths: another municipality, a missing role, bad input, a change
between the preview and the move."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from apps.audit.models import AccessLogEntry
from apps.cases import services
from apps.cases.models import (
    Case,
    DirectorChange,
    TeamChange,
    WorkReassignment,
    WorkReassignmentItem,
)
from apps.cases.selectors import visible_cases, work_of
from apps.core.exceptions import ConcurrentEditError, DomainError
from apps.core.models import AppendOnlyError
from apps.decisions.models import Proposal
from apps.intake.models import Question, QuestionForward
from apps.intake.selectors import visible_questions
from apps.teams.models import Membership, Team
from apps.tenants.models import StaffMember
from tests.conftest import api_key_for, make_person
from tests.factories import (
    CaseFactory,
    MunicipalityFactory,
    ProposalFactory,
    QuestionFactory,
    TeamFactory,
)

F, K = Membership.Function, Team.Kind


def staff(user, municipality):
    with scopes_disabled():
        return StaffMember.objects.get(user=user, municipality=municipality)


@pytest.fixture
def w(municipality):
    """Kernteam Elst with a director, a colleague and a coordinator; kernteam
    Zetten with a member; the loket; a case of Elst with an open question."""
    with scope(municipality=municipality):
        loket = TeamFactory(municipality=municipality, kind=K.LOKET, name="Loket")
        elst = TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Elst")
        zetten = TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Zetten")
        ended = TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Oud", is_active=False)
    director = make_person(municipality, memberships=[(elst, F.CASE_DIRECTOR)])
    colleague = make_person(municipality, memberships=[(elst, F.TEAM_MEMBER)])
    coordinator = make_person(municipality, memberships=[(elst, F.COORDINATOR)])
    zetten_member = make_person(municipality, memberships=[(zetten, F.TEAM_MEMBER)])
    consultant = make_person(municipality, memberships=[(loket, F.CONSULTANT)])
    with scope(municipality=municipality):
        question = QuestionFactory(municipality=municipality, team=elst, laws=["wmo"])
        case = services.case_open(actor=director, question=question)
        yield {
            "municipality": municipality,
            "loket": loket,
            "elst": elst,
            "zetten": zetten,
            "ended": ended,
            "director": director,
            "colleague": colleague,
            "coordinator": coordinator,
            "zetten_member": zetten_member,
            "consultant": consultant,
            "question": question,
            "case": case,
        }


def transfer(w, actor=None, **kwargs):
    args = {
        "actor": actor or w["director"],
        "case": w["case"],
        "to_team": w["zetten"],
        "to_director": staff(w["zetten_member"], w["municipality"]),
        "reason": "Het huishouden is verhuisd naar Zetten.",
    }
    return services.case_transfer(**{**args, **kwargs})


# --- a case to another team -----------------------------------------------------------------


def test_a_case_moves_to_another_team_with_its_open_question_and_both_lists_are_right(w):
    municipality = w["municipality"]
    change = transfer(w)
    case = Case.objects.get(pk=w["case"].pk)
    assert case.team == w["zetten"] and case.director == change.to_director
    assert (change.from_team, change.to_team) == (w["elst"], w["zetten"])
    assert change.from_director == staff(w["director"], municipality)
    question = Question.objects.get(pk=w["question"].pk)
    assert question.team == w["zetten"] and question.assigned_to == change.to_director
    assert QuestionForward.objects.filter(
        question=question, from_team=w["elst"], to_team=w["zetten"]
    ).exists()
    # The new team's list has it, the old team's colleague no longer sees the case...
    assert visible_cases(w["zetten_member"], municipality).filter(pk=case.pk).exists()
    assert not visible_cases(w["colleague"], municipality).filter(pk=case.pk).exists()
    # ...but still finds the question that passed through their team (its history).
    assert visible_questions(w["colleague"], municipality).filter(pk=question.pk).exists()
    assert AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.FORWARD, object_type="cases.case", object_id=str(case.pk)
    ).exists()


def test_the_kernteam_hands_a_case_to_the_loket(w):
    transfer(w, to_team=w["loket"], to_director=staff(w["consultant"], w["municipality"]))
    assert Case.objects.get(pk=w["case"].pk).team == w["loket"]


def test_the_coordinator_may_move_a_case_a_colleague_may_not(w):
    with pytest.raises(PermissionDenied):
        transfer(w, actor=w["colleague"])
    with pytest.raises(PermissionDenied):
        transfer(w, actor=w["zetten_member"])
    transfer(w, actor=w["coordinator"])


@pytest.mark.parametrize(
    "change, field",
    [
        ({"to_team": "ended"}, "to_team"),
        ({"to_team": "elst"}, "to_team"),
        ({"to_director": "colleague"}, "to_director"),
        ({"reason": "  "}, "reason"),
    ],
)
def test_a_bad_transfer_names_the_field_and_moves_nothing(w, change, field):
    kwargs = {}
    for key, value in change.items():
        if key == "to_team":
            kwargs[key] = w[value]
        elif key == "to_director":
            kwargs[key] = staff(w[value], w["municipality"])
        else:
            kwargs[key] = value
    with pytest.raises(ValidationError) as refused:
        transfer(w, **kwargs)
    assert field in refused.value.error_dict
    assert Case.objects.get(pk=w["case"].pk).team == w["elst"]
    assert not TeamChange.objects.exists()
    assert Question.objects.get(pk=w["question"].pk).team == w["elst"]


def test_a_transfer_to_a_team_of_another_municipality_is_refused(w):
    other = MunicipalityFactory()
    with scope(municipality=other):
        foreign = TeamFactory(municipality=other, kind=K.KERNTEAM)
    with pytest.raises(ValidationError) as refused:
        transfer(w, to_team=foreign)
    assert "to_team" in refused.value.error_dict
    assert not TeamChange.objects.exists()


def test_a_case_with_a_proposal_at_the_loket_stays_where_it_is(w):
    ProposalFactory(
        municipality=w["municipality"],
        case=w["case"],
        status=Proposal.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    with pytest.raises(DomainError, match="voorstel"):
        transfer(w)
    assert Case.objects.get(pk=w["case"].pk).team == w["elst"]


def test_a_transfer_on_a_stale_version_is_refused(w):
    services.case_update(actor=w["director"], case=w["case"], title="Nieuw")
    with pytest.raises(ConcurrentEditError):
        transfer(w, expected_version=w["case"].version)
    assert not TeamChange.objects.exists()


def test_the_history_of_moves_cannot_be_changed(w):
    change = transfer(w)
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_teamchange SET reason = 'x'")


# --- a member's work to a colleague ---------------------------------------------------------


@pytest.fixture
def leaving(w):
    """The colleague leaves Elst: two questions they handle, a case they direct."""
    municipality = w["municipality"]
    colleague = staff(w["colleague"], municipality)
    questions = [
        QuestionFactory(
            municipality=municipality,
            team=w["elst"],
            assigned_to=colleague,
            status=Question.Status.IN_PROGRESS,
        )
        for _ in range(2)
    ]
    closed = QuestionFactory(
        municipality=municipality,
        team=w["elst"],
        assigned_to=colleague,
        status=Question.Status.CLOSED,
    )
    case = CaseFactory(municipality=municipality, team=w["elst"], director=colleague)
    return {"from": colleague, "questions": questions, "closed": closed, "case": case}


def reassign(w, leaving, actor=None, **kwargs):
    args = {
        "actor": actor or w["coordinator"],
        "team": w["elst"],
        "from_staff": leaving["from"],
        "to_staff": staff(w["director"], w["municipality"]),
        "reason": "Vertrekt per 1 januari.",
    }
    return services.work_reassign(**{**args, **kwargs})


def test_the_coordinator_moves_all_open_work_of_a_leaving_member_in_one_action(w, leaving):
    to = staff(w["director"], w["municipality"])
    moved = reassign(
        w, leaving, expected_items=work_of(team=w["elst"], staff_member=leaving["from"]).keys
    )
    for q in leaving["questions"]:
        assert Question.objects.get(pk=q.pk).assigned_to == to
    assert Question.objects.get(pk=leaving["closed"].pk).assigned_to == leaving["from"]
    assert Case.objects.get(pk=leaving["case"].pk).director == to
    assert DirectorChange.objects.filter(case=leaving["case"], to_director=to).exists()
    items = WorkReassignmentItem.objects.filter(reassignment=moved)
    assert {i.question_id for i in items if i.question_id} == {q.pk for q in leaving["questions"]}
    assert [i.case_id for i in items if i.case_id] == [leaving["case"].pk]
    assert moved.by == staff(w["coordinator"], w["municipality"])


def test_only_the_coordinator_moves_a_members_work(w, leaving):
    for actor in ("director", "colleague", "zetten_member", "consultant"):
        with pytest.raises(PermissionDenied):
            reassign(w, leaving, actor=w[actor])
    assert not WorkReassignment.objects.exists()


def test_work_cannot_go_to_someone_outside_the_team_and_nothing_moves(w, leaving):
    with pytest.raises(ValidationError) as refused:
        reassign(w, leaving, to_staff=staff(w["zetten_member"], w["municipality"]))
    assert "to_staff" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        reassign(w, leaving, to_staff=leaving["from"], reason="")
    assert {"to_staff", "reason"} <= set(refused.value.error_dict)
    assert not WorkReassignment.objects.exists()
    assert Case.objects.get(pk=leaving["case"].pk).director == leaving["from"]


def test_work_that_changed_after_the_preview_does_not_move(w, leaving):
    shown = work_of(team=w["elst"], staff_member=leaving["from"]).keys
    QuestionFactory(
        municipality=w["municipality"],
        team=w["elst"],
        assigned_to=leaving["from"],
        status=Question.Status.IN_PROGRESS,
    )
    with pytest.raises(ConcurrentEditError):
        reassign(w, leaving, expected_items=shown)
    assert not WorkReassignment.objects.exists()
    for q in leaving["questions"]:
        assert Question.objects.get(pk=q.pk).assigned_to == leaving["from"]


# --- pages ------------------------------------------------------------------------------------


def test_the_transfer_page_moves_the_case_and_goes_to_the_case_list(client, w):
    client.force_login(w["director"])
    url = reverse("cases:transfer", args=[w["case"].pk])
    page = client.get(url)
    assert page.status_code == 200 and "Zetten" in page.content.decode()
    response = client.post(
        url,
        {
            "to_team": w["zetten"].pk,
            "to_director": staff(w["zetten_member"], w["municipality"]).pk,
            "reason": "Verhuisd",
            "version": w["case"].version,
        },
    )
    assert response.status_code == 302 and response.url == reverse("cases:list")
    assert Case.objects.get(pk=w["case"].pk).team == w["zetten"]
    client.force_login(w["zetten_member"])
    detail = client.get(reverse("cases:detail", args=[w["case"].pk])).content.decode()
    assert "Overdrachten naar een ander team" in detail and "Verhuisd" in detail


def test_the_transfer_page_shows_a_bad_choice_on_its_field(client, w):
    client.force_login(w["director"])
    response = client.post(
        reverse("cases:transfer", args=[w["case"].pk]),
        {
            "to_team": w["zetten"].pk,
            "to_director": staff(w["consultant"], w["municipality"]).pk,
            "reason": "Verhuisd",
            "version": w["case"].version,
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"to_director"}
    assert not TeamChange.objects.exists()


def test_a_colleague_cannot_open_the_transfer_page(client, w):
    client.force_login(w["colleague"])
    assert client.get(reverse("cases:transfer", args=[w["case"].pk])).status_code == 403


def test_the_team_work_page_and_the_reassign_preview_for_the_coordinator(
    client, w, leaving, django_assert_max_num_queries
):
    client.force_login(w["coordinator"])
    with django_assert_max_num_queries(16):
        page = client.get(reverse("cases:team_work", args=[w["elst"].pk]))
    assert page.status_code == 200
    assert leaving["from"].user.full_name in page.content.decode()
    url = reverse("cases:work_reassign", args=[w["elst"].pk, leaving["from"].pk])
    preview = client.get(url)
    html = preview.content.decode()
    assert all(q.resident.full_name in html for q in leaving["questions"])
    assert leaving["closed"].resident.full_name not in html
    shown = preview.context["form"].initial["items"]
    response = client.post(
        url,
        {
            "to_staff": staff(w["director"], w["municipality"]).pk,
            "reason": "Vertrekt",
            "items": shown,
        },
    )
    assert response.status_code == 302
    assert WorkReassignment.objects.count() == 1
    assert AccessLogEntry.objects.filter(
        object_type="intake.question", object_label__contains="Werk van"
    ).exists()


def test_the_team_work_pages_are_for_the_coordinator_only(client, w, leaving):
    for who in ("director", "colleague", "zetten_member"):
        client.force_login(w[who])
        assert client.get(reverse("cases:team_work", args=[w["elst"].pk])).status_code == 403
        url = reverse("cases:work_reassign", args=[w["elst"].pk, leaving["from"].pk])
        assert client.get(url).status_code == 403


def test_the_team_work_page_of_another_municipality_is_not_found(client, w, other_municipality):
    with scope(municipality=other_municipality):
        foreign = TeamFactory(municipality=other_municipality, kind=K.KERNTEAM)
    client.force_login(w["coordinator"])
    assert client.get(reverse("cases:team_work", args=[foreign.pk])).status_code == 404


# --- API ----------------------------------------------------------------------------------------


def api_as(user, municipality):
    _token, key = api_key_for(user, municipality)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_the_api_moves_a_case_and_answers_with_the_move(w):
    api = api_as(w["director"], w["municipality"])
    response = api.post(
        f"/api/v1/cases/{w['case'].pk}/transfer/",
        {
            "to_team": w["zetten"].pk,
            "to_director": staff(w["zetten_member"], w["municipality"]).pk,
            "reason": "Verhuisd",
            "version": w["case"].version,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["to_team"] == w["zetten"].pk


def test_the_api_previews_and_reassigns_a_members_work(w, leaving):
    api = api_as(w["coordinator"], w["municipality"])
    preview = api.get(f"/api/v1/teams/{w['elst'].pk}/work/{leaving['from'].pk}/")
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert sorted(body["questions"]) == sorted(q.pk for q in leaving["questions"])
    response = api.post(
        "/api/v1/work-reassignments/",
        {
            "team": w["elst"].pk,
            "from_staff": leaving["from"].pk,
            "to_staff": staff(w["director"], w["municipality"]).pk,
            "reason": "Vertrekt",
            **body,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert sorted(response.json()["questions"]) == sorted(body["questions"])
    listed = api.get(
        "/api/v1/work-reassignments/",
    ).json()
    assert [row["id"] for row in listed["results"]] == [response.json()["id"]]


def test_the_api_refuses_a_reassignment_to_someone_outside_the_team(w, leaving):
    api = api_as(w["director"], w["municipality"])
    response = api.get(f"/api/v1/teams/{w['elst'].pk}/work/{leaving['from'].pk}/")
    assert response.status_code == 403


def test_the_api_moves_work_only_with_the_preview_it_was_shown(w, leaving):
    api = api_as(w["coordinator"], w["municipality"])
    body = {
        "team": w["elst"].pk,
        "from_staff": leaving["from"].pk,
        "to_staff": staff(w["director"], w["municipality"]).pk,
        "reason": "Vertrekt",
    }
    response = api.post("/api/v1/work-reassignments/", body, format="json")
    assert response.status_code == 400
    assert {"questions", "cases"} <= set(response.json())
    stale = {**body, "questions": [], "cases": [leaving["case"].pk]}
    assert api.post("/api/v1/work-reassignments/", stale, format="json").status_code == 409
    assert not WorkReassignment.objects.exists()
