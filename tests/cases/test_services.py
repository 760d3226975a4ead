"""The rules of cases, in the services every page and endpoint calls."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scope

from apps.cases import services
from apps.cases.models import (
    Activity,
    Assessment,
    Case,
    DirectorChange,
    FollowUp,
    Solution,
    SupportPlan,
)
from apps.core.exceptions import ConcurrentEditError, DomainError
from apps.intake.models import Question
from apps.teams.models import Membership, Team
from apps.tenants.models import StaffMember
from tests.conftest import make_person
from tests.factories import (
    LifeDomainFactory,
    ProposalFactory,
    QuestionFactory,
    ResidentFactory,
    TeamFactory,
)

F, K = Membership.Function, Team.Kind
TODAY = timezone.localdate


@pytest.fixture
def w(municipality):
    """A kernteam with a director and a colleague, a loket consultant, a question."""
    with scope(municipality=municipality):
        loket = TeamFactory(municipality=municipality, kind=K.LOKET, name="Loket")
        elst = TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Elst")
        driel = TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Driel")
    director = make_person(municipality, memberships=[(elst, F.CASE_DIRECTOR)])
    colleague = make_person(municipality, memberships=[(elst, F.TEAM_MEMBER)])
    coordinator = make_person(municipality, memberships=[(elst, F.COORDINATOR)])
    outsider = make_person(municipality, memberships=[(driel, F.TEAM_MEMBER)])
    consultant = make_person(municipality, memberships=[(loket, F.CONSULTANT)])
    with scope(municipality=municipality):
        question = QuestionFactory(municipality=municipality, team=elst, laws=["wmo"])
        domains = [LifeDomainFactory(municipality=municipality, position=i) for i in range(3)]
    ctx = {
        "municipality": municipality,
        "loket": loket,
        "elst": elst,
        "director": director,
        "colleague": colleague,
        "coordinator": coordinator,
        "outsider": outsider,
        "consultant": consultant,
        "question": question,
        "domains": domains,
    }
    with scope(municipality=municipality):
        yield ctx


def staff(user, municipality):
    return StaffMember.objects.get(user=user, municipality=municipality)


def opened(w):
    return services.case_open(actor=w["director"], question=w["question"])


# --- opening -------------------------------------------------------------------------


def test_opening_a_case_starts_a_household_makes_the_actor_director_and_links_the_question(w):
    case = opened(w)
    question = Question.objects.get(pk=w["question"].pk)
    assert question.case == case and question.status == Question.Status.IN_PROGRESS
    assert case.household == question.resident.household is not None
    assert case.director.user == w["director"] and case.team == w["elst"]
    assert DirectorChange.objects.filter(case=case, from_director=None).count() == 1


def test_a_question_becomes_one_case_only(w):
    opened(w)
    with pytest.raises(DomainError, match="hoort al bij"):
        services.case_open(actor=w["colleague"], question=w["question"])
    assert Case.objects.count() == 1


def test_a_member_of_another_team_cannot_open_a_case_on_the_question(w):
    with pytest.raises(PermissionDenied):
        services.case_open(actor=w["outsider"], question=w["question"])
    assert not Case.objects.exists()


def test_another_question_of_the_household_joins_the_case_but_not_a_stranger(w):
    case = opened(w)
    household_member = ResidentFactory(
        municipality=w["municipality"], household=case.household, household_relation="partner"
    )
    second = QuestionFactory(
        municipality=w["municipality"], team=w["elst"], resident=household_member
    )
    services.case_add_question(actor=w["director"], case=case, question=second)
    assert Question.objects.get(pk=second.pk).case == case
    stranger = QuestionFactory(municipality=w["municipality"], team=w["elst"])
    with pytest.raises(ValidationError):
        services.case_add_question(actor=w["director"], case=case, question=stranger)
    assert Question.objects.get(pk=stranger.pk).case is None


# --- direction -----------------------------------------------------------------------


def test_the_director_hands_over_to_a_colleague_and_it_is_recorded(w):
    case = opened(w)
    colleague = staff(w["colleague"], w["municipality"])
    case = services.case_hand_over(
        actor=w["director"], case=case, to_director=colleague, reason="Verlof"
    )
    assert case.director == colleague
    change = DirectorChange.objects.filter(case=case).order_by("-pk").first()
    assert change.from_director.user == w["director"] and change.reason == "Verlof"


def test_direction_goes_only_to_a_member_of_the_team_and_only_by_director_or_coordinator(w):
    case = opened(w)
    with pytest.raises(ValidationError):
        services.case_hand_over(
            actor=w["director"], case=case, to_director=staff(w["outsider"], w["municipality"])
        )
    with pytest.raises(PermissionDenied):
        services.case_hand_over(
            actor=w["colleague"], case=case, to_director=staff(w["colleague"], w["municipality"])
        )
    case = services.case_hand_over(
        actor=w["coordinator"], case=case, to_director=staff(w["colleague"], w["municipality"])
    )
    assert case.director.user == w["colleague"]


def test_a_stale_handover_names_who_changed_the_case(w):
    case = opened(w)
    stale_version = case.version
    services.case_update(actor=w["colleague"], case=case, title="Nieuw", expected_version=None)
    with pytest.raises(ConcurrentEditError) as exc:
        services.case_hand_over(
            actor=w["director"],
            case=case,
            to_director=staff(w["colleague"], w["municipality"]),
            expected_version=stale_version,
        )
    name = staff(w["colleague"], w["municipality"]).user.full_name
    assert name in str(exc.value.message)
    assert Case.objects.get(pk=case.pk).director.user == w["director"]


# --- closing and follow-up ---------------------------------------------------------------


def test_closing_with_check_ins_puts_the_case_in_follow_up_until_the_last_is_done(w):
    case = opened(w)
    dates = [TODAY() + timedelta(weeks=6), TODAY() + timedelta(weeks=12)]
    case = services.case_close(
        actor=w["director"], case=case, note="Goed afgerond", follow_up_dates=dates
    )
    assert case.status == Case.Status.FOLLOW_UP and case.closed_on == TODAY()
    first, second = FollowUp.objects.filter(case=case).order_by("due_on")
    services.follow_up_record(actor=w["colleague"], follow_up=first, outcome="Gaat goed")
    assert Case.objects.get(pk=case.pk).status == Case.Status.FOLLOW_UP
    services.follow_up_record(actor=w["colleague"], follow_up=second, outcome="Nog steeds goed")
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED


def test_closing_needs_a_note_and_check_ins_after_the_closing_date(w):
    case = opened(w)
    with pytest.raises(ValidationError) as exc:
        services.case_close(
            actor=w["director"], case=case, note="", follow_up_dates=[TODAY() - timedelta(days=1)]
        )
    assert set(exc.value.message_dict) == {"note", "follow_up_dates"}
    assert Case.objects.get(pk=case.pk).status == Case.Status.OPEN
    assert not FollowUp.objects.exists()


def test_a_case_with_a_proposal_at_the_loket_cannot_close(w):
    case = opened(w)
    ProposalFactory(municipality=w["municipality"], case=case, status="submitted")
    with pytest.raises(DomainError, match="loket"):
        services.case_close(actor=w["director"], case=case, note="klaar")
    assert not Case.objects.get(pk=case.pk).is_closed


def test_a_closed_case_takes_no_new_plan_until_reopened(w):
    case = services.case_close(actor=w["director"], case=opened(w), note="klaar")
    with pytest.raises(DomainError):
        services.plan_start(actor=w["director"], case=case)
    case = services.case_reopen(actor=w["director"], case=case)
    assert services.plan_start(actor=w["director"], case=case).number == 1


# --- activities ----------------------------------------------------------------------


def test_a_home_visit_of_a_loket_consultant_and_a_team_member_is_joint(w):
    case = opened(w)
    people = StaffMember.objects.filter(user__in=[w["director"], w["consultant"]])
    visit = services.activity_record(
        actor=w["director"],
        case=case,
        kind=Activity.Kind.HOME_VISIT,
        date=TODAY(),
        participants=list(people),
    )
    assert visit.is_joint and visit.joint_laws == ["wmo"]
    alone = services.activity_record(
        actor=w["director"],
        case=case,
        kind=Activity.Kind.HOME_VISIT,
        date=TODAY(),
        participants=[staff(w["director"], w["municipality"])],
    )
    assert not alone.is_joint
    talk = services.activity_record(
        actor=w["director"],
        case=case,
        kind=Activity.Kind.KITCHEN_TABLE,
        date=TODAY(),
        participants=list(people),
    )
    assert not talk.is_joint


def test_an_activity_in_the_future_or_with_people_of_another_municipality_is_refused(
    w, other_municipality
):
    case = opened(w)
    with pytest.raises(ValidationError) as exc:
        services.activity_record(
            actor=w["director"],
            case=case,
            kind=Activity.Kind.CONTACT,
            date=TODAY() + timedelta(days=1),
        )
    assert "date" in exc.value.message_dict
    stranger = make_person(other_municipality)
    with scope(municipality=other_municipality):
        stranger_staff = staff(stranger, other_municipality)
    with pytest.raises(ValidationError):
        services.activity_record(
            actor=w["director"],
            case=case,
            kind=Activity.Kind.CONTACT,
            date=TODAY(),
            participants=[stranger_staff],
        )
    assert not Activity.objects.exists()


# --- self-sufficiency matrix ---------------------------------------------------------------


def test_an_assessment_scores_each_life_domain_one_to_five(w):
    case = opened(w)
    a, b, c = w["domains"]
    assessment = services.assessment_record(
        actor=w["director"], case=case, assessed_on=TODAY(), scores={a: 1, b: "5", c: ""}
    )
    assert dict(assessment.scores.values_list("life_domain_id", "score")) == {a.pk: 1, b.pk: 5}


@pytest.mark.parametrize("bad", [0, 6, "3.5", "drie", -1])
def test_a_score_outside_one_to_five_saves_nothing(w, bad):
    case = opened(w)
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(
            actor=w["director"], case=case, assessed_on=TODAY(), scores={w["domains"][0]: bad}
        )
    assert "scores" in exc.value.message_dict
    assert not Assessment.objects.exists()


def test_an_assessment_needs_a_score_and_life_domains_of_this_municipality(w, other_municipality):
    case = opened(w)
    with pytest.raises(ValidationError):
        services.assessment_record(actor=w["director"], case=case, assessed_on=TODAY(), scores={})
    with scope(municipality=other_municipality):
        foreign = LifeDomainFactory(municipality=other_municipality)
    with pytest.raises(ValidationError):
        services.assessment_record(
            actor=w["director"], case=case, assessed_on=TODAY(), scores={foreign.pk: 3}
        )
    assert not Assessment.objects.exists()


# --- the support plan ----------------------------------------------------------------------


def test_an_agreed_plan_is_frozen_and_a_new_version_copies_it(w):
    case = opened(w)
    plan = services.plan_start(actor=w["director"], case=case)
    goal = services.goal_add(
        actor=w["director"], plan=plan, life_domain=w["domains"][0], description="Schoon huis"
    )
    services.solution_add(
        actor=w["director"], goal=goal, level=Solution.Level.NETWORK, description="Dochter"
    )
    services.plan_agree(actor=w["director"], plan=plan, agreed_on=TODAY())
    with pytest.raises(DomainError, match="nieuwe versie"):
        services.goal_add(
            actor=w["director"], plan=plan, life_domain=w["domains"][1], description="Meer"
        )
    second = services.plan_start(actor=w["director"], case=case)
    assert second.number == 2 and second.is_draft
    assert [g.description for g in second.goals.all()] == ["Schoon huis"]
    assert second.goals.get().solutions.get().description == "Dochter"
    services.plan_agree(actor=w["director"], plan=second, agreed_on=TODAY())
    statuses = dict(SupportPlan.objects.filter(case=case).values_list("number", "status"))
    assert statuses == {1: SupportPlan.Status.SUPERSEDED, 2: SupportPlan.Status.AGREED}


def test_a_plan_without_goals_cannot_be_agreed(w):
    plan = services.plan_start(actor=w["director"], case=opened(w))
    with pytest.raises(ValidationError):
        services.plan_agree(actor=w["director"], plan=plan, agreed_on=TODAY())
    assert SupportPlan.objects.get(pk=plan.pk).is_draft


def test_two_editors_of_one_plan_the_second_hears_who_changed_it(w):
    plan = services.plan_start(actor=w["director"], case=opened(w))
    loaded = plan.version
    services.plan_update(
        actor=w["colleague"], plan=plan, summary="Versie van collega", expected_version=loaded
    )
    with pytest.raises(ConcurrentEditError) as exc:
        services.plan_update(
            actor=w["director"], plan=plan, summary="Mijn versie", expected_version=loaded
        )
    assert staff(w["colleague"], w["municipality"]).user.full_name in str(exc.value.message)
    assert SupportPlan.objects.get(pk=plan.pk).summary == "Versie van collega"


def test_someone_outside_the_team_cannot_write_the_plan(w):
    case = opened(w)
    with pytest.raises(PermissionDenied):
        services.plan_start(actor=w["outsider"], case=case)
    assert not SupportPlan.objects.exists()


# --- after the review ------------------------------------------------------------------------


def test_a_household_has_one_open_case(w):
    case = opened(w)
    partner = ResidentFactory(
        municipality=w["municipality"], household=case.household, household_relation="partner"
    )
    second = QuestionFactory(municipality=w["municipality"], team=w["elst"], resident=partner)
    with pytest.raises(DomainError, match="al een open casus"):
        services.case_open(actor=w["colleague"], question=second)
    assert Case.objects.count() == 1


def test_a_question_of_the_household_at_another_team_joins_only_after_a_forward(w):
    case = opened(w)
    at_loket = QuestionFactory(
        municipality=w["municipality"], team=w["loket"], resident=case.resident
    )
    with pytest.raises(ValidationError):
        services.case_add_question(actor=w["director"], case=case, question=at_loket)
    at_loket.refresh_from_db()
    assert at_loket.case is None and at_loket.assigned_to is None


def test_the_linked_consultant_records_a_visit_but_does_not_write_the_plan(w):
    w["elst"].linked_loket_consultant = staff(w["consultant"], w["municipality"])
    w["elst"].save()
    case = opened(w)
    case.team.refresh_from_db()
    visit = services.activity_record(
        actor=w["consultant"], case=case, kind=Activity.Kind.CASE_DISCUSSION, date=TODAY()
    )
    assert visit.recorded_by.user == w["consultant"]
    with pytest.raises(PermissionDenied):
        services.plan_start(actor=w["consultant"], case=case)
