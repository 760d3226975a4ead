"""What a membership gives (a role, "my teams", a case, a linked team, a mandate)
ends with it: one definition of an active membership of an active person in an
active team (`Membership.objects.active()`). The drift cases: a team that was
deactivated, a person whose access or account was deactivated, and a linked
loket consultant whose loket membership ended — on pages, the API and in the
services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from apps.access.rules import can_view_case, is_case_worker, mandate_for
from apps.cases import services as cases
from apps.cases.models import Activity
from apps.cases.selectors import case_list_qs
from apps.intake import services as intake
from apps.teams.models import Membership, Team
from apps.teams.selectors import start_page_overview
from apps.tenants.permissions import Role, forget_roles, roles_for
from tests.cases.api_world import api_for, build_world, open_case, staff, submitted_proposal
from tests.conftest import make_person

F = Membership.Function


@pytest.fixture
def w(municipality, other_municipality):
    return build_world(municipality, other_municipality)


def end_loket_membership(w, user):
    with scope(municipality=w.municipality):
        Membership.objects.filter(staff_member__user=user, team=w.loket).update(is_active=False)
    forget_roles(user)


def sees_on_every_interface(w, user, case, client) -> bool:
    """Whether the case is visible to `user` in the selector, the list, the page
    and the API; all four must agree."""
    with scope(municipality=w.municipality):
        forget_roles(user)
        in_selector = can_view_case(user, case)
        in_list = case.pk in [c.pk for c in case_list_qs(user, w.municipality)]
    client.force_login(user)
    page = client.get(reverse("cases:detail", args=[case.pk])).status_code
    api = api_for(user, w.municipality).get(f"/api/v1/cases/{case.pk}/").status_code
    seen = {in_selector, in_list, page == 200, api == 200}
    assert len(seen) == 1, (in_selector, in_list, page, api)
    assert page in (200, 404) and api in (200, 404), (page, api)
    return seen.pop()


def test_a_linked_consultant_who_left_the_loket_no_longer_sees_the_team_cases(w, client):
    case = open_case(w)
    consultant = w.consultant
    # Still working in the municipality (now in Kernteam Driel), so case.view
    # stays: only the visibility that came with the loket membership must go.
    with scope(municipality=w.municipality):
        Membership.objects.create(
            municipality=w.municipality,
            staff_member=staff(consultant, w.municipality),
            team=w.driel,
            function=F.TEAM_MEMBER,
        )
    assert sees_on_every_interface(w, consultant, case, client)
    end_loket_membership(w, consultant)
    assert not sees_on_every_interface(w, consultant, case, client)
    with scope(municipality=w.municipality):
        with pytest.raises(PermissionDenied):
            cases.activity_record(
                actor=consultant,
                case=case,
                kind=Activity.Kind.CASE_DISCUSSION,
                date=timezone.localdate(),
            )
        overview = start_page_overview(
            user=consultant,
            municipality=w.municipality,
            roles=roles_for(consultant, w.municipality),
        )
    assert overview["linked_teams"] == []


def test_a_linked_consultant_of_a_deactivated_loket_no_longer_sees_the_team_cases(w, client):
    case = open_case(w)
    with scope(municipality=w.municipality):
        Membership.objects.create(
            municipality=w.municipality,
            staff_member=staff(w.consultant, w.municipality),
            team=w.driel,
            function=F.TEAM_MEMBER,
        )
        Team.objects.filter(pk=w.loket.pk).update(is_active=False)
    assert not sees_on_every_interface(w, w.consultant, case, client)


def test_voorwerk_is_not_assigned_to_a_linked_consultant_who_left_the_loket(w):
    end_loket_membership(w, w.consultant)
    proposal = submitted_proposal(w)
    assert proposal.assigned_consultant is None  # the loket's queue


def test_voorwerk_is_not_assigned_to_a_linked_consultant_whose_account_is_disabled(w):
    w.consultant.is_active = False
    w.consultant.save(update_fields=["is_active"])
    proposal = submitted_proposal(w)
    assert proposal.assigned_consultant is None
    with scope(municipality=w.municipality):
        assert mandate_for(staff(w.consultant, w.municipality), w.municipality, "wmo") is None


def test_a_member_of_a_deactivated_team_no_longer_works_on_its_cases_or_questions(w, client):
    case = open_case(w)  # directed by w.member; the director keeps the case
    member = w.colleague
    # Also in Kernteam Driel: the person keeps the team member role.
    with scope(municipality=w.municipality):
        Membership.objects.create(
            municipality=w.municipality,
            staff_member=staff(member, w.municipality),
            team=w.driel,
            function=F.TEAM_MEMBER,
        )
        assert is_case_worker(member, case)
        Team.objects.filter(pk=w.kernteam.pk).update(is_active=False)
        forget_roles(member)
        assert Role.TEAM_MEMBER in roles_for(member, w.municipality)
        assert not is_case_worker(member, case)
        with pytest.raises(PermissionDenied):
            cases.activity_record(
                actor=member, case=case, kind=Activity.Kind.CONTACT, date=timezone.localdate()
            )
        question = w.question
        question.refresh_from_db()
        with pytest.raises(PermissionDenied):
            intake.question_assign(actor=member, question=question)
    assert not sees_on_every_interface(w, member, case, client)


def test_a_coordinator_of_a_deactivated_team_no_longer_hands_over_its_cases(w):
    case = open_case(w)
    with scope(municipality=w.municipality):
        coordinator = make_person(w.municipality, memberships=[(w.kernteam, F.COORDINATOR)])
        Membership.objects.create(
            municipality=w.municipality,
            staff_member=staff(coordinator, w.municipality),
            team=w.driel,
            function=F.COORDINATOR,
        )
        Team.objects.filter(pk=w.kernteam.pk).update(is_active=False)
        with pytest.raises(PermissionDenied):
            cases.case_hand_over(
                actor=coordinator, case=case, to_director=staff(w.colleague, w.municipality)
            )


def test_the_direction_is_not_handed_to_someone_whose_account_is_disabled(w):
    case = open_case(w)
    w.colleague.is_active = False
    w.colleague.save(update_fields=["is_active"])
    with scope(municipality=w.municipality), pytest.raises(ValidationError) as exc:
        cases.case_hand_over(
            actor=w.member, case=case, to_director=staff(w.colleague, w.municipality)
        )
    assert "to_director" in exc.value.message_dict


def test_a_deactivated_staff_member_loses_every_role_and_case(w, client):
    case = open_case(w)
    api = api_for(w.member, w.municipality)  # issued while they still had access
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    with scope(municipality=w.municipality):
        me = staff(w.member, w.municipality)
        me.is_active = False
        me.save(update_fields=["is_active"])
        forget_roles(w.member)
        assert roles_for(w.member, w.municipality) == frozenset()
        assert not is_case_worker(w.member, case)
    client.force_login(w.member)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    # No access to the municipality any more: sent to "no municipality".
    assert response.status_code == 302 and response["Location"] == reverse("core:no_municipality")
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code in (401, 403)


def test_active_memberships_are_one_definition(w):
    with scope(municipality=w.municipality):
        everyone = set(Membership.objects.active().values_list("pk", flat=True))
        w.member.is_active = False
        w.member.save(update_fields=["is_active"])
        gone_user = set(Membership.objects.active().values_list("pk", flat=True))
        mine = set(
            Membership.objects.filter(staff_member__user=w.member).values_list("pk", flat=True)
        )
        assert gone_user == everyone - mine
        Team.objects.filter(pk=w.loket.pk).update(is_active=False)
        assert not Membership.objects.active().loket_consultants().exists()
