"""A person who lost their phone: the municipality admin (or the platform
admin) removes their authenticator app, and they set up a new one at their
next login."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope

from apps.core.exceptions import DomainError
from apps.tenants.services import staff_two_factor_reset, user_two_factor_reset
from tests.conftest import make_person, totp_code
from tests.factories import UserFactory


def staff_of(user, municipality):
    with scope(municipality=municipality):
        return user.staff_memberships.get(municipality=municipality)


def reset_url(staff):
    return f"/beheer/medewerkers/{staff.pk}/tweestapsverificatie-wissen/"


@pytest.fixture
def colleague(municipality):
    person = make_person(municipality)
    TOTPDevice.objects.create(user=person, name="app", confirmed=True)
    return person


def test_the_municipality_admin_resets_a_colleagues_app(
    client, admin_user, colleague, municipality
):
    staff = staff_of(colleague, municipality)
    # The colleague is logged in with both factors elsewhere.
    colleague_browser = Client()
    colleague_browser.force_login(colleague)
    device = TOTPDevice.objects.get(user=colleague)
    colleague_browser.post("/inloggen/tweestapsverificatie/", {"code": totp_code(device)})
    assert colleague_browser.get("/").status_code == 200

    client.force_login(admin_user)
    page = client.get(f"/beheer/medewerkers/{staff.pk}/").content.decode()
    assert "Tweestapsverificatie wissen" in page
    response = client.post(reset_url(staff), follow=True)
    assert response.redirect_chain[-1][0] == f"/beheer/medewerkers/{staff.pk}/"
    assert "is gewist" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert "Nog niet ingesteld" in response.content.decode()
    # Their open session has lost the second factor at once.
    assert colleague_browser.get("/")["Location"].startswith("/inloggen/tweestapsverificatie/")
    # At the next login with the password they set up a new app.
    fresh = Client()
    response = fresh.post(
        "/inloggen/", {"username": colleague.email, "password": "a-Long-test-passw0rd"}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/inloggen/tweestapsverificatie/instellen/")


def test_without_the_admin_role_the_reset_is_refused(client, team_member, colleague, municipality):
    staff = staff_of(colleague, municipality)
    client.force_login(team_member)
    assert client.post(reset_url(staff)).status_code == 403
    assert TOTPDevice.objects.filter(user=colleague).exists()
    page = client.get(f"/beheer/medewerkers/{staff.pk}/")
    assert page.status_code == 403


def test_a_person_of_another_municipality_is_not_found(client, admin_user, other_municipality):
    stranger = make_person(other_municipality)
    TOTPDevice.objects.create(user=stranger, name="app", confirmed=True)
    staff = staff_of(stranger, other_municipality)
    client.force_login(admin_user)
    assert client.post(reset_url(staff)).status_code == 404
    assert TOTPDevice.objects.filter(user=stranger).exists()


def test_reset_is_post_only(client, admin_user, colleague, municipality):
    client.force_login(admin_user)
    assert client.get(reset_url(staff_of(colleague, municipality))).status_code == 405
    assert TOTPDevice.objects.filter(user=colleague).exists()


def test_no_reset_for_an_integration_account_or_ended_access(admin_user, municipality):
    person = make_person(municipality)
    staff = staff_of(person, municipality)
    with scope(municipality=municipality):
        staff.is_active = False
        with pytest.raises(DomainError, match="actieve medewerker"):
            staff_two_factor_reset(actor=admin_user, staff=staff)
        staff.is_active, staff.is_integration = True, True
        with pytest.raises(DomainError, match="actieve medewerker"):
            staff_two_factor_reset(actor=admin_user, staff=staff)


def test_a_municipality_admin_cannot_reset_a_platform_admin(client, admin_user, municipality):
    platform_admin = make_person(municipality, user=UserFactory(is_superuser=True, is_staff=True))
    TOTPDevice.objects.create(user=platform_admin, name="app", confirmed=True)
    staff = staff_of(platform_admin, municipality)
    client.force_login(admin_user)
    response = client.post(reset_url(staff), follow=True)
    assert "alleen platformbeheer" in response.content.decode()
    assert TOTPDevice.objects.filter(user=platform_admin).exists()


def test_the_platform_admin_resets_in_the_admin(client, colleague, municipality):
    platform_admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(platform_admin)
    staff = staff_of(colleague, municipality)
    response = client.post(
        "/platformbeheer/tenants/staffmember/",
        {"action": "two_factor_reset", "_selected_action": [staff.pk]},
        follow=True,
    )
    assert "is gewist" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    # Also for an account without any municipality, on the user list.
    other_admin = UserFactory(is_superuser=True, is_staff=True)
    TOTPDevice.objects.create(user=other_admin, name="app", confirmed=True)
    client.post(
        "/platformbeheer/accounts/user/",
        {"action": "two_factor_reset", "_selected_action": [other_admin.pk]},
    )
    assert not TOTPDevice.objects.filter(user=other_admin).exists()


def test_only_a_platform_admin_resets_any_account(admin_user, colleague):
    with pytest.raises(PermissionDenied):
        user_two_factor_reset(actor=admin_user, user=colleague)
    assert TOTPDevice.objects.filter(user=colleague).exists()


def test_the_admin_shows_no_totp_secrets(client, colleague):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    device = TOTPDevice.objects.get(user=colleague)
    page = client.get(f"/platformbeheer/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
