"""Shell partners (schil, #19 part 4; seed 004): not core members. They see and
work only on the cases of their team they were asked to join (by the director
or the team's coordinator), never the team's inbox, questions or caseload.
Services, rules, pages and API, for every role, with the unhappy paths."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from apps.access import rules
from apps.audit.models import AccessLogEntry
from apps.cases import services
from apps.cases.models import Activity, CaseJoin
from apps.cases.selectors import visible_cases
from apps.core.exceptions import DomainError
from apps.intake.selectors import visible_questions
from apps.teams.models import Membership, Team
from apps.tenants.models import StaffMember
from apps.tenants.permissions import Role, roles_for
from tests.conftest import api_key_for, make_person
from tests.factories import CaseFactory, QuestionFactory, TeamFactory

F, K = Membership.Function, Team.Kind


def staff(user, municipality):
    with scopes_disabled():
        return StaffMember.objects.get(user=user, municipality=municipality)


@pytest.fixture
def w(municipality):
    """Kernteam Elst with a director, a colleague, a coordinator and two shell
    partners (the school, the GP); a shell partner of Zetten; the loket; the
    admin; two cases of Elst (the director's) and an open question of Elst."""
    with scope(municipality=municipality):
        loket = TeamFactory(municipality=municipality, kind=K.LOKET, name="Loket")
        elst = TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Elst")
        zetten = TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Zetten")
    director = make_person(municipality, memberships=[(elst, F.CASE_DIRECTOR)])
    colleague = make_person(municipality, memberships=[(elst, F.TEAM_MEMBER)])
    coordinator = make_person(municipality, memberships=[(elst, F.COORDINATOR)])
    school = make_person(municipality, memberships=[(elst, F.SHELL_PARTNER)])
    gp = make_person(municipality, memberships=[(elst, F.SHELL_PARTNER)])
    zetten_shell = make_person(municipality, memberships=[(zetten, F.SHELL_PARTNER)])
    consultant = make_person(municipality, memberships=[(loket, F.CONSULTANT)])
    admin = make_person(municipality, admin=True)
    with scope(municipality=municipality):
        question = QuestionFactory(municipality=municipality, team=elst, laws=["wmo"])
        case = services.case_open(actor=director, question=question)
        other_case = CaseFactory(
            municipality=municipality, team=elst, director=staff(director, municipality)
        )
        inbox_question = QuestionFactory(municipality=municipality, team=elst, laws=["wmo"])
        yield {
            "municipality": municipality,
            "elst": elst,
            "zetten": zetten,
            "director": director,
            "colleague": colleague,
            "coordinator": coordinator,
            "school": school,
            "gp": gp,
            "zetten_shell": zetten_shell,
            "consultant": consultant,
            "admin": admin,
            "case": case,
            "other_case": other_case,
            "inbox_question": inbox_question,
        }


def join(w, actor=None, who="school", **kwargs):
    args = {
        "actor": actor or w["director"],
        "case": w["case"],
        "staff_member": staff(w[who], w["municipality"]),
        "reason": "Zorgen op school over de jongste.",
    }
    return services.case_join(**{**args, **kwargs})


def record_activity(user, case):
    return services.activity_record(
        actor=user, case=case, kind="contact", date=timezone.localdate(), note="Gesprek op school"
    )


# --- the role ----------------------------------------------------------------------------


def test_a_shell_partner_has_the_shell_role_only_and_no_team(w):
    municipality = w["municipality"]
    assert roles_for(w["school"], municipality) == {Role.STAFF, Role.SHELL_PARTNER}
    assert rules.team_ids(w["school"], municipality, rules.VIEWING_FUNCTIONS) == ()
    assert not rules.is_member_of(w["school"], w["elst"])
    assert not rules.may_open_inbox(w["school"], municipality, w["elst"])
    assert not rules.is_team_handler(staff(w["school"], municipality), w["elst"])


# --- asking to join ----------------------------------------------------------------------


def test_the_director_asks_a_shell_partner_to_join_who_then_works_on_that_case_only(w):
    municipality = w["municipality"]
    joined = join(w)
    assert joined.asked_by == staff(w["director"], municipality)
    assert joined.reason.startswith("Zorgen") and joined.revoked_at is None
    assert AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.SHARE, object_type="cases.case", object_id=str(w["case"].pk)
    ).exists()
    school = w["school"]
    assert list(visible_cases(school, municipality).values_list("pk", flat=True)) == [w["case"].pk]
    assert rules.is_case_worker(school, w["case"])
    assert not rules.is_case_worker(school, w["other_case"])
    activity = record_activity(school, w["case"])
    assert Activity.objects.filter(pk=activity.pk, case=w["case"]).exists()
    with pytest.raises(PermissionDenied):
        record_activity(school, w["other_case"])
    # The other shell partner of the team was not asked: nothing.
    assert not visible_cases(w["gp"], municipality).exists()
    assert not rules.is_case_worker(w["gp"], w["case"])


def test_a_shell_partner_never_sees_the_inbox_or_questions_of_the_team(w):
    join(w)
    questions = visible_questions(w["school"], w["municipality"])
    assert not questions.filter(pk=w["inbox_question"].pk).exists()
    assert not rules.may_steer_case(w["school"], w["case"])


def test_the_coordinator_may_ask_too(w):
    join(w, actor=w["coordinator"], who="gp")
    assert rules.is_case_worker(w["gp"], w["case"])


@pytest.mark.parametrize("who", ["colleague", "school", "consultant", "admin", "zetten_shell"])
def test_only_the_director_or_coordinator_asks(w, who):
    with pytest.raises(PermissionDenied):
        join(w, actor=w[who], who="gp")
    assert not CaseJoin.objects.exists()


@pytest.mark.parametrize(
    "who, field",
    [
        ("zetten_shell", "staff_member"),  # a shell partner of another team
        ("colleague", "staff_member"),  # a core member is no shell partner
        ("foreign", "staff_member"),
    ],
)
def test_asking_someone_who_is_no_shell_partner_of_the_team_names_the_field(
    w, other_municipality, who, field
):
    if who == "foreign":
        user = make_person(other_municipality)
        target = staff(user, other_municipality)
    else:
        target = staff(w[who], w["municipality"])
    with pytest.raises(ValidationError) as error:
        join(w, staff_member=target)
    assert field in error.value.message_dict
    assert not CaseJoin.objects.exists()


def test_asking_without_a_reason_or_twice_names_the_field(w):
    with pytest.raises(ValidationError) as error:
        join(w, reason="  ")
    assert "reason" in error.value.message_dict
    assert not CaseJoin.objects.exists()
    join(w)
    with pytest.raises(ValidationError) as error:
        join(w)
    assert "staff_member" in error.value.message_dict
    assert CaseJoin.objects.count() == 1


def test_revoking_ends_the_work_and_keeps_the_record(w):
    municipality = w["municipality"]
    joined = join(w)
    revoked = services.case_join_revoke(actor=w["director"], case=w["case"], join=joined)
    assert revoked.revoked_at is not None
    assert revoked.revoked_by == staff(w["director"], municipality)
    school = w["school"]
    school.__dict__.pop("_municipality_roles", None)
    assert not visible_cases(school, municipality).exists()
    assert not rules.is_case_worker(school, w["case"])
    with pytest.raises(DomainError):
        services.case_join_revoke(actor=w["director"], case=w["case"], join=joined)
    with pytest.raises(PermissionDenied):
        services.case_join_revoke(actor=w["colleague"], case=w["case"], join=joined)
    # Asked again later: a new record beside the old one.
    join(w)
    assert CaseJoin.objects.filter(case=w["case"]).count() == 2


def test_a_shell_partner_whose_membership_ended_loses_the_case(w):
    join(w)
    with scopes_disabled():
        Membership.objects.filter(staff_member__user=w["school"]).update(is_active=False)
    w["school"].__dict__.pop("_municipality_roles", None)
    assert not visible_cases(w["school"], w["municipality"]).exists()


# --- pages --------------------------------------------------------------------------------


def test_the_join_page_asks_and_the_case_page_shows_and_revokes(client, w):
    client.force_login(w["director"])
    url = reverse("cases:join", args=[w["case"].pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert w["school"].full_name in html and w["zetten_shell"].full_name not in html
    assert w["colleague"].full_name not in html
    response = client.post(
        url, {"staff_member": staff(w["school"], w["municipality"]).pk, "reason": "School"}
    )
    assert response.status_code == 302
    joined = CaseJoin.objects.get()
    detail = client.get(reverse("cases:detail", args=[w["case"].pk])).content.decode()
    assert "Schilpartners bij deze casus" in detail and w["school"].full_name in detail
    response = client.post(reverse("cases:join_revoke", args=[w["case"].pk]), {"join": joined.pk})
    assert response.status_code == 302
    joined.refresh_from_db()
    assert joined.revoked_at is not None


def test_the_join_page_names_a_bad_field(client, w):
    client.force_login(w["director"])
    response = client.post(
        reverse("cases:join", args=[w["case"].pk]),
        {"staff_member": staff(w["school"], w["municipality"]).pk, "reason": ""},
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not CaseJoin.objects.exists()


@pytest.mark.parametrize("who", ["colleague", "school"])
def test_the_join_page_is_for_the_director_and_coordinator(client, w, who):
    join(w)
    client.force_login(w[who])
    assert client.get(reverse("cases:join", args=[w["case"].pk])).status_code == 403


def test_a_joined_shell_partner_opens_and_works_on_the_case_and_nothing_else(client, w):
    join(w)
    client.force_login(w["school"])
    assert client.get(reverse("cases:detail", args=[w["case"].pk])).status_code == 200
    response = client.post(
        reverse("cases:activity_create", args=[w["case"].pk]),
        {"kind": "contact", "date": timezone.localdate().isoformat(), "note": "Op school"},
    )
    assert response.status_code == 302
    assert Activity.objects.filter(case=w["case"]).exists()
    # Another case of the team: 404; the inbox and questions: no role.
    assert client.get(reverse("cases:detail", args=[w["other_case"].pk])).status_code == 404
    inbox = client.get(reverse("intake:question_detail", args=[w["inbox_question"].pk]))
    assert inbox.status_code == 403
    listing = client.get(reverse("cases:list"), {"scope": "all"})
    assert listing.status_code == 200
    shown = list(listing.context["cases"])
    assert w["case"] in shown and w["other_case"] not in shown


def test_the_case_list_of_a_shell_partner_has_a_fixed_number_of_queries(
    client, w, django_assert_max_num_queries
):
    join(w)
    for _ in range(3):
        case = CaseFactory(
            municipality=w["municipality"],
            team=w["elst"],
            director=staff(w["director"], w["municipality"]),
        )
        join(w, case=case)
    client.force_login(w["school"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("cases:list"), {"scope": "all"})
    assert response.status_code == 200


# --- API ----------------------------------------------------------------------------------


def api_for(user, municipality):
    _, key = api_key_for(user, municipality)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_the_api_asks_and_revokes_and_the_shell_partner_sees_only_that_case(w):
    municipality = w["municipality"]
    api = api_for(w["director"], municipality)
    url = f"/api/v1/cases/{w['case'].pk}/"
    school_staff = staff(w["school"], municipality)
    response = api.post(
        url + "join/", {"staff_member": school_staff.pk, "reason": "School"}, format="json"
    )
    assert response.status_code == 201, response.content
    join_id = response.json()["id"]
    school_api = api_for(w["school"], municipality)
    ids = [c["id"] for c in school_api.get("/api/v1/cases/").json()["results"]]
    assert ids == [w["case"].pk]
    assert school_api.get(f"/api/v1/cases/{w['other_case'].pk}/").status_code == 404
    assert school_api.get("/api/v1/questions/").status_code == 403
    revoked = api.post(url + "join-revoke/", {"join": join_id}, format="json")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]


def test_the_api_names_a_bad_field_and_refuses_others(w, other_municipality):
    municipality = w["municipality"]
    api = api_for(w["director"], municipality)
    url = f"/api/v1/cases/{w['case'].pk}/join/"
    bad = api.post(
        url, {"staff_member": staff(w["colleague"], municipality).pk, "reason": "X"}, format="json"
    )
    assert bad.status_code == 400 and "staff_member" in bad.json()
    colleague_api = api_for(w["colleague"], municipality)
    body = {"staff_member": staff(w["school"], municipality).pk, "reason": "X"}
    assert colleague_api.post(url, body, format="json").status_code == 403
    with scope(municipality=other_municipality):
        foreign = CaseFactory(municipality=other_municipality)
    assert api.post(f"/api/v1/cases/{foreign.pk}/join/", body, format="json").status_code == 404
    assert not CaseJoin.objects.exists()
