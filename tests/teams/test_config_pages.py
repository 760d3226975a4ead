import pytest
from django_scopes import scope

from apps.teams.models import Area, Membership, Organisation, Team
from tests.conftest import make_person
from tests.factories import AreaFactory, MembershipFactory, OrganisationFactory, TeamFactory

F, K = Membership.Function, Team.Kind


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_admin_creates_a_kernteam_with_areas_and_a_linked_loket_consultant(
    admin_client, municipality
):
    consultant = make_person(municipality, memberships=[(K.LOKET, F.CONSULTANT)])
    with scope(municipality=municipality):
        elst = AreaFactory(municipality=municipality, name="Elst")
        stuw = OrganisationFactory(municipality=municipality, name="STUW")
        staff = consultant.staff_memberships.get()
    response = admin_client.post(
        "/beheer/teams/nieuw/",
        {
            "name": "Kernteam Elst",
            "kind": "kernteam",
            "access": "direct",
            "areas": [elst.pk],
            "run_by": stuw.pk,
            "linked_loket_consultant": staff.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    with scope(municipality=municipality):
        team = Team.objects.get(name="Kernteam Elst")
        assert team.municipality == municipality
        assert list(team.areas.all()) == [elst]
        assert team.linked_loket_consultant == staff
    assert "Kernteam Elst" in admin_client.get("/teams/").content.decode()


def test_missing_fields_give_a_message_per_field_and_save_nothing(admin_client, municipality):
    response = admin_client.post("/beheer/teams/nieuw/", {"name": "", "kind": ""})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"name", "kind"}
    body = response.content.decode()
    assert 'id="error-summary"' in body and 'href="#id_name"' in body
    assert 'aria-invalid="true"' in body
    with scope(municipality=municipality):
        assert not Team.objects.exists()


def test_duplicate_team_name_is_refused_clearly(admin_client, municipality):
    with scope(municipality=municipality):
        TeamFactory(municipality=municipality, name="Kernteam Driel")
    response = admin_client.post(
        "/beheer/teams/nieuw/", {"name": "Kernteam Driel", "kind": "kernteam", "access": "direct"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    with scope(municipality=municipality):
        assert Team.objects.count() == 1


def test_a_loket_team_cannot_have_a_linked_consultant(admin_client, municipality):
    consultant = make_person(municipality, memberships=[(K.LOKET, F.CONSULTANT)])
    with scope(municipality=municipality):
        staff = consultant.staff_memberships.get()
    response = admin_client.post(
        "/beheer/teams/nieuw/",
        {"name": "Loket", "kind": "loket", "access": "direct", "linked_loket_consultant": staff.pk},
    )
    assert response.status_code == 200
    assert "linked_loket_consultant" in response.context["form"].errors


def test_mandated_laws_only_for_loket_consultants(admin_client, municipality):
    person = make_person(municipality)
    with scope(municipality=municipality):
        staff = person.staff_memberships.get()
        kernteam = TeamFactory(municipality=municipality, kind=K.KERNTEAM)
        loket = TeamFactory(municipality=municipality, kind=K.LOKET, name="Loket Samenleven")
    data = {
        "staff_member": staff.pk,
        "function": "consultant",
        "mandated_laws": ["wmo", "jeugdwet"],
    }
    response = admin_client.post("/beheer/lidmaatschappen/nieuw/", {**data, "team": kernteam.pk})
    assert "mandated_laws" in response.context["form"].errors
    response = admin_client.post(
        "/beheer/lidmaatschappen/nieuw/", {**data, "team": loket.pk, "hours_per_week": "36"}
    )
    assert response.status_code == 302
    with scope(municipality=municipality):
        membership = Membership.objects.get(team=loket)
        assert membership.mandated_laws == ["wmo", "jeugdwet"]


def test_an_id_of_another_municipality_in_a_form_is_not_a_valid_choice(
    admin_client, municipality, other_municipality
):
    with scope(municipality=other_municipality):
        foreign_area = AreaFactory(municipality=other_municipality)
    response = admin_client.post(
        "/beheer/teams/nieuw/",
        {"name": "Team", "kind": "kernteam", "access": "direct", "areas": [foreign_area.pk]},
    )
    assert response.status_code == 200
    assert "areas" in response.context["form"].errors
    with scope(municipality=municipality):
        assert not Team.objects.exists()


def test_concurrent_edits_do_not_overwrite_each_other(admin_client, municipality):
    with scope(municipality=municipality):
        area = AreaFactory(municipality=municipality, name="Heteren")
    # Two admins open the same form (version 1); the first saves.
    first = admin_client.post(
        f"/beheer/gebieden/{area.pk}/", {"name": "Heteren-Oost", "is_active": "on", "version": 1}
    )
    assert first.status_code == 302
    second = admin_client.post(
        f"/beheer/gebieden/{area.pk}/", {"name": "Heteren-West", "is_active": "on", "version": 1}
    )
    assert second.status_code == 200
    assert "Iemand anders heeft dit gegeven intussen gewijzigd" in second.content.decode()
    with scope(municipality=municipality):
        area.refresh_from_db()
        assert area.name == "Heteren-Oost"
        assert area.version == 2


def test_ending_a_membership_keeps_it_on_record(admin_client, municipality):
    with scope(municipality=municipality):
        membership = MembershipFactory(municipality=municipality)
    response = admin_client.post(
        f"/beheer/lidmaatschappen/{membership.pk}/",
        {
            "staff_member": membership.staff_member_id,
            "team": membership.team_id,
            "function": membership.function,
            "version": membership.version,
        },
    )
    assert response.status_code == 302
    with scope(municipality=municipality):
        membership.refresh_from_db()
        assert membership.is_active is False
    listing = admin_client.get("/beheer/lidmaatschappen/?inactive=1").content.decode()
    assert "beëindigd" in listing


@pytest.mark.parametrize(
    "url",
    [
        "/teams/",
        "/beheer/teams/",
        "/beheer/lidmaatschappen/",
        "/beheer/gebieden/",
        "/beheer/organisaties/",
        "/beheer/medewerkers/",
        "/",
    ],
)
def test_list_pages_use_a_fixed_number_of_queries(
    admin_client, admin_user, municipality, url, django_assert_max_num_queries
):
    def grow(n):
        with scope(municipality=municipality):
            for _ in range(n):
                team = TeamFactory(municipality=municipality)
                team.areas.add(AreaFactory(municipality=municipality))
                org = OrganisationFactory(municipality=municipality)
                MembershipFactory(municipality=municipality, team=team, organisation=org)

    grow(2)
    with django_assert_max_num_queries(50) as small:
        assert admin_client.get(url).status_code == 200
    grow(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_organisations_and_areas_are_only_in_their_municipality(admin_client, municipality):
    admin_client.post("/beheer/organisaties/nieuw/", {"name": "MEE", "kind": "mother"})
    admin_client.post("/beheer/gebieden/nieuw/", {"name": "Driel", "is_active": "on"})
    with scope(municipality=municipality):
        assert Organisation.objects.get().name == "MEE"
        assert Area.objects.get().name == "Driel"


def test_duplicate_names_are_reported_on_the_name_field(admin_client, municipality):
    with scope(municipality=municipality):
        AreaFactory(municipality=municipality, name="Elst")
    response = admin_client.post("/beheer/gebieden/nieuw/", {"name": "elst", "is_active": "on"})
    assert "Er is in deze gemeente al een gebied met deze naam" in str(
        response.context["form"].errors["name"]
    )


def test_a_second_active_membership_with_the_same_function_is_refused_clearly(
    admin_client, municipality
):
    with scope(municipality=municipality):
        membership = MembershipFactory(municipality=municipality)
    response = admin_client.post(
        "/beheer/lidmaatschappen/nieuw/",
        {
            "staff_member": membership.staff_member_id,
            "team": membership.team_id,
            "function": membership.function,
            "is_active": "on",
        },
    )
    assert "heeft deze functie in dit team al" in str(response.context["form"].errors)
    with scope(municipality=municipality):
        assert Membership.objects.count() == 1


def test_an_edit_without_version_is_refused(admin_client, municipality):
    with scope(municipality=municipality):
        area = AreaFactory(municipality=municipality, name="Driel")
    response = admin_client.post(f"/beheer/gebieden/{area.pk}/", {"name": "Driel-Noord"})
    assert response.status_code == 200
    with scope(municipality=municipality):
        area.refresh_from_db()
        assert area.name == "Driel"


def test_saving_a_team_keeps_an_inactive_area_it_serves(admin_client, municipality):
    with scope(municipality=municipality):
        old = AreaFactory(municipality=municipality, name="Oud", is_active=False)
        new = AreaFactory(municipality=municipality, name="Nieuw")
        team = TeamFactory(municipality=municipality, name="Kernteam")
        team.areas.set([old, new])
    response = admin_client.post(
        f"/beheer/teams/{team.pk}/",
        {
            "name": "Kernteam",
            "kind": "kernteam",
            "access": "direct",
            "areas": [old.pk, new.pk],
            "is_active": "on",
            "version": team.version,
        },
    )
    assert response.status_code == 302
    with scope(municipality=municipality):
        assert set(team.areas.all()) == {old, new}
    # A new team cannot choose the inactive area.
    response = admin_client.post(
        "/beheer/teams/nieuw/",
        {"name": "Ander team", "kind": "kernteam", "access": "direct", "areas": [old.pk]},
    )
    assert "areas" in response.context["form"].errors


def test_a_team_with_mandated_consultants_stays_a_loket(admin_client, municipality):
    with scope(municipality=municipality):
        loket = TeamFactory(municipality=municipality, kind=K.LOKET, name="Loket")
        MembershipFactory(
            municipality=municipality, team=loket, function=F.CONSULTANT, mandated_laws=["wmo"]
        )
    response = admin_client.post(
        f"/beheer/teams/{loket.pk}/",
        {"name": "Loket", "kind": "kernteam", "access": "direct", "version": loket.version},
    )
    assert "kind" in response.context["form"].errors


def test_form_pages_use_a_fixed_number_of_queries(
    admin_client, municipality, django_assert_max_num_queries
):
    def grow(n):
        with scope(municipality=municipality):
            for _ in range(n):
                MembershipFactory(
                    municipality=municipality,
                    team=TeamFactory(municipality=municipality, kind=K.LOKET),
                    function=F.CONSULTANT,
                    organisation=OrganisationFactory(municipality=municipality),
                )
                AreaFactory(municipality=municipality)

    for url in ["/beheer/teams/nieuw/", "/beheer/lidmaatschappen/nieuw/", "/beheer/api-sleutels/"]:
        grow(2)
        with django_assert_max_num_queries(60) as small:
            assert admin_client.get(url).status_code == 200
        grow(10)
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert admin_client.get(url).status_code == 200


def test_every_edit_page_of_the_own_municipality_renders(admin_client, admin_user, municipality):
    with scope(municipality=municipality):
        membership = MembershipFactory(
            municipality=municipality, organisation=OrganisationFactory(municipality=municipality)
        )
        membership.team.areas.add(AreaFactory(municipality=municipality))
        area = membership.team.areas.get()
        staff = membership.staff_member
    urls = [
        f"/teams/{membership.team_id}/",
        f"/beheer/teams/{membership.team_id}/",
        f"/beheer/gebieden/{area.pk}/",
        f"/beheer/organisaties/{membership.organisation_id}/",
        f"/beheer/lidmaatschappen/{membership.pk}/",
        f"/beheer/medewerkers/{staff.pk}/",
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert 'name="_municipality"' in response.content.decode() or url.startswith("/teams/")


def test_a_team_whose_linked_consultant_left_the_loket_can_still_be_renamed(
    admin_client, municipality
):
    consultant = make_person(municipality, memberships=[(K.LOKET, F.CONSULTANT)])
    with scope(municipality=municipality):
        staff = consultant.staff_memberships.get()
        team = TeamFactory(municipality=municipality, linked_loket_consultant=staff)
        Membership.objects.filter(staff_member=staff).update(is_active=False)
    response = admin_client.post(
        f"/beheer/teams/{team.pk}/",
        {
            "name": "Nieuwe naam",
            "kind": "kernteam",
            "access": "direct",
            "linked_loket_consultant": staff.pk,
            "version": team.version,
        },
    )
    assert response.status_code == 302
    with scope(municipality=municipality):
        team.refresh_from_db()
        assert team.name == "Nieuwe naam"
    # Choosing someone who is not (or no longer) a loket consultant is refused.
    other = make_person(municipality)
    with scope(municipality=municipality):
        other_staff = other.staff_memberships.get()
    response = admin_client.post(
        f"/beheer/teams/{team.pk}/",
        {
            "name": "Nieuwe naam",
            "kind": "kernteam",
            "access": "direct",
            "linked_loket_consultant": other_staff.pk,
            "version": team.version + 1,
        },
    )
    assert "linked_loket_consultant" in response.context["form"].errors


def test_a_team_with_a_linked_consultant_cannot_become_a_loket(admin_client, municipality):
    consultant = make_person(municipality, memberships=[(K.LOKET, F.CONSULTANT)])
    with scope(municipality=municipality):
        staff = consultant.staff_memberships.get()
        team = TeamFactory(municipality=municipality, linked_loket_consultant=staff)
    response = admin_client.post(
        f"/beheer/teams/{team.pk}/",
        {
            "name": team.name,
            "kind": "loket",
            "access": "direct",
            "linked_loket_consultant": staff.pk,
            "version": team.version,
        },
    )
    assert "linked_loket_consultant" in response.context["form"].errors


def test_the_team_page_lists_only_active_members_with_an_active_account(admin_client, municipality):
    with scope(municipality=municipality):
        team = TeamFactory(municipality=municipality, kind=Team.Kind.KERNTEAM)
    present = make_person(municipality, memberships=[(team, Membership.Function.TEAM_MEMBER)])
    blocked = make_person(municipality, memberships=[(team, Membership.Function.TEAM_MEMBER)])
    blocked.is_active = False  # the account is blocked; the membership is still on record
    blocked.save(update_fields=["is_active"])
    page = admin_client.get(f"/teams/{team.pk}/").content.decode()
    assert present.full_name in page
    assert blocked.full_name not in page


def test_configuration_save_without_an_actor_needs_a_platform_admin_or_system(
    admin_user, municipality
):
    from django.core.exceptions import PermissionDenied

    from apps.teams.services import configuration_save
    from tests.factories import UserFactory

    with scope(municipality=municipality):
        area = AreaFactory(municipality=municipality, name="Noord")
        area.name = "Zuid"
        with pytest.raises(PermissionDenied):
            configuration_save(actor=None, instance=area)
        with pytest.raises(PermissionDenied):
            configuration_save(actor=None, by=admin_user, instance=area)  # not a platform admin
        configuration_save(
            actor=None, by=UserFactory(is_superuser=True, is_staff=True), instance=area
        )
        area.name = "Oost"
        configuration_save(actor=None, system=True, instance=area)
        area.refresh_from_db()
    assert area.name == "Oost"
