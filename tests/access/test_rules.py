"""apps/access: who the user is is read once per request (two queries), and every
object rule answers from it; an ended membership, a deactivated team, person,
account or municipality ends what it gave in every rule alike."""

import pytest
from django.contrib.auth import get_user_model
from django_scopes import scope, scopes_disabled

from apps.access import rules
from apps.teams.models import Membership, Team
from apps.tenants.models import Municipality, StaffMember
from apps.tenants.permissions import Role, forget_roles
from tests.cases.api_world import build_world, open_case, staff, submitted_proposal

F = Membership.Function


@pytest.fixture
def w(municipality, other_municipality):
    return build_world(municipality, other_municipality)


def test_resolving_who_the_user_is_takes_two_queries_and_the_rules_none_more(
    w, django_assert_num_queries
):
    case = open_case(w)
    with scope(municipality=w.municipality):
        forget_roles(w.member)
        forget_roles(w.consultant)
        with django_assert_num_queries(2):
            access = rules.for_user(w.member, w.municipality)
            assert Role.TEAM_MEMBER in access.roles
            assert access.team_ids(rules.HANDLING_FUNCTIONS) == (w.kernteam.pk,)
            assert rules.is_case_worker(w.member, case)
            assert rules.is_member_of(w.member, w.kernteam)
            assert not rules.is_coordinator_of(w.member, w.kernteam)
            assert rules.may_steer_case(w.member, case)  # the director
            assert rules.mandated_laws(w.member, w.municipality) == frozenset()
            assert rules.for_user(w.member, w.municipality) is access
        # A loket consultant: the same two, and one more for their linked teams.
        with django_assert_num_queries(3):
            assert rules.mandated_laws(w.consultant, w.municipality) == {"wmo"}
            assert rules.is_linked_consultant(w.consultant, case)
            assert not rules.is_case_worker(w.consultant, case)
            assert rules.linked_team_ids(w.consultant, w.municipality) == (w.kernteam.pk,)


def test_the_request_has_one_access_object(w, rf):
    request = rf.get("/")
    request.user, request.municipality = w.member, w.municipality
    with scope(municipality=w.municipality):
        assert rules.for_request(request) is rules.for_user(w.member, w.municipality)


def test_forget_roles_drops_the_access_object(w):
    with scope(municipality=w.municipality):
        first = rules.for_user(w.member, w.municipality)
        forget_roles(w.member)
        assert rules.for_user(w.member, w.municipality) is not first


def test_anonymous_and_other_municipality_get_nothing(w, other_municipality):
    from django.contrib.auth.models import AnonymousUser

    case = open_case(w)
    with scope(municipality=w.municipality):
        nobody = rules.for_user(AnonymousUser(), w.municipality)
        assert nobody.roles == frozenset() and nobody.team_ids(rules.VIEWING_FUNCTIONS) == ()
        assert not rules.is_case_worker(AnonymousUser(), case)
        assert not rules.is_case_worker(None, case)
    # The member has no access in the other municipality: no teams there.
    with scope(municipality=other_municipality):
        assert rules.for_user(w.member, other_municipality).roles == frozenset()


def _every_rule(w, case, question):
    """What the member holds through their kernteam membership, rule by rule."""
    user, m = w.member, w.municipality
    return {
        "team_ids": bool(rules.team_ids(user, m, rules.HANDLING_FUNCTIONS)),
        "is_member_of": rules.is_member_of(user, w.kernteam),
        "is_case_worker": rules.is_case_worker(user, case),
        "can_view_case": rules.can_view_case(user, case),
        "can_see_question": rules.can_see_question(user, question),
        "may_open_inbox": rules.may_open_inbox(user, m, w.kernteam),
        "handles_question": rules.handles_question(user, question),
        "is_team_handler": rules.is_team_handler(staff(user, m), w.kernteam),
        "visible_cases": rules.visible_cases(
            user, m, type(case).objects.filter(pk=case.pk)
        ).exists(),
    }


def _end_membership(w):
    Membership.objects.filter(staff_member__user=w.member, team=w.kernteam).update(is_active=False)


def _end_team(w):
    Team.objects.filter(pk=w.kernteam.pk).update(is_active=False)


def _end_staff(w):
    StaffMember.objects.filter(user=w.member, municipality=w.municipality).update(is_active=False)


def _end_account(w):
    get_user_model().objects.filter(pk=w.member.pk).update(is_active=False)
    w.member.is_active = False


def _end_municipality(w):
    with scopes_disabled():
        Municipality.objects.filter(pk=w.municipality.pk).update(is_active=False)
    w.municipality.is_active = False


@pytest.mark.parametrize(
    "end", [_end_membership, _end_team, _end_staff, _end_account, _end_municipality]
)
def test_every_rule_ends_alike_with_the_membership_team_person_account_or_municipality(w, end):
    with scope(municipality=w.municipality):
        # Started by a colleague, so the member is not the director (that would
        # remain a fact of the case, not of a membership).
        case = open_case(w, actor=w.colleague)
        question = w.question
        forget_roles(w.member)
        before = _every_rule(w, case, question)
        assert set(before.values()) == {True}, before
        end(w)
        forget_roles(w.member)
        after = _every_rule(w, case, question)
        assert set(after.values()) == {False}, after


def test_the_mandate_ends_with_the_municipality_as_the_role_does(w):
    with scope(municipality=w.municipality):
        consultant = staff(w.consultant, w.municipality)
        assert rules.mandate_for(consultant, w.municipality, "wmo") is not None
        _end_municipality(w)
        forget_roles(w.consultant)
        assert rules.mandate_for(consultant, w.municipality, "wmo") is None
        assert rules.mandated_laws(w.consultant, w.municipality) == frozenset()


def test_the_loket_sees_a_proposal_once_offered(w):
    proposal = submitted_proposal(w)
    assert rules.reviewable_by_loket(proposal)
    proposal.status, proposal.submitted_at = proposal.Status.DRAFT, None
    assert not rules.reviewable_by_loket(proposal)
