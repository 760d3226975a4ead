"""log_access keeps who the user was at the time: roles and team memberships as
text, so an entry reads the same after someone changes teams or leaves."""

import pytest
from django_scopes import scope

from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.teams.models import Membership, Team
from apps.tenants.permissions import forget_roles
from tests.conftest import make_person
from tests.factories import OrganisationFactory, ResidentFactory, TeamFactory

F, K = Membership.Function, Team.Kind
pytestmark = pytest.mark.django_db


def test_the_role_at_the_time_stays_with_the_entry(municipality, django_assert_num_queries):
    with scope(municipality=municipality):
        mee = OrganisationFactory(municipality=municipality, name="MEE")
        team = TeamFactory(municipality=municipality, name="Sociaal Team", kind=K.SOCIAL_TEAM)
        resident = ResidentFactory(municipality=municipality)
    user = make_person(municipality, admin=True, memberships=[(team, F.COORDINATOR)])
    with scope(municipality=municipality):
        Membership.objects.filter(staff_member__user=user).update(organisation=mee)
        first = log_access(municipality=municipality, user=user, action="view", obj=resident)
        # A second entry in the same request reads nothing again: only the insert.
        with django_assert_num_queries(1):
            log_access(municipality=municipality, user=user, action="view", obj=resident)
        assert first.acted_as == {
            "roles": ["coordinator", "municipality_admin", "team_member"],
            "memberships": [
                {
                    "team": "Sociaal Team",
                    "team_kind": "social_team",
                    "function": "coordinator",
                    "organisation": "MEE",
                }
            ],
        }
        # The person leaves the team and the team is renamed: the entry still says
        # what was true then, and new entries say what is true now.
        Membership.objects.filter(staff_member__user=user).update(is_active=False)
        Team.objects.filter(pk=team.pk).update(name="Anders genoemd")
        forget_roles(user)
        later = log_access(municipality=municipality, user=user, action="view", obj=resident)
        assert later.acted_as == {"roles": ["municipality_admin"], "memberships": []}
        stored = AccessLogEntry.objects.get(pk=first.pk)
        assert stored.acted_as["memberships"][0]["team"] == "Sociaal Team"


def test_the_system_acts_as_no_one(municipality):
    with scope(municipality=municipality):
        entry = log_access(municipality=municipality, action="view", object_type="x")
    assert (entry.user, entry.user_label, entry.acted_as, entry.channel) == (
        None,
        "systeem",
        {},
        "system",
    )


def test_memberships_elsewhere_do_not_count(municipality, other_municipality):
    user = make_person(municipality)
    make_person(other_municipality, user=user, memberships=[(K.LOKET, F.CONSULTANT)])
    with scope(municipality=municipality):
        entry = log_access(municipality=municipality, user=user, action="view", object_type="x")
    assert entry.acted_as == {"roles": [], "memberships": []}


def test_the_label_is_dutch_whatever_language_the_reader_chose(municipality):
    """The log is the municipality's record: a person working in English
    writes the same labels as a colleague working in Dutch."""
    from django.utils import translation

    from tests.factories import CaseFactory

    person = make_person(municipality)
    with scope(municipality=municipality):
        case = CaseFactory(municipality=municipality)
        with translation.override("en"):
            assert str(case).startswith("Case")  # what the English page shows
            entry = log_access(action="view", obj=case, user=person, municipality=municipality)
    assert entry.object_label == f"Casus {case.pk}"
