from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from apps.teams.models import Membership, Team
from apps.tenants.models import ApiToken, StaffMember
from tests.conftest import api_key_for, make_person
from tests.factories import TEST_PASSWORD, TeamFactory


def test_admin_issues_a_key_that_is_shown_once_and_works(client, admin_user, municipality):
    with scope(municipality=municipality):
        staff = admin_user.staff_memberships.get()
    client.force_login(admin_user)
    response = client.post(
        "/beheer/api-sleutels/",
        {"name": "Koppeling KCC", "staff_member": staff.pk, "days": 30, "password": TEST_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain, response.context["form"].errors
    assert response["Cache-Control"] == "no-store"
    key = response.context["new_key"]
    assert key in response.content.decode()
    with scopes_disabled():
        token = ApiToken.objects.get()
        assert key not in (token.key_hash, token.prefix)
    # Not shown again.
    assert key not in client.get("/beheer/api-sleutels/").content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 200
    # Revoked: refused from then on.
    assert client.post(f"/beheer/api-sleutels/{token.pk}/intrekken/").status_code == 302
    assert api.get("/api/v1/me/").status_code == 401


def test_bad_input_issues_nothing(client, admin_user, municipality):
    client.force_login(admin_user)
    response = client.post("/beheer/api-sleutels/", {"name": "", "days": 0})
    assert set(response.context["form"].errors) == {"name", "staff_member", "days", "password"}
    with scopes_disabled():
        assert not ApiToken.objects.exists()


def _issue(client, staff_pk):
    return client.post(
        "/beheer/api-sleutels/",
        {"name": "Koppeling", "staff_member": staff_pk, "days": 30, "password": TEST_PASSWORD},
        follow=True,
    )


def test_a_key_is_never_issued_for_a_colleague(client, admin_user, municipality):

    colleague = make_person(
        municipality, memberships=[(Team.Kind.LOKET, Membership.Function.CONSULTANT)]
    )
    with scope(municipality=municipality):
        staff = colleague.staff_memberships.get()
    client.force_login(admin_user)
    response = _issue(client, staff.pk)
    assert "staff_member" in response.context["form"].errors
    with scopes_disabled():
        assert not ApiToken.objects.exists()


def test_an_integration_account_gets_keys_but_never_roles_or_teams(
    client, admin_user, municipality
):

    client.force_login(admin_user)
    client.post(
        "/beheer/medewerkers/uitnodigen/",
        {"full_name": "KCC-koppeling", "email": "kcc@koppeling.test", "is_integration": "on"},
    )
    with scope(municipality=municipality):
        account = StaffMember.objects.get(user__email="kcc@koppeling.test")
        team = TeamFactory(municipality=municipality)
    assert account.is_integration
    key = _issue(client, account.pk).context["new_key"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").json()["roles"] == ["staff"]
    # No team and no role for it, through any door.
    response = client.post(
        "/beheer/lidmaatschappen/nieuw/",
        {"staff_member": account.pk, "team": team.pk, "function": "consultant"},
    )
    assert "staff_member" in response.context["form"].errors
    response = client.post(
        f"/beheer/medewerkers/{account.pk}/",
        {"is_municipality_admin": "on", "version": account.version},
    )
    assert response.status_code == 200 and response.context["form"].errors
    with scope(municipality=municipality):
        assert not Membership.objects.filter(staff_member=account).exists()


def test_a_key_that_would_act_as_someone_else_stops_working(admin_user, municipality):

    colleague = make_person(municipality)
    token, key = api_key_for(colleague, municipality)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 200  # made at the shell
    with scopes_disabled():
        ApiToken.objects.filter(pk=token.pk).update(created_by=colleague)
    assert api.get("/api/v1/me/").status_code == 200  # issued by themselves
    # Should a key ever name another issuer (older data, a bug elsewhere), it is refused.
    with scopes_disabled():
        ApiToken.objects.filter(pk=token.pk).update(created_by=admin_user)
    assert api.get("/api/v1/me/").status_code == 401


def test_an_integration_account_never_logs_in_or_gets_a_password(
    client, admin_user, municipality, other_municipality
):
    from django.core import mail

    client.force_login(admin_user)
    client.post(
        "/beheer/medewerkers/uitnodigen/",
        {"full_name": "Koppeling", "email": "koppeling@example.test", "is_integration": "on"},
    )
    client.logout()
    # No reset link for it...
    client.post("/wachtwoord-vergeten/", {"email": "koppeling@example.test"})
    assert len(mail.outbox) == 0
    # ...no login even if a password were set somehow...
    with scopes_disabled():
        user = StaffMember.objects.get(user__email="koppeling@example.test").user
    user.set_password("Een-lang-wachtwoord-42")
    user.save()
    response = client.post(
        "/inloggen/", {"username": user.email, "password": "Een-lang-wachtwoord-42"}
    )
    assert "niet bekend" in response.content.decode()
    # ...and no other municipality can make a person of it.
    other_admin = make_person(other_municipality, admin=True)
    client.force_login(other_admin)
    response = client.post(
        "/beheer/medewerkers/uitnodigen/", {"full_name": "K", "email": user.email}
    )
    assert "geen toegang worden gegeven" in str(response.context["form"].errors)


def test_the_integration_flag_cannot_be_turned_on_for_a_consultant(municipality):
    from django.core.exceptions import ValidationError

    consultant = make_person(
        municipality, memberships=[(Team.Kind.LOKET, Membership.Function.CONSULTANT)]
    )
    with scope(municipality=municipality):
        staff = consultant.staff_memberships.get()
        staff.is_integration = True
        try:
            staff.full_clean()
        except ValidationError as exc:
            assert "is_integration" in exc.message_dict
        else:
            raise AssertionError("the flag was accepted")
    # And even where data said so, an integration account holds no role.
    from apps.tenants.permissions import roles_for

    with scopes_disabled():
        StaffMember.objects.filter(pk=staff.pk).update(is_integration=True)
    consultant.__dict__.pop("_municipality_roles", None)
    assert roles_for(consultant, municipality) == {"staff"}
