"""Resetting a person's second factor or password across municipalities: a
municipality admin resets the second factor only of someone whose only active
access is their municipality; every reset (and a password reset) revokes the
person's API keys, is written to the security log and is told to the person
by mail. An admin who invites an existing account sees what they typed, not
another municipality's data."""

import logging

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope, scopes_disabled

from apps.core.exceptions import DomainError
from apps.tenants.models import ApiToken, StaffMember
from apps.tenants.services import staff_two_factor_reset
from tests.conftest import api_key_for, make_person
from tests.factories import UserFactory

PASSWORD = "a-Long-test-passw0rd"


def staff_of(user, municipality):
    with scope(municipality=municipality):
        return user.staff_memberships.get(municipality=municipality)


def reset_url(staff):
    return f"/beheer/medewerkers/{staff.pk}/tweestapsverificatie-wissen/"


@pytest.fixture
def shared_person(municipality, other_municipality):
    """Works for both municipalities (DUO+), with an app and a key in each."""
    person = make_person(other_municipality)
    make_person(municipality, user=person)
    TOTPDevice.objects.create(user=person, name="app", confirmed=True)
    return person


@pytest.fixture
def local_person(municipality):
    person = make_person(municipality)
    TOTPDevice.objects.create(user=person, name="app", confirmed=True)
    return person


def live_keys(user):
    with scopes_disabled():
        return ApiToken.objects.filter(staff_member__user=user, revoked_at__isnull=True).count()


def test_municipality_admin_cannot_reset_the_second_factor_of_someone_who_also_works_elsewhere(
    client, admin_user, shared_person, municipality
):
    staff = staff_of(shared_person, municipality)
    client.force_login(admin_user)
    response = client.post(reset_url(staff), follow=True)
    # A neutral reason: it does not tell this municipality that the person
    # works for another one.
    page = response.content.decode()
    assert "Alleen platformbeheer kan de tweede stap van deze persoon herstellen." in page
    assert "toegang tot een andere gemeente" not in page
    page = client.get(f"/beheer/medewerkers/{staff.pk}/").content.decode()
    assert "Alleen platformbeheer kan de tweede stap van deze persoon herstellen." in page
    assert "toegang tot een andere gemeente" not in page
    assert TOTPDevice.objects.filter(user=shared_person).exists()
    with scope(municipality=municipality), pytest.raises(DomainError):
        staff_two_factor_reset(actor=admin_user, staff=staff)
    assert TOTPDevice.objects.filter(user=shared_person).exists()


def test_an_ended_access_elsewhere_does_not_block_the_reset(
    admin_user, shared_person, municipality, other_municipality
):
    with scope(municipality=other_municipality):
        StaffMember.objects.filter(user=shared_person).update(is_active=False)
    with scope(municipality=municipality):
        staff_two_factor_reset(actor=admin_user, staff=staff_of(shared_person, municipality))
    assert not TOTPDevice.objects.filter(user=shared_person).exists()


def test_the_platform_admin_resets_the_second_factor_of_someone_in_two_municipalities(
    client, shared_person, municipality
):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    staff = staff_of(shared_person, municipality)
    client.post(
        "/platformbeheer/tenants/staffmember/",
        {"action": "two_factor_reset", "_selected_action": [staff.pk]},
    )
    assert not TOTPDevice.objects.filter(user=shared_person).exists()


def test_two_factor_reset_revokes_keys_logs_and_mails_the_person(
    admin_user,
    local_person,
    municipality,
    caplog,
    django_capture_on_commit_callbacks,
):
    api_key_for(local_person, municipality)
    assert live_keys(local_person) == 1
    staff = staff_of(local_person, municipality)
    with (
        caplog.at_level(logging.INFO, logger="portal.security"),
        django_capture_on_commit_callbacks(execute=True),
        scope(municipality=municipality),
    ):
        staff_two_factor_reset(actor=admin_user, staff=staff)
    assert live_keys(local_person) == 0
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    line = next(line for line in lines if line.startswith("two_factor.reset "))
    assert f"user={local_person.pk}" in line
    assert f"by={admin_user.pk}" in line
    assert f"municipality={municipality.pk}" in line
    assert "api_tokens_revoked=1" in line
    assert [m.to for m in mail.outbox] == [[local_person.email]]
    assert "tweestapsverificatie" in mail.outbox[0].body.lower()


def test_the_platform_admins_user_reset_also_revokes_keys_and_mails(
    client, local_person, municipality, django_capture_on_commit_callbacks
):
    api_key_for(local_person, municipality)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/platformbeheer/accounts/user/",
            {"action": "two_factor_reset", "_selected_action": [local_person.pk]},
        )
    assert not TOTPDevice.objects.filter(user=local_person).exists()
    assert live_keys(local_person) == 0
    assert [m.to for m in mail.outbox] == [[local_person.email]]


def test_a_password_reset_revokes_the_persons_keys_logs_and_mails(
    shared_person, municipality, other_municipality, caplog, django_capture_on_commit_callbacks
):
    api_key_for(shared_person, municipality)
    api_key_for(shared_person, other_municipality)
    assert live_keys(shared_person) == 2
    uid = urlsafe_base64_encode(force_bytes(shared_person.pk))
    token = default_token_generator.make_token(shared_person)
    browser = Client()
    form = browser.get(f"/wachtwoord-instellen/{uid}/{token}/", follow=True)
    new = "Een-nieuw-wachtwoord-77"
    with (
        caplog.at_level(logging.INFO, logger="portal.security"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        done = browser.post(
            form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
        )
    assert done.status_code == 302
    assert live_keys(shared_person) == 0
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert any(
        line.startswith("password.reset ")
        and f"user={shared_person.pk}" in line
        and "api_tokens_revoked=2" in line
        for line in lines
    )
    assert [m.to for m in mail.outbox] == [[shared_person.email]]


def test_setting_the_first_password_of_an_invitation_sends_no_reset_notice(
    municipality, django_capture_on_commit_callbacks
):
    invited = make_person(municipality, user=UserFactory(password=None))
    invited.set_unusable_password()
    invited.save()
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    token = default_token_generator.make_token(invited)
    browser = Client()
    form = browser.get(f"/wachtwoord-instellen/{uid}/{token}/", follow=True)
    new = "Een-nieuw-wachtwoord-77"
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert mail.outbox == []


def test_after_inviting_an_existing_account_the_admin_sees_what_they_typed(
    client, admin_user, shared_person, municipality, other_municipality
):
    # The person is known elsewhere under another name, with an app set up.
    shared_person.full_name = "Naam Van Elders"
    shared_person.save()
    with scope(municipality=municipality):
        StaffMember.objects.filter(user=shared_person).update(is_active=False)
    client.force_login(admin_user)
    # A fresh person, known only in the other municipality.
    elsewhere = make_person(other_municipality, user=UserFactory(full_name="Andere Naam"))
    TOTPDevice.objects.create(user=elsewhere, name="app", confirmed=True)
    response = client.post(
        "/beheer/medewerkers/uitnodigen/",
        {"full_name": "Getypte Naam", "email": elsewhere.email},
        follow=True,
    )
    page = response.content.decode()
    assert "Getypte Naam" in page
    assert "Andere Naam" not in page
    # Not whether another municipality's person set up an app.
    assert "Tweestapsverificatie wissen" not in page
    assert "Nog niet ingesteld" not in page
    listing = client.get("/beheer/medewerkers/").content.decode()
    assert "Getypte Naam" in listing and "Andere Naam" not in listing


def test_a_password_set_by_the_platform_admin_revokes_keys_and_mails(
    client, local_person, municipality, django_capture_on_commit_callbacks
):
    api_key_for(local_person, municipality)
    platform_admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(platform_admin)
    new = "Een-nieuw-wachtwoord-77"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/platformbeheer/accounts/user/{local_person.pk}/password/",
            {"password1": new, "password2": new, "usable_password": "true"},
        )
    assert response.status_code == 302
    assert live_keys(local_person) == 0
    assert [m.to for m in mail.outbox] == [[local_person.email]]
