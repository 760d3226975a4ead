from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope, scopes_disabled

from apps.teams.models import Area, Membership, Team
from apps.tenants.models import StaffMember
from tests.conftest import make_person, totp_code
from tests.factories import UserFactory

PASSWORD = "a-Long-test-passw0rd"


def login(client, email, password=PASSWORD):
    return client.post("/inloggen/", {"username": email, "password": password}, follow=True)


def test_staff_log_in_with_email_and_land_on_their_start_page(client, municipality):
    user = make_person(
        municipality, memberships=[(Team.Kind.KERNTEAM, Membership.Function.TEAM_MEMBER)]
    )
    response = login(client, user.email.upper())
    # The first login sets up the authenticator app, then goes on to the start page.
    assert response.redirect_chain[-1][0] == "/inloggen/tweestapsverificatie/instellen/?next=%2F"
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(
        "/inloggen/tweestapsverificatie/instellen/",
        {"code": totp_code(device), "next": "/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    body = response.content.decode()
    assert municipality.name in body
    assert "teamlid" in body
    assert "Inrichting" not in body  # the navigation shows only what the role may use


def test_wrong_password_and_unknown_email_get_the_same_message(client, municipality):
    user = make_person(municipality)
    wrong_password = login(client, user.email, "not-the-password").content.decode()
    unknown_email = login(client, "nobody@example.test", "not-the-password").content.decode()
    message = "Deze combinatie van e-mailadres en wachtwoord is niet bekend"
    assert message in wrong_password and message in unknown_email
    assert "_auth_user_id" not in client.session


def test_login_form_with_missing_fields_says_which(client, db):
    response = client.post("/inloggen/", {"username": "", "password": ""})
    assert set(response.context["form"].errors) == {"username", "password"}


def test_person_without_an_active_municipality_sees_a_page_saying_so(client, municipality):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/geen-gemeente/"
    assert "geen toegang tot een gemeente" in response.content.decode()
    # Also when the only municipality is deactivated.
    make_person(municipality, user=user)
    municipality.is_active = False
    municipality.save()
    assert client.get("/").status_code == 302
    assert client.get("/teams/")["Location"] == "/geen-gemeente/"


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/beheer/teams/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_person_of_two_municipalities_switches_and_sees_only_the_active_one(
    client, municipality, other_municipality
):
    user = make_person(
        municipality, memberships=[(Team.Kind.LOKET, Membership.Function.CONSULTANT)]
    )
    make_person(
        other_municipality,
        user=user,
        memberships=[(Team.Kind.LOKET, Membership.Function.CONSULTANT)],
    )
    with scope(municipality=municipality):
        Team.objects.update(name="Loket van A")
    with scope(municipality=other_municipality):
        Team.objects.update(name="Loket van B")
    client.force_login(user)
    first = client.get("/teams/").content.decode()
    active, inactive = ("Loket van A", "Loket van B")
    if "Loket van B" in first:
        active, inactive = inactive, active
    assert active in first and inactive not in first
    target = other_municipality if active == "Loket van A" else municipality
    response = client.post("/gemeente-wisselen/", {"municipality": target.pk}, follow=True)
    assert f"U werkt nu in de gemeente {target.name}" in response.content.decode()
    second = client.get("/teams/").content.decode()
    assert inactive in second and active not in second
    user.refresh_from_db()
    assert user.last_municipality == target


def test_switching_to_a_municipality_without_access_is_refused(
    client, municipality, other_municipality
):
    user = make_person(municipality)
    client.force_login(user)
    response = client.post(
        "/gemeente-wisselen/", {"municipality": other_municipality.pk}, follow=True
    )
    assert "U heeft geen toegang tot deze gemeente" in response.content.decode()
    assert client.session["active_municipality_id"] == municipality.pk
    assert client.get("/gemeente-wisselen/").status_code == 405


def test_admin_invites_a_new_person_who_sets_a_password(
    client, admin_user, municipality, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/beheer/medewerkers/uitnodigen/",
            {"full_name": "Nina Nieuw", "email": "Nina@Example.test", "is_policy_advisor": "on"},
        )
    assert response.status_code == 302
    with scope(municipality=municipality):
        staff = StaffMember.objects.get(user__email="nina@example.test")
        assert staff.is_policy_advisor and not staff.user.has_usable_password()
    assert len(mail.outbox) == 1
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/wachtwoord-instellen/" in line
    )
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    form = client.get("/" + path, follow=True)
    set_url = form.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "Een-lang-wachtwoord-42", "new_password2": "Een-lang-wachtwoord-42"},
    )
    assert done.status_code == 302
    landed = login(client, "nina@example.test", "Een-lang-wachtwoord-42").redirect_chain[-1][0]
    assert landed.startswith("/inloggen/tweestapsverificatie/instellen/")


def test_inviting_someone_of_another_municipality_keeps_one_account(
    client, admin_user, municipality, other_municipality, django_capture_on_commit_callbacks
):
    duo = make_person(
        other_municipality, memberships=[(Team.Kind.LOKET, Membership.Function.CONSULTANT)]
    )
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/beheer/medewerkers/uitnodigen/", {"full_name": "x", "email": duo.email})
    with scope(municipality=municipality):
        assert StaffMember.objects.get(user=duo)
    # No new password: they are told they now also work here.
    assert len(mail.outbox) == 1
    assert "/wachtwoord-instellen/" not in mail.outbox[0].body
    assert municipality.name in mail.outbox[0].body


def test_inviting_twice_gives_a_clear_message(client, admin_user, municipality):
    client.force_login(admin_user)
    data = {"full_name": "Twee", "email": "twee@example.test"}
    client.post("/beheer/medewerkers/uitnodigen/", data)
    response = client.post("/beheer/medewerkers/uitnodigen/", data)
    assert "al toegang tot deze gemeente" in str(response.context["form"].errors["email"])


def test_deactivating_ends_access_to_this_municipality_only(
    client, admin_user, municipality, other_municipality
):
    person = make_person(municipality)
    make_person(other_municipality, user=person)
    with scope(municipality=municipality):
        staff = person.staff_memberships.get(municipality=municipality)
    client.force_login(admin_user)
    response = client.post(
        f"/beheer/medewerkers/{staff.pk}/deactiveren/", {"version": staff.version}
    )
    assert response.status_code == 302
    other = Client()
    other.force_login(person)
    other.get("/")
    assert other.session["active_municipality_id"] == other_municipality.pk


def test_an_admin_cannot_lock_themselves_out(client, admin_user, municipality):
    with scope(municipality=municipality):
        staff = admin_user.staff_memberships.get()
    client.force_login(admin_user)
    without_version = client.post(f"/beheer/medewerkers/{staff.pk}/deactiveren/", follow=True)
    assert "mist de versie" in without_version.content.decode()
    response = client.post(
        f"/beheer/medewerkers/{staff.pk}/deactiveren/", {"version": staff.version}, follow=True
    )
    assert "eigen toegang niet intrekken" in response.content.decode()
    with scope(municipality=municipality):
        staff.refresh_from_db()
        assert staff.is_active


def test_admin_site_is_for_superusers_only(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/platformbeheer/").status_code == 302  # to the admin login
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/platformbeheer/").status_code == 200
    assert client.get("/platformbeheer/teams/team/").status_code == 200


def test_dutch_is_the_default_whatever_the_browser_asks(client, db):
    response = client.get("/inloggen/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nl"
    response = client.post("/inloggen/", {"username": "", "password": ""})
    assert "Dit veld is vereist" in response.content.decode()


def test_platform_admin_without_municipality_lands_in_the_admin(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/platformbeheer/"


def test_the_invitation_link_uses_the_portal_address(
    client, admin_user, municipality, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://toegang.example.nl"
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/beheer/medewerkers/uitnodigen/", {"full_name": "A", "email": "a@example.test"}
        )
    assert "https://toegang.example.nl/wachtwoord-instellen/" in mail.outbox[0].body


def test_a_lost_invitation_is_sent_again(
    client, admin_user, municipality, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/beheer/medewerkers/uitnodigen/", {"full_name": "B", "email": "b@example.test"}
        )
    with scope(municipality=municipality):
        staff = StaffMember.objects.get(user__email="b@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/beheer/medewerkers/{staff.pk}/uitnodiging/", follow=True)
    assert "nieuwe uitnodiging" in response.content.decode()
    assert len(mail.outbox) == 2
    # "Forgot password" also reaches an invited person without a password.
    client.logout()
    client.post("/wachtwoord-vergeten/", {"email": "b@example.test"})
    assert len(mail.outbox) == 3


def test_no_new_invitation_once_a_password_is_set(client, admin_user, municipality):
    person = make_person(municipality)
    with scope(municipality=municipality):
        staff = person.staff_memberships.get()
    client.force_login(admin_user)
    response = client.post(f"/beheer/medewerkers/{staff.pk}/uitnodiging/", follow=True)
    assert "al een wachtwoord ingesteld" in response.content.decode()
    assert len(mail.outbox) == 0


def test_a_form_from_before_a_switch_saves_nothing(client, municipality, other_municipality):
    user = make_person(municipality, admin=True)
    make_person(other_municipality, user=user, admin=True)
    client.force_login(user)
    client.post("/gemeente-wisselen/", {"municipality": other_municipality.pk})
    # The tab still shows the form of the first municipality.
    response = client.post(
        "/beheer/gebieden/nieuw/",
        {"name": "Elst", "is_active": "on", "_municipality": municipality.pk},
        follow=True,
    )
    assert "Er is niets opgeslagen" in response.content.decode()
    with scopes_disabled():
        assert not Area.objects.exists()


def test_a_person_invited_elsewhere_who_never_set_a_password_gets_the_link(
    client, admin_user, municipality, other_municipality, django_capture_on_commit_callbacks
):
    invited = UserFactory(email="nog@example.test")
    invited.set_unusable_password()
    invited.save()
    make_person(other_municipality, user=invited)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/beheer/medewerkers/uitnodigen/", {"full_name": "N", "email": invited.email})
    assert "/wachtwoord-instellen/" in mail.outbox[0].body


def test_an_account_switched_off_on_the_platform_cannot_be_invited(
    client, admin_user, municipality
):
    UserFactory(email="uit@example.test", is_active=False)
    client.force_login(admin_user)
    response = client.post(
        "/beheer/medewerkers/uitnodigen/", {"full_name": "U", "email": "uit@example.test"}
    )
    assert "geen toegang worden gegeven" in str(response.context["form"].errors)
    with scope(municipality=municipality):
        assert not StaffMember.objects.filter(user__email="uit@example.test").exists()
