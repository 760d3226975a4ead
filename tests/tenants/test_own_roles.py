"""Nobody changes their own roles: a municipality admin cannot make themself a
(mandated) loket consultant, give themself a role flag or a mandate, on any
interface (page, API, Django admin); another admin does it. Every change of a
membership, role flag, mandate or access is recorded, with who did it, in an
append-only history shown on the staff page."""

import pytest
from django.db import connection
from django_scopes import scope
from rest_framework.test import APIClient

from apps.core.exceptions import DomainError
from apps.core.models import AppendOnlyError
from apps.teams.models import Membership, Team
from apps.tenants.models import RoleChange
from apps.tenants.services import staff_set_active, staff_update
from tests.conftest import api_key_for, make_person
from tests.factories import MembershipFactory, TeamFactory, UserFactory

F, K = Membership.Function, Team.Kind


@pytest.fixture
def loket(municipality):
    with scope(municipality=municipality):
        return TeamFactory(municipality=municipality, kind=K.LOKET, name="Loket Samenleven")


@pytest.fixture
def second_admin(municipality):
    return make_person(municipality, admin=True)


def staff_of(user, municipality):
    with scope(municipality=municipality):
        return user.staff_memberships.get(municipality=municipality)


def membership_data(staff, team, **extra):
    return {
        "staff_member": staff.pk,
        "team": team.pk,
        "function": "consultant",
        "mandated_laws": ["wmo", "jeugdwet"],
        "is_active": "on",
        **extra,
    }


def memberships_of(user, municipality):
    with scope(municipality=municipality):
        return list(Membership.objects.filter(staff_member__user=user))


def history(staff, municipality):
    with scope(municipality=municipality):
        return list(RoleChange.objects.filter(staff_member=staff).order_by("pk"))


def test_municipality_admin_cannot_make_themself_a_mandated_loket_consultant_on_the_page(
    client, admin_user, municipality, loket
):
    client.force_login(admin_user)
    own = staff_of(admin_user, municipality)
    response = client.post("/beheer/lidmaatschappen/nieuw/", membership_data(own, loket))
    assert response.status_code == 200
    assert "andere functioneel beheerder" in response.content.decode()
    assert memberships_of(admin_user, municipality) == []


def test_municipality_admin_cannot_make_themself_a_loket_consultant_through_the_api(
    admin_user, municipality, loket
):
    _token, key = api_key_for(admin_user, municipality)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    own = staff_of(admin_user, municipality)
    response = api.post(
        "/api/v1/memberships/",
        {
            "staff_member": own.pk,
            "team": loket.pk,
            "function": "consultant",
            "mandated_laws": ["wmo"],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "andere functioneel beheerder" in str(response.json())
    assert memberships_of(admin_user, municipality) == []


def test_municipality_admin_cannot_add_a_mandate_to_their_own_membership(
    client, admin_user, municipality, loket
):
    own = staff_of(admin_user, municipality)
    with scope(municipality=municipality):
        membership = MembershipFactory(
            municipality=municipality,
            staff_member=own,
            team=loket,
            function=F.CONSULTANT,
            mandated_laws=["wmo"],
        )
    client.force_login(admin_user)
    client.post(
        f"/beheer/lidmaatschappen/{membership.pk}/",
        membership_data(own, loket, version=membership.version),
    )
    _token, key = api_key_for(admin_user, municipality)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.patch(
        f"/api/v1/memberships/{membership.pk}/",
        {"mandated_laws": ["wmo", "jeugdwet"], "version": membership.version},
        format="json",
    )
    assert response.status_code == 400
    with scope(municipality=municipality):
        membership.refresh_from_db()
    assert membership.mandated_laws == ["wmo"]


def test_municipality_admin_cannot_change_their_own_role_flags(admin_user, municipality):
    own = staff_of(admin_user, municipality)
    with scope(municipality=municipality), pytest.raises(DomainError, match="andere"):
        staff_update(
            actor=admin_user,
            staff=own,
            is_municipality_admin=True,
            is_policy_advisor=True,
            expected_version=own.version,
        )
    with scope(municipality=municipality):
        own.refresh_from_db()
    assert not own.is_policy_advisor


def test_another_admin_grants_the_mandate_and_it_is_recorded_and_shown(
    client, admin_user, second_admin, municipality, loket
):
    target = staff_of(admin_user, municipality)
    client.force_login(second_admin)
    response = client.post("/beheer/lidmaatschappen/nieuw/", membership_data(target, loket))
    assert response.status_code == 302
    (membership,) = memberships_of(admin_user, municipality)
    assert membership.mandated_laws == ["wmo", "jeugdwet"]
    (change,) = history(target, municipality)
    assert change.by_id == second_admin.pk
    assert change.membership_id == membership.pk
    assert change.changes["mandated_laws"][1]  # the mandate it now holds
    page = client.get(f"/beheer/medewerkers/{target.pk}/").content.decode()
    assert "Wijzigingen in rollen en teams" in page
    assert "Jeugdwet" in page and str(second_admin.full_name) in page


def test_role_flag_and_access_changes_are_recorded_with_who(admin_user, municipality):
    person = make_person(municipality)
    staff = staff_of(person, municipality)
    with scope(municipality=municipality):
        staff_update(
            actor=admin_user,
            staff=staff,
            is_municipality_admin=False,
            is_policy_advisor=True,
            expected_version=staff.version,
        )
        staff_set_active(
            actor=admin_user, staff=staff, is_active=False, expected_version=staff.version
        )
    changes = history(staff, municipality)
    assert [c.by_id for c in changes] == [admin_user.pk, admin_user.pk]
    assert changes[0].changes == {"is_policy_advisor": [False, True]}
    assert changes[1].changes == {"is_active": [True, False]}


def test_the_role_history_is_append_only(admin_user, municipality):
    person = make_person(municipality)
    staff = staff_of(person, municipality)
    with scope(municipality=municipality):
        staff_update(
            actor=admin_user,
            staff=staff,
            is_municipality_admin=False,
            is_policy_advisor=True,
            expected_version=staff.version,
        )
        change = RoleChange.objects.get(staff_member=staff)
        with pytest.raises(AppendOnlyError):
            change.save()
        with pytest.raises(AppendOnlyError):
            change.delete()
        with pytest.raises(AppendOnlyError):
            RoleChange.objects.filter(pk=change.pk).update(by=None)
        with pytest.raises(AppendOnlyError):
            RoleChange.objects.filter(pk=change.pk).delete()
    with connection.cursor() as cursor, pytest.raises(Exception, match="append-only"):
        cursor.execute("UPDATE tenants_rolechange SET by_id = NULL")


def test_platform_admin_cannot_change_their_own_membership_in_the_django_admin(
    client, municipality, loket
):
    platform_admin = make_person(municipality, user=UserFactory(is_superuser=True, is_staff=True))
    own = staff_of(platform_admin, municipality)
    client.force_login(platform_admin)
    response = client.post(
        "/platformbeheer/teams/membership/add/",
        {
            "municipality": municipality.pk,
            "staff_member": own.pk,
            "team": loket.pk,
            "function": "consultant",
            "mandated_laws": '["wmo"]',
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert memberships_of(platform_admin, municipality) == []
    response = client.post(
        f"/platformbeheer/tenants/staffmember/{own.pk}/change/",
        {
            "is_active": "on",
            "is_municipality_admin": "on",
            "full_name": "",
            "loaded_version": own.version,
        },
    )
    with scope(municipality=municipality):
        own.refresh_from_db()
    assert not own.is_municipality_admin


def test_a_platform_admin_change_in_the_django_admin_is_recorded(client, municipality, loket):
    platform_admin = UserFactory(is_superuser=True, is_staff=True)
    person = make_person(municipality)
    staff = staff_of(person, municipality)
    client.force_login(platform_admin)
    response = client.post(
        "/platformbeheer/teams/membership/add/",
        {
            "municipality": municipality.pk,
            "staff_member": staff.pk,
            "team": loket.pk,
            "function": "consultant",
            "mandated_laws": '["wmo"]',
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(
        f"/platformbeheer/tenants/staffmember/{staff.pk}/change/",
        {
            "is_active": "on",
            "is_policy_advisor": "on",
            "full_name": "",
            "loaded_version": staff.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    changes = history(staff, municipality)
    assert [c.by_id for c in changes] == [platform_admin.pk, platform_admin.pk]
    assert changes[1].changes == {"is_policy_advisor": [False, True]}


def test_municipality_admin_sees_why_their_own_roles_page_refuses(client, admin_user, municipality):
    own = staff_of(admin_user, municipality)
    client.force_login(admin_user)
    page = client.get(f"/beheer/medewerkers/{own.pk}/").content.decode()
    assert "Dit bent u zelf" in page
    response = client.post(
        f"/beheer/medewerkers/{own.pk}/",
        {"is_municipality_admin": "on", "is_policy_advisor": "on", "version": own.version},
    )
    assert response.status_code == 200
    assert "andere functioneel beheerder" in response.content.decode()
    with scope(municipality=municipality):
        own.refresh_from_db()
    assert not own.is_policy_advisor
    assert history(own, municipality) == []


def test_an_admin_who_is_a_loket_consultant_cannot_link_themself_to_a_kernteam(
    client, municipality
):
    admin = make_person(municipality, admin=True, memberships=[(K.LOKET, F.CONSULTANT)])
    own = staff_of(admin, municipality)
    client.force_login(admin)
    response = client.post(
        "/beheer/teams/nieuw/",
        {
            "name": "Kernteam Elst",
            "kind": "kernteam",
            "access": "direct",
            "linked_loket_consultant": own.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "andere functioneel beheerder" in response.content.decode()
    with scope(municipality=municipality):
        assert not Team.objects.filter(name="Kernteam Elst").exists()


# --- Team changes: a team's kind, active state and linked consultant are roles too ---


@pytest.fixture
def own_kernteam(municipality):
    """An admin who is a member of a kernteam, and that team."""
    with scope(municipality=municipality):
        team = TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Kernteam Noord")
    admin = make_person(municipality, admin=True, memberships=[(team, F.CONSULTANT)])
    return admin, team


def team_data(team, **extra):
    return {
        "name": team.name,
        "kind": team.kind,
        "access": team.access,
        "is_active": "on" if team.is_active else "",
        "version": team.version,
        **extra,
    }


def reloaded(team, municipality):
    with scope(municipality=municipality):
        return Team.objects.get(pk=team.pk)


def test_admin_cannot_make_their_own_team_a_loket_on_the_page(client, municipality, own_kernteam):
    admin, team = own_kernteam
    client.force_login(admin)
    response = client.post(f"/beheer/teams/{team.pk}/", team_data(team, kind="loket"))
    assert response.status_code == 200
    assert "andere functioneel beheerder" in response.content.decode()
    assert reloaded(team, municipality).kind == K.KERNTEAM
    assert history(staff_of(admin, municipality), municipality) == []


def test_admin_cannot_reactivate_their_own_team_on_the_page(client, municipality, own_kernteam):
    admin, team = own_kernteam
    with scope(municipality=municipality):
        Team.objects.filter(pk=team.pk).update(is_active=False)
        team.refresh_from_db()
    client.force_login(admin)
    response = client.post(f"/beheer/teams/{team.pk}/", team_data(team, is_active="on"))
    assert response.status_code == 200
    assert "andere functioneel beheerder" in response.content.decode()
    assert not reloaded(team, municipality).is_active


def test_admin_can_still_rename_their_own_team(client, municipality, own_kernteam):
    admin, team = own_kernteam
    client.force_login(admin)
    response = client.post(f"/beheer/teams/{team.pk}/", team_data(team, name="Kernteam Zuid"))
    assert response.status_code == 302
    assert reloaded(team, municipality).name == "Kernteam Zuid"


def test_admin_cannot_change_their_own_teams_kind_or_reactivate_it_through_the_api(
    municipality, own_kernteam
):
    admin, team = own_kernteam
    _token, key = api_key_for(admin, municipality)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.patch(
        f"/api/v1/teams/{team.pk}/", {"kind": "loket", "version": team.version}, format="json"
    )
    assert response.status_code == 400
    assert "andere functioneel beheerder" in str(response.json())
    assert reloaded(team, municipality).kind == K.KERNTEAM
    with scope(municipality=municipality):
        Team.objects.filter(pk=team.pk).update(is_active=False)
        team.refresh_from_db()
    response = api.patch(
        f"/api/v1/teams/{team.pk}/", {"is_active": True, "version": team.version}, format="json"
    )
    assert response.status_code == 400
    assert "andere functioneel beheerder" in str(response.json())
    assert not reloaded(team, municipality).is_active


def test_platform_admin_cannot_change_their_own_team_in_the_django_admin(client, municipality):
    with scope(municipality=municipality):
        team = TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Kernteam Oost")
    platform_admin = make_person(
        municipality,
        user=UserFactory(is_superuser=True, is_staff=True),
        memberships=[(team, F.CONSULTANT)],
    )
    client.force_login(platform_admin)
    data = {
        "name": team.name,
        "kind": "loket",
        "access": team.access,
        "is_active": "on",
        "loaded_version": team.version,
    }
    response = client.post(f"/platformbeheer/teams/team/{team.pk}/change/", data)
    assert response.status_code == 200
    assert "andere functioneel beheerder" in response.content.decode()
    assert reloaded(team, municipality).kind == K.KERNTEAM


def test_another_admins_team_change_is_recorded_for_its_members_and_shown(
    client, municipality, own_kernteam, second_admin
):
    admin, team = own_kernteam
    member = staff_of(admin, municipality)
    client.force_login(second_admin)
    response = client.post(f"/beheer/teams/{team.pk}/", team_data(team, kind="loket"))
    assert response.status_code == 302
    assert reloaded(team, municipality).kind == K.LOKET
    (change,) = history(member, municipality)
    assert change.by_id == second_admin.pk
    assert change.changes == {"team_kind": ["kernteam", "loket"]}
    with scope(municipality=municipality):
        assert change.membership.team_id == team.pk
    page = client.get(f"/beheer/medewerkers/{member.pk}/").content.decode()
    assert "soort team" in page and "Kernteam Noord" in page


def test_a_platform_admins_team_change_in_the_django_admin_is_recorded(
    client, municipality, own_kernteam
):
    admin, team = own_kernteam
    member = staff_of(admin, municipality)
    platform_admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(platform_admin)
    response = client.post(
        f"/platformbeheer/teams/team/{team.pk}/change/",
        {
            "name": team.name,
            "kind": team.kind,
            "access": team.access,
            "is_active": "",
            "loaded_version": team.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not reloaded(team, municipality).is_active
    (change,) = history(member, municipality)
    assert change.by_id == platform_admin.pk
    assert change.changes == {"team_is_active": [True, False]}


def test_linking_a_consultant_is_recorded_on_their_staff_page(client, municipality, second_admin):
    consultant = make_person(municipality, memberships=[(K.LOKET, F.CONSULTANT)])
    staff = staff_of(consultant, municipality)
    with scope(municipality=municipality):
        team = TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Kernteam West")
    client.force_login(second_admin)
    response = client.post(
        f"/beheer/teams/{team.pk}/", team_data(team, linked_loket_consultant=staff.pk)
    )
    assert response.status_code == 302
    (change,) = history(staff, municipality)
    assert change.by_id == second_admin.pk
    assert change.changes == {"linked_team": [None, "Kernteam West"]}
    page = client.get(f"/beheer/medewerkers/{staff.pk}/").content.decode()
    assert "Kernteam West" in page
