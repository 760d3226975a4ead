"""A team's lifecycle (#19 part 1): start and end dates, ending a team with its
open work handed over (or refused while open), and its history readable by
those who worked in it until it ended. Services, rules, pages and API, with the
unhappy paths: another municipality, a missing role, bad input, a concurrent
edit."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from apps.access import rules
from apps.cases import services
from apps.cases.models import Case, TeamChange
from apps.cases.selectors import visible_cases
from apps.core.exceptions import ConcurrentEditError, DomainError
from apps.intake.models import Question, QuestionForward
from apps.intake.selectors import visible_questions
from apps.teams.models import Membership, Team
from apps.teams.services import membership_end
from apps.tenants.models import RoleChange, StaffMember
from tests.conftest import api_key_for, make_person
from tests.factories import MembershipFactory, QuestionFactory, TeamFactory

F, K = Membership.Function, Team.Kind


def staff(user, municipality):
    with scopes_disabled():
        return StaffMember.objects.get(user=user, municipality=municipality)


@pytest.fixture
def w(municipality):
    """The SpT (a specialist team that will end) with a director, a colleague
    and a behavioural expert; kernteam Elst with a coordinator; the loket; a
    running case of the SpT with its question, a loose open question of the
    SpT, and the municipality admin."""
    with scope(municipality=municipality):
        loket = TeamFactory(municipality=municipality, kind=K.LOKET, name="Loket")
        spt = TeamFactory(municipality=municipality, kind=K.SOCIAL_TEAM, name="SpT")
        elst = TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Elst")
    director = make_person(
        municipality, memberships=[(spt, F.CASE_DIRECTOR), (elst, F.TEAM_MEMBER)]
    )
    colleague = make_person(municipality, memberships=[(spt, F.TEAM_MEMBER)])
    expert = make_person(municipality, memberships=[(spt, F.BEHAVIOURAL_EXPERT)])
    left_before = make_person(municipality, memberships=[(spt, F.TEAM_MEMBER)])
    coordinator = make_person(municipality, memberships=[(elst, F.COORDINATOR)])
    consultant = make_person(municipality, memberships=[(loket, F.CONSULTANT)])
    admin = make_person(municipality, admin=True)
    with scope(municipality=municipality):
        question = QuestionFactory(municipality=municipality, team=spt, laws=["wmo"])
        case = services.case_open(actor=director, question=question)
        loose = QuestionFactory(municipality=municipality, team=spt, laws=["wmo"])
        yield {
            "municipality": municipality,
            "loket": loket,
            "spt": spt,
            "elst": elst,
            "director": director,
            "colleague": colleague,
            "expert": expert,
            "left_before": left_before,
            "coordinator": coordinator,
            "consultant": consultant,
            "admin": admin,
            "question": question,
            "loose": loose,
            "case": case,
        }


def end(w, actor=None, **kwargs):
    team = Team.objects.get(pk=w["spt"].pk)
    args = {
        "actor": actor or w["admin"],
        "team": team,
        "ended_on": timezone.localdate(),
        "reason": "Het SpT gaat op in het kernteam.",
        "successor": w["elst"],
        "hand_over_to": w["elst"],
        "expected_version": team.version,
    }
    return services.team_end(**{**args, **kwargs})


def close_work(w):
    with scopes_disabled():
        Case.objects.filter(pk=w["case"].pk).update(status=Case.Status.CLOSED)
        Question.objects.filter(team=w["spt"]).update(status=Question.Status.CLOSED)


# --- dates --------------------------------------------------------------------------------


def test_a_new_team_and_membership_start_today_and_have_no_end(w):
    team = Team.objects.get(pk=w["spt"].pk)
    assert team.started_on == timezone.localdate() and team.ended_on is None
    membership = Membership.objects.filter(team=team).first()
    assert membership.started_on == timezone.localdate() and membership.ended_on is None


def test_ending_a_membership_sets_its_end_date_and_reactivating_clears_it(w):
    membership = Membership.objects.get(
        team=w["spt"], staff_member=staff(w["left_before"], w["municipality"])
    )
    membership_end(actor=w["admin"], membership=membership, expected_version=membership.version)
    membership.refresh_from_db()
    assert not membership.is_active and membership.ended_on == timezone.localdate()
    membership.is_active = True
    membership.save()
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_an_end_date_in_the_future_is_refused(w):
    membership = Membership.objects.filter(team=w["spt"]).first()
    membership.is_active = False
    membership.ended_on = timezone.localdate() + timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "ended_on" in error.value.message_dict


# --- ending a team ------------------------------------------------------------------------


def test_ending_a_team_hands_its_open_work_over_and_ends_its_memberships(w):
    municipality = w["municipality"]
    team = end(w)
    assert not team.is_active and team.ended_on == timezone.localdate()
    assert team.successor == w["elst"] and team.end_reason.startswith("Het SpT")
    assert team.ended_by == staff(w["admin"], municipality)
    receiver = staff(w["coordinator"], municipality)
    case = Case.objects.get(pk=w["case"].pk)
    assert case.team == w["elst"] and case.director == receiver
    assert TeamChange.objects.filter(case=case, from_team=w["spt"], to_team=w["elst"]).exists()
    for question in (w["question"], w["loose"]):
        moved = Question.objects.get(pk=question.pk)
        assert moved.team == w["elst"] and moved.assigned_to == receiver
        assert QuestionForward.objects.filter(question=moved, from_team=w["spt"]).exists()
    memberships = Membership.objects.filter(team=w["spt"])
    assert not memberships.filter(is_active=True).exists()
    assert set(memberships.values_list("ended_on", flat=True)) == {timezone.localdate()}
    assert RoleChange.objects.filter(membership__team=w["spt"]).count() >= 4


def test_ending_a_team_with_open_work_and_no_receiver_is_refused_with_the_counts(w):
    with pytest.raises(DomainError) as error:
        end(w, hand_over_to=None)
    assert "1 open vraag en 1 lopende casus" in str(error.value)
    assert Team.objects.get(pk=w["spt"].pk).is_active
    assert Membership.objects.filter(team=w["spt"], is_active=True).count() == 4


def test_a_team_without_open_work_ends_without_a_receiver(w):
    close_work(w)
    team = end(w, hand_over_to=None, successor=None)
    assert not team.is_active and team.successor is None
    assert Case.objects.get(pk=w["case"].pk).team == w["spt"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"ended_on": "future"}, "ended_on"),
        ({"ended_on": "before_start"}, "ended_on"),
        ({"ended_on": None}, "ended_on"),
        ({"reason": "  "}, "reason"),
        ({"successor": "spt"}, "successor"),
        ({"hand_over_to": "spt"}, "hand_over_to"),
        ({"hand_over_to": "foreign"}, "hand_over_to"),
        ({"hand_over_to": "ended"}, "hand_over_to"),
    ],
)
def test_a_bad_ending_names_the_field_and_changes_nothing(w, other_municipality, change, field):
    kwargs = {}
    for key, value in change.items():
        if value == "future":
            value = timezone.localdate() + timedelta(days=1)
        elif value == "before_start":
            value = timezone.localdate() - timedelta(days=400)
        elif value == "spt":
            value = w["spt"]
        elif value == "foreign":
            with scope(municipality=other_municipality):
                value = TeamFactory(municipality=other_municipality, kind=K.KERNTEAM)
        elif value == "ended":
            value = TeamFactory(municipality=w["municipality"], kind=K.KERNTEAM, is_active=False)
        kwargs[key] = value
    with pytest.raises(ValidationError) as error:
        end(w, **kwargs)
    assert field in error.value.message_dict
    assert Team.objects.get(pk=w["spt"].pk).is_active
    assert Case.objects.get(pk=w["case"].pk).team == w["spt"]


def test_a_receiving_team_without_members_is_refused(w):
    empty = TeamFactory(municipality=w["municipality"], kind=K.KERNTEAM, name="Leeg")
    with pytest.raises(ValidationError) as error:
        end(w, hand_over_to=empty)
    assert "hand_over_to" in error.value.message_dict
    assert Team.objects.get(pk=w["spt"].pk).is_active


@pytest.mark.parametrize("who", ["director", "colleague", "coordinator", "consultant", "expert"])
def test_only_the_municipality_admin_ends_a_team(w, who):
    with pytest.raises(PermissionDenied):
        end(w, actor=w[who])
    assert Team.objects.get(pk=w["spt"].pk).is_active


def test_an_admin_does_not_end_their_own_team(w):
    MembershipFactory(
        municipality=w["municipality"],
        staff_member=staff(w["admin"], w["municipality"]),
        team=w["spt"],
        function=F.SUPPORT,
    )
    with pytest.raises(DomainError):
        end(w)
    assert Team.objects.get(pk=w["spt"].pk).is_active


def test_ending_a_team_changed_meanwhile_is_a_conflict(w):
    team = Team.objects.get(pk=w["spt"].pk)
    version = team.version
    Team.objects.filter(pk=team.pk).update(version=version + 1)
    with pytest.raises(ConcurrentEditError):
        end(w, expected_version=version)
    assert Team.objects.get(pk=team.pk).is_active


def test_an_ended_team_cannot_be_ended_again(w):
    end(w)
    with pytest.raises(DomainError, match="al beëindigd"):
        end(w)


# --- history stays readable -----------------------------------------------------------------


def test_former_members_read_the_cases_and_questions_of_the_ended_team_but_do_not_work(w):
    municipality = w["municipality"]
    membership = Membership.objects.get(
        team=w["spt"], staff_member=staff(w["left_before"], municipality)
    )
    membership_end(actor=w["admin"], membership=membership, expected_version=membership.version)
    Membership.objects.filter(pk=membership.pk).update(
        ended_on=timezone.localdate() - timedelta(days=1)
    )
    closed = QuestionFactory(municipality=municipality, team=w["spt"], laws=["wmo"])
    Question.objects.filter(pk=closed.pk).update(status=Question.Status.CLOSED)
    end(w)
    case = Case.objects.get(pk=w["case"].pk)
    for who in ("director", "colleague", "expert"):
        user = w[who]
        assert visible_cases(user, municipality).filter(pk=case.pk).exists(), who
        for question in (w["question"], w["loose"], closed):
            assert visible_questions(user, municipality).filter(pk=question.pk).exists(), who
    # Reading only: the colleague and the expert do not work on it (the director
    # does, as a member of Elst, where it went).
    assert not rules.is_case_worker(w["colleague"], case)
    assert not rules.is_case_worker(w["expert"], case)
    # The colleague has no other team: no working role either.
    assert not rules.for_user(w["colleague"], municipality).has("case.work")
    # Someone who left before the team ended keeps nothing (as before).
    assert not visible_cases(w["left_before"], municipality).filter(pk=case.pk).exists()
    assert not visible_questions(w["left_before"], municipality).filter(pk=closed.pk).exists()
    # The loket sees every question as before; the receiving team works on the case.
    assert visible_questions(w["consultant"], municipality).filter(pk=closed.pk).exists()
    assert rules.is_case_worker(w["coordinator"], case)


def test_leaving_an_active_team_keeps_no_access(w):
    municipality = w["municipality"]
    membership = Membership.objects.get(
        team=w["spt"], staff_member=staff(w["colleague"], municipality)
    )
    membership_end(actor=w["admin"], membership=membership, expected_version=membership.version)
    assert not visible_cases(w["colleague"], municipality).filter(pk=w["case"].pk).exists()
    assert not visible_questions(w["colleague"], municipality).filter(pk=w["loose"].pk).exists()


def test_a_former_member_whose_account_is_deactivated_reads_nothing(w):
    municipality = w["municipality"]
    end(w)
    with scopes_disabled():
        StaffMember.objects.filter(user=w["colleague"]).update(is_active=False)
    assert not visible_questions(w["colleague"], municipality).filter(pk=w["loose"].pk).exists()


# --- page -----------------------------------------------------------------------------------


def test_the_team_end_page_shows_the_open_work_and_ends_the_team(
    client, w, django_assert_max_num_queries
):
    client.force_login(w["admin"])
    url = reverse("cases:team_end", args=[w["spt"].pk])
    with django_assert_max_num_queries(25):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 open vraag" in html and "1 lopende casus" in html
    assert w["loose"].resident.full_name in html
    listing = client.get(reverse("teams:team_config_list")).content.decode()
    assert url in listing
    response = client.post(
        url,
        {
            "ended_on": timezone.localdate().isoformat(),
            "reason": "Opgeheven",
            "successor": w["elst"].pk,
            "hand_over_to": w["elst"].pk,
            "version": w["spt"].version,
        },
    )
    assert response.status_code == 302 and response.url == reverse("teams:team_config_list")
    assert not Team.objects.get(pk=w["spt"].pk).is_active
    listing = client.get(reverse("teams:team_config_list")).content.decode()
    assert "opgevolgd door Elst" in listing
    detail = client.get(reverse("teams:team_detail", args=[w["spt"].pk])).content.decode()
    assert "Beëindigd op" in detail and reverse("teams:team_detail", args=[w["elst"].pk]) in detail


def test_the_team_end_page_refuses_with_the_open_work_counted(client, w):
    client.force_login(w["admin"])
    response = client.post(
        reverse("cases:team_end", args=[w["spt"].pk]),
        {
            "ended_on": timezone.localdate().isoformat(),
            "reason": "Opgeheven",
            "version": w["spt"].version,
        },
    )
    assert response.status_code == 200
    assert "1 open vraag en 1 lopende casus" in response.content.decode()
    assert Team.objects.get(pk=w["spt"].pk).is_active


def test_the_team_end_page_names_a_bad_field(client, w):
    client.force_login(w["admin"])
    response = client.post(
        reverse("cases:team_end", args=[w["spt"].pk]),
        {"ended_on": "", "reason": "", "version": w["spt"].version},
    )
    assert response.status_code == 200
    assert {"ended_on", "reason"} <= set(response.context["form"].errors)
    assert Team.objects.get(pk=w["spt"].pk).is_active


@pytest.mark.parametrize("who", ["director", "coordinator", "consultant"])
def test_the_team_end_page_is_for_the_municipality_admin_only(client, w, who):
    client.force_login(w[who])
    assert client.get(reverse("cases:team_end", args=[w["spt"].pk])).status_code == 403


def test_the_team_end_page_of_another_municipality_is_not_found(client, w, other_municipality):
    with scope(municipality=other_municipality):
        foreign = TeamFactory(municipality=other_municipality, kind=K.KERNTEAM)
    client.force_login(w["admin"])
    assert client.get(reverse("cases:team_end", args=[foreign.pk])).status_code == 404


# --- API ------------------------------------------------------------------------------------


def api_for(user, municipality):
    _, key = api_key_for(user, municipality)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_the_api_shows_the_open_work_and_ends_the_team(w):
    api = api_for(w["admin"], w["municipality"])
    url = f"/api/v1/teams/{w['spt'].pk}/end/"
    work = api.get(f"/api/v1/teams/{w['spt'].pk}/open-work/").json()
    assert work == {"questions": [w["loose"].pk], "cases": [w["case"].pk]}
    body = {"ended_on": timezone.localdate().isoformat(), "reason": "Opgeheven"}
    refused = api.post(url, {**body, "version": w["spt"].version}, format="json")
    assert refused.status_code == 400 and "1 lopende casus" in refused.content.decode()
    stale = api.post(
        url, {**body, "hand_over_to": w["elst"].pk, "version": w["spt"].version + 5}, format="json"
    )
    assert stale.status_code == 409
    response = api.post(
        url,
        {**body, "hand_over_to": w["elst"].pk, "successor": w["elst"].pk, "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["is_active"] is False and data["successor"] == w["elst"].pk
    assert data["ended_on"] == timezone.localdate().isoformat()


def test_the_api_names_a_bad_field(w):
    api = api_for(w["admin"], w["municipality"])
    response = api.post(
        f"/api/v1/teams/{w['spt'].pk}/end/",
        {"ended_on": "gisteren", "reason": "", "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert {"ended_on", "reason"} <= set(response.json())


@pytest.mark.parametrize("who", ["director", "coordinator", "consultant"])
def test_the_api_ends_a_team_for_the_municipality_admin_only(w, who):
    api = api_for(w[who], w["municipality"])
    url = f"/api/v1/teams/{w['spt'].pk}/end/"
    assert api.get(f"/api/v1/teams/{w['spt'].pk}/open-work/").status_code == 403
    body = {"ended_on": timezone.localdate().isoformat(), "reason": "X", "version": 1}
    assert api.post(url, body, format="json").status_code == 403
    assert Team.objects.get(pk=w["spt"].pk).is_active


def test_the_api_of_another_municipality_team_is_not_found(w, other_municipality):
    with scope(municipality=other_municipality):
        foreign = TeamFactory(municipality=other_municipality, kind=K.KERNTEAM)
    api = api_for(w["admin"], w["municipality"])
    assert api.get(f"/api/v1/teams/{foreign.pk}/open-work/").status_code == 404
    body = {"ended_on": timezone.localdate().isoformat(), "reason": "X", "version": 1}
    assert api.post(f"/api/v1/teams/{foreign.pk}/end/", body, format="json").status_code == 404


def test_a_former_member_opens_the_case_and_question_pages_but_cannot_work(client, w):
    end(w)
    client.force_login(w["colleague"])
    case_url = reverse("cases:detail", args=[w["case"].pk])
    assert client.get(case_url).status_code == 200
    assert client.get(reverse("intake:question_detail", args=[w["loose"].pk])).status_code == 200
    activity = client.get(reverse("cases:activity_create", args=[w["case"].pk]))
    assert activity.status_code == 403
