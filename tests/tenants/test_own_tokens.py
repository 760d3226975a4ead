"""Mijn API-sleutels: every person issues and revokes keys of their own in the
active municipality (`api_token.own`), with their password typed again; the key
is shown once, acts as that person only, and is written to the security log."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from apps.core.exceptions import DomainError
from apps.teams.models import Membership, Team
from apps.tenants.models import ApiToken, StaffMember
from apps.tenants.services import api_token_create, api_token_own_access, api_token_revoke
from tests.conftest import make_person
from tests.factories import TEST_PASSWORD, ApiTokenFactory

PAGE = "/mijn-api-sleutels/"


def revoke_url(token):
    return f"{PAGE}{token.pk}/intrekken/"


def issue(client, *, name="Mijn rapportscript", days=30, password=TEST_PASSWORD, **kwargs):
    return client.post(PAGE, {"name": name, "days": days, "password": password}, **kwargs)


def api_with(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def own_staff(user, municipality):
    with scope(municipality=municipality):
        return StaffMember.objects.get(user=user)


def tokens():
    with scopes_disabled():
        return list(ApiToken.objects.all())


@pytest.fixture
def consultant(municipality):
    return make_person(
        municipality, memberships=[(Team.Kind.LOKET, Membership.Function.CONSULTANT)]
    )


def test_a_team_member_issues_a_key_that_is_shown_once_and_acts_as_them(
    client, team_member, municipality
):
    client.force_login(team_member)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert page.context["form"]["days"].initial == 30

    response = issue(client, follow=True)
    assert response.redirect_chain == [(PAGE, 302)], response.context["form"].errors
    assert response["Cache-Control"] == "no-store"
    key = response.context["new_key"]
    assert key in response.content.decode()
    [token] = tokens()
    assert token.staff_member == own_staff(team_member, municipality)
    assert token.created_by == team_member
    assert key not in (token.key_hash, token.prefix) and key.startswith(token.prefix)
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    # A reload does not show it again: it is nowhere to be read any more.
    reload = client.get(PAGE)
    assert key not in reload.content.decode()
    assert "new_key" not in reload.context
    assert token.prefix in reload.content.decode()

    # The key acts as this person, with their roles, in this municipality only.
    me = api_with(key).get("/api/v1/me/").json()
    assert me["email"] == team_member.email
    assert me["municipality"]["cbs_code"] == municipality.cbs_code
    assert sorted(me["roles"]) == ["staff", "team_member"]


def test_a_key_works_with_the_persons_roles_and_no_more(client, consultant, municipality):
    client.force_login(consultant)
    key = issue(client, follow=True).context["new_key"]
    api = api_with(key)
    assert api.get("/api/v1/me/").json()["roles"] == ["loket_consultant", "staff"]
    assert api.get("/api/v1/questions/").status_code == 200  # a loket consultant's list
    assert api.get("/api/v1/triage-rules/").status_code == 403  # the admin's


def test_a_person_revokes_their_own_key_and_it_stops_working(client, team_member):
    client.force_login(team_member)
    key = issue(client, follow=True).context["new_key"]
    api = api_with(key)
    assert api.get("/api/v1/me/").status_code == 200
    [token] = tokens()
    response = client.post(revoke_url(token), follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "is ingetrokken" in response.content.decode()
    assert api.get("/api/v1/me/").status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    # Revoking again changes nothing; the page says so in the status column.
    first = token.revoked_at
    client.post(revoke_url(token))
    token.refresh_from_db()
    assert token.revoked_at == first
    assert "ingetrokken" in client.get(PAGE).content.decode()
    # Revoking is POST only.
    assert client.get(revoke_url(token)).status_code == 405


def test_an_expired_key_is_refused(client, team_member):
    client.force_login(team_member)
    key = issue(client, days=1, follow=True).context["new_key"]
    api = api_with(key)
    assert api.get("/api/v1/me/").status_code == 200
    with scopes_disabled():
        ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api.get("/api/v1/me/").status_code == 401
    assert "verlopen" in client.get(PAGE).content.decode()


def test_a_wrong_password_issues_nothing_and_counts_as_a_failed_login(client, team_member, caplog):
    client.force_login(team_member)
    with caplog.at_level(logging.INFO, logger="portal.security"):
        response = issue(client, password="not-my-password")  # noqa: S106
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "password" in response.context["form"].errors
    assert "Dit wachtwoord klopt niet" in response.content.decode()
    assert "new_key" not in response.context
    assert tokens() == []
    # django-axes counted it against the account, as a failed login.
    attempt = AccessAttempt.objects.get(username=team_member.email)
    assert attempt.failures_since_start == 1
    assert attempt.path_info == PAGE
    assert "not-my-password" not in attempt.post_data  # axes masks the field
    assert f"reauthentication.failed user={team_member.pk}" in caplog.text
    # No password at all: a clear message too, and nothing issued.
    response = issue(client, password="")
    assert response.context["form"].errors["password"] == ["Typ uw wachtwoord ter bevestiging."]
    assert tokens() == []


def test_wrong_passwords_up_to_the_limit_lock_the_account_and_end_the_session(
    client, team_member, settings
):
    client.force_login(team_member)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert issue(client, password="guess").status_code == 200  # noqa: S106
    response = issue(client, password="guess")  # noqa: S106
    assert response.status_code == 429
    assert "Dit account is tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert tokens() == []
    # Locked: the right password no longer logs in.
    login = Client().post("/inloggen/", {"username": team_member.email, "password": TEST_PASSWORD})
    assert login.status_code == 429


def test_an_account_locked_elsewhere_issues_nothing_even_with_the_right_password(
    client, team_member, settings
):
    """Someone guessed at the login page until the account locked: the
    person's open session cannot issue a key during the lock, and ends."""
    client.force_login(team_member)  # before the lock: a login resets the count
    outside = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        outside.post("/inloggen/", {"username": team_member.email, "password": "guess"})
    response = issue(client)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert tokens() == []


def test_a_session_that_has_not_passed_the_second_factor_issues_nothing(team_member):
    plain = Client()  # force_login without the second factor
    plain.force_login(team_member)
    response = issue(plain)
    assert response.status_code == 302 and "tweestapsverificatie" in response["Location"]
    assert tokens() == []


def test_nobody_sees_or_revokes_a_colleagues_key_on_their_own_page(
    client, team_member, admin_user, municipality
):
    with scope(municipality=municipality):
        colleagues = ApiTokenFactory(
            municipality=municipality,
            staff_member=own_staff(admin_user, municipality),
            name="Sleutel van de beheerder",
        )
        mine = ApiTokenFactory(
            municipality=municipality,
            staff_member=own_staff(team_member, municipality),
            name="Mijn sleutel",
        )
    client.force_login(team_member)
    page = client.get(PAGE).content.decode()
    assert "Mijn sleutel" in page and "Sleutel van de beheerder" not in page
    assert client.post(revoke_url(colleagues)).status_code == 404
    # Not even the municipality admin, on their own page (their page for that is /beheer/).
    client.force_login(admin_user)
    page = client.get(PAGE).content.decode()
    assert "Sleutel van de beheerder" in page and "Mijn sleutel" not in page
    assert client.post(revoke_url(mine)).status_code == 404
    with scopes_disabled():
        assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
    # The service says the same for a person without the admin's action.
    with scope(municipality=municipality), pytest.raises(PermissionDenied):
        api_token_revoke(actor=team_member, token=colleagues)


def test_a_person_issues_no_key_for_a_colleague_or_an_integration_account(
    team_member, admin_user, municipality
):
    with scope(municipality=municipality):
        account = StaffMember.objects.get(user=admin_user)
        for staff_member in (account, _integration_account(municipality)):
            with pytest.raises(PermissionDenied):
                api_token_create(
                    actor=team_member,
                    municipality=municipality,
                    staff_member=staff_member,
                    name="namens een ander",
                    expires_at=timezone.now() + timedelta(days=1),
                )
    assert tokens() == []


def _integration_account(municipality):
    user = make_person(municipality)
    with scopes_disabled():
        StaffMember.objects.filter(user=user).update(is_integration=True)
        return StaffMember.objects.get(user=user)


def test_an_integration_account_has_no_own_keys_page(client, municipality):
    account = _integration_account(municipality)
    with scope(municipality=municipality):
        token = ApiTokenFactory(municipality=municipality, staff_member=account)
    # It never logs in; should a session exist anyway, every door is closed.
    client.force_login(account.user)
    assert client.get(PAGE).status_code == 403
    assert issue(client).status_code == 403
    assert client.post(revoke_url(token)).status_code == 403
    with scope(municipality=municipality), pytest.raises(PermissionDenied):
        api_token_own_access(actor=account.user, municipality=municipality)
    with scopes_disabled():
        assert ApiToken.objects.get().revoked_at is None
        assert ApiToken.objects.count() == 1


def test_a_key_of_another_municipality_is_not_found(
    client, team_member, municipality, other_municipality
):
    """The same person works for two municipalities: acting in one, their key
    of the other does not exist on the page (404) and is not listed."""
    make_person(other_municipality, user=team_member)
    with scope(municipality=other_municipality):
        elsewhere = ApiTokenFactory(
            municipality=other_municipality,
            staff_member=own_staff(team_member, other_municipality),
            name="Sleutel elders",
        )
    client.force_login(team_member)
    client.get("/")
    active = client.session["active_municipality_id"]
    assert active in (municipality.pk, other_municipality.pk)
    if active == other_municipality.pk:
        client.post("/gemeente-wisselen/", {"municipality": municipality.pk})
    assert client.session["active_municipality_id"] == municipality.pk
    assert "Sleutel elders" not in client.get(PAGE).content.decode()
    assert client.post(revoke_url(elsewhere)).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.revoked_at is None
    # A key issued here is for here only.
    key = issue(client, follow=True).context["new_key"]
    me = api_with(key).get("/api/v1/me/").json()
    assert me["municipality"]["cbs_code"] == municipality.cbs_code


def test_the_longest_validity_is_a_setting_on_both_pages_and_in_the_service(
    client, admin_user, municipality, settings
):
    settings.API_TOKEN_MAX_DAYS = 10
    client.force_login(admin_user)
    own_page = client.get(PAGE)
    assert own_page.context["form"]["days"].initial == 10  # the default, capped
    assert 'max="10"' in own_page.content.decode()
    assert "Hoogstens 10 dagen" in own_page.content.decode()
    response = issue(client, days=11)
    assert "days" in response.context["form"].errors
    staff = own_staff(admin_user, municipality)
    response = client.post(
        "/beheer/api-sleutels/",
        {"name": "Te lang", "staff_member": staff.pk, "days": 11, "password": TEST_PASSWORD},
    )
    assert "days" in response.context["form"].errors
    assert tokens() == []
    with scope(municipality=municipality), pytest.raises(DomainError, match="hoogstens 10"):
        api_token_create(
            actor=None,
            municipality=municipality,
            staff_member=staff,
            name="shell",
            expires_at=timezone.now() + timedelta(days=11),
        )
    with pytest.raises(CommandError, match="hoogstens 10"):
        call_command(
            "create_api_token",
            "--municipality",
            municipality.cbs_code,
            "--email",
            admin_user.email,
            "--days",
            "11",
        )
    assert tokens() == []
    # The longest allowed is fine, on both pages.
    assert issue(client, days=10).status_code == 302
    response = client.post(
        "/beheer/api-sleutels/",
        {"name": "Tien dagen", "staff_member": staff.pk, "days": 10, "password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    assert len(tokens()) == 2


def test_last_use_is_recorded_at_most_once_a_minute_and_shown_on_both_pages(
    client, admin_user, municipality
):
    client.force_login(admin_user)
    key = issue(client, follow=True).context["new_key"]
    assert '<td class="utrecht-table__cell">–</td>' in client.get(PAGE).content.decode()
    api = api_with(key)
    api.get("/api/v1/me/")
    [token] = tokens()
    assert token.last_used_at is not None
    first = token.last_used_at
    api.get("/api/v1/me/")
    token.refresh_from_db()
    assert token.last_used_at == first  # within the minute: no write
    with scopes_disabled():
        ApiToken.objects.update(last_used_at=first - timedelta(minutes=2))
    api.get("/api/v1/me/")
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=2)
    shown = timezone.localtime(token.last_used_at).strftime("%H:%M")
    assert shown in client.get(PAGE).content.decode()
    assert shown in client.get("/beheer/api-sleutels/").content.decode()


def test_issuing_and_revoking_are_written_to_the_security_log(
    client, team_member, caplog, django_capture_on_commit_callbacks
):
    client.force_login(team_member)
    with (
        caplog.at_level(logging.INFO, logger="portal.security"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        key = issue(client, follow=True).context["new_key"]
    [token] = tokens()
    [issued] = [r for r in caplog.records if r.name == "portal.security"]
    message = issued.getMessage()
    assert message.startswith("api_token.issued ")
    assert f"token={token.pk} " in message and f"user={team_member.pk} " in message
    assert f"by={team_member.pk} " in message and token.prefix in message
    assert key not in message and token.key_hash not in message
    caplog.clear()
    with (
        caplog.at_level(logging.INFO, logger="portal.security"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(revoke_url(token))
    [revoked] = [r for r in caplog.records if r.name == "portal.security"]
    assert revoked.getMessage().startswith(f"api_token.revoked token={token.pk} ")
    # The access log is about residents' files: a key is not in it.
    from apps.audit.models import AccessLogEntry

    with scopes_disabled():
        assert not AccessLogEntry.objects.filter(object_type="tenants.apitoken").exists()


def test_the_header_links_to_my_keys_for_every_person(client, consultant, admin_user):
    for person in (consultant, admin_user):
        client.force_login(person)
        start = client.get("/").content.decode()
        assert 'href="/mijn-api-sleutels/"' in start
    page = client.get(PAGE).content.decode()
    assert 'href="/mijn-api-sleutels/" aria-current="page"' in page


def test_the_admins_page_asks_for_the_password_too(client, admin_user, municipality):
    staff = own_staff(admin_user, municipality)
    client.force_login(admin_user)
    response = client.post(
        "/beheer/api-sleutels/",
        {"name": "Koppeling", "staff_member": staff.pk, "days": 30, "password": "wrong"},
    )
    assert "Dit wachtwoord klopt niet" in str(response.context["form"].errors["password"])
    assert tokens() == []
