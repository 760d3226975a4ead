"""Who sees a case (docs/permissions.md, case.view): the owning team, the
team's linked loket consultant, the loket once a proposal is submitted, the
director, and colleagues it is shared with (revocable); a policy advisor never,
nor a volunteer or another team."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scope

from apps.access.rules import can_view_case, is_case_worker
from apps.audit.models import AccessLogEntry
from apps.cases.models import CaseUserObjectPermission
from apps.cases.selectors import case_list_qs, visible_cases
from apps.cases.services import case_share, case_unshare
from apps.teams.models import Membership, Team
from apps.tenants.models import StaffMember
from tests.conftest import make_person
from tests.factories import CaseFactory, ProposalFactory, TeamFactory

F, K = Membership.Function, Team.Kind


@pytest.fixture
def teams(municipality):
    with scope(municipality=municipality):
        return {
            "loket": TeamFactory(municipality=municipality, kind=K.LOKET, name="Loket"),
            "elst": TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Elst"),
            "driel": TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Driel"),
        }


def staff_of(user, municipality):
    with scope(municipality=municipality):
        return StaffMember.objects.get(user=user, municipality=municipality)


def a_case(municipality, team, director_user):
    with scope(municipality=municipality):
        return CaseFactory(
            municipality=municipality, team=team, director=staff_of(director_user, municipality)
        )


def sees(user, case):
    with scope(municipality=case.municipality):
        return can_view_case(user, case)


def test_the_owning_team_sees_the_case_and_another_team_does_not(municipality, teams):
    director = make_person(municipality, memberships=[(teams["elst"], F.CASE_DIRECTOR)])
    colleague = make_person(municipality, memberships=[(teams["elst"], F.TEAM_MEMBER)])
    expert = make_person(municipality, memberships=[(teams["elst"], F.BEHAVIOURAL_EXPERT)])
    volunteer = make_person(municipality, memberships=[(teams["elst"], F.VOLUNTEER)])
    other_team = make_person(municipality, memberships=[(teams["driel"], F.TEAM_MEMBER)])
    case = a_case(municipality, teams["elst"], director)
    assert sees(director, case) and sees(colleague, case) and sees(expert, case)
    assert not sees(volunteer, case)
    assert not sees(other_team, case)


def test_a_behavioural_expert_reads_but_does_not_work_on_the_case(municipality, teams):
    director = make_person(municipality, memberships=[(teams["elst"], F.CASE_DIRECTOR)])
    expert = make_person(municipality, memberships=[(teams["elst"], F.BEHAVIOURAL_EXPERT)])
    case = a_case(municipality, teams["elst"], director)
    with scope(municipality=municipality):
        assert is_case_worker(director, case)
        assert not is_case_worker(expert, case)


def test_the_loket_sees_a_team_case_only_once_a_proposal_is_submitted(municipality, teams):
    director = make_person(municipality, memberships=[(teams["elst"], F.CASE_DIRECTOR)])
    consultant = make_person(municipality, memberships=[(teams["loket"], F.CONSULTANT)])
    case = a_case(municipality, teams["elst"], director)
    with scope(municipality=municipality):
        proposal = ProposalFactory(municipality=municipality, case=case)
    assert not sees(consultant, case)
    with scope(municipality=municipality):
        proposal.submitted_at = timezone.now()
        proposal.status = "submitted"
        proposal.save()
    assert sees(consultant, case)


def test_the_linked_loket_consultant_sees_the_cases_of_the_team(municipality, teams):
    director = make_person(municipality, memberships=[(teams["elst"], F.CASE_DIRECTOR)])
    consultant = make_person(municipality, memberships=[(teams["loket"], F.CONSULTANT)])
    with scope(municipality=municipality):
        teams["elst"].linked_loket_consultant = staff_of(consultant, municipality)
        teams["elst"].save()
    case = a_case(municipality, teams["elst"], director)
    assert sees(consultant, case)


def test_a_policy_advisor_never_sees_a_case_even_when_asked_to_share(municipality, teams):
    director = make_person(municipality, memberships=[(teams["elst"], F.CASE_DIRECTOR)])
    advisor = make_person(municipality, policy=True)
    case = a_case(municipality, teams["elst"], director)
    assert not sees(advisor, case)
    with scope(municipality=municipality), pytest.raises(ValidationError) as exc:
        case_share(
            actor=director, case=case, staff_member=staff_of(advisor, municipality), reason="x"
        )
    assert "staff_member" in exc.value.message_dict
    assert not CaseUserObjectPermission.objects.exists()


def test_sharing_gives_read_access_with_a_reason_and_revoking_takes_it_back(municipality, teams):
    director = make_person(municipality, memberships=[(teams["elst"], F.CASE_DIRECTOR)])
    other = make_person(municipality, memberships=[(teams["driel"], F.TEAM_MEMBER)])
    case = a_case(municipality, teams["elst"], director)
    with scope(municipality=municipality):
        grant = case_share(
            actor=director,
            case=case,
            staff_member=staff_of(other, municipality),
            reason="Zelfde gezin bij Driel bekend",
        )
    assert grant.reason == "Zelfde gezin bij Driel bekend"
    assert sees(other, case)
    with scope(municipality=municipality):
        assert not is_case_worker(other, case)  # read access only
        case_unshare(actor=director, case=case, grant=grant)
    assert not sees(other, case)
    with scope(municipality=municipality):
        actions = list(
            AccessLogEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
            .order_by("pk")
            .values_list("action", flat=True)
        )
    assert actions == [AccessLogEntry.Action.SHARE, AccessLogEntry.Action.UNSHARE]


def test_a_colleague_who_is_not_director_or_coordinator_cannot_share(municipality, teams):
    director = make_person(municipality, memberships=[(teams["elst"], F.CASE_DIRECTOR)])
    colleague = make_person(municipality, memberships=[(teams["elst"], F.TEAM_MEMBER)])
    other = make_person(municipality, memberships=[(teams["driel"], F.TEAM_MEMBER)])
    case = a_case(municipality, teams["elst"], director)
    with scope(municipality=municipality), pytest.raises(PermissionDenied):
        case_share(
            actor=colleague, case=case, staff_member=staff_of(other, municipality), reason="x"
        )


def test_sharing_needs_a_reason_and_a_colleague_of_this_municipality(
    municipality, other_municipality, teams
):
    director = make_person(municipality, memberships=[(teams["elst"], F.CASE_DIRECTOR)])
    other = make_person(municipality, memberships=[(teams["driel"], F.TEAM_MEMBER)])
    with scope(municipality=other_municipality):
        elsewhere_team = TeamFactory(municipality=other_municipality, kind=K.KERNTEAM)
    stranger = make_person(other_municipality, memberships=[(elsewhere_team, F.TEAM_MEMBER)])
    case = a_case(municipality, teams["elst"], director)
    with scope(municipality=municipality):
        with pytest.raises(ValidationError) as exc:
            case_share(
                actor=director, case=case, staff_member=staff_of(other, municipality), reason=" "
            )
        assert "reason" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            case_share(
                actor=director,
                case=case,
                staff_member=staff_of(stranger, other_municipality),
                reason="x",
            )
        assert "staff_member" in exc.value.message_dict
    assert not CaseUserObjectPermission.objects.exists()


def test_the_case_list_is_one_query_whatever_the_number_of_cases_and_grants(
    municipality, teams, django_assert_num_queries
):
    director = make_person(municipality, memberships=[(teams["elst"], F.CASE_DIRECTOR)])
    reader = make_person(municipality, memberships=[(teams["driel"], F.TEAM_MEMBER)])
    for _ in range(3):
        a_case(municipality, teams["elst"], director)
    shared = a_case(municipality, teams["elst"], director)
    with scope(municipality=municipality):
        case_share(
            actor=director, case=shared, staff_member=staff_of(reader, municipality), reason="r"
        )
        # roles are looked up once per request and cached on the user
        visible_cases(reader, municipality).exists()
        with django_assert_num_queries(1):
            rows = list(case_list_qs(reader, municipality))
        assert [c.pk for c in rows] == [shared.pk]
        with django_assert_num_queries(1):
            rows = list(case_list_qs(director, municipality).select_related())
            names = [(c.household.name, c.team.name, c.director.user.full_name) for c in rows]
        assert len(names) == 4


def test_cases_of_another_municipality_are_never_visible(municipality, other_municipality, teams):
    director = make_person(municipality, memberships=[(teams["elst"], F.CASE_DIRECTOR)])
    with scope(municipality=other_municipality):
        team_b = TeamFactory(municipality=other_municipality, kind=K.KERNTEAM)
    director_b = make_person(other_municipality, memberships=[(team_b, F.CASE_DIRECTOR)])
    case_b = a_case(other_municipality, team_b, director_b)
    with scope(municipality=municipality):
        assert not visible_cases(director, municipality).filter(pk=case_b.pk).exists()
