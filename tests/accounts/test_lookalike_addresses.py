"""Look-alike e-mail addresses (a long s `ſ` for `s`, a fullwidth letter)
are the same address: one lock counter, one reset-mail budget, one account.
The address is normalised (NFKC, lower case) before it is counted or looked up,
and stored normalised when an account is made."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django_scopes import scope

from apps.accounts.lockout import lockout_username
from apps.accounts.models import User
from apps.accounts.normalize import normalize_email
from apps.tenants.services import staff_invite
from tests.conftest import make_person
from tests.factories import UserFactory

PASSWORD = "a-Long-test-passw0rd"
LONG_S = "\u017f"  # ſ
FULLWIDTH_S = "\uff53"  # ｓ


@pytest.fixture
def sanne(municipality):
    return make_person(municipality, user=UserFactory(email="sanne@example.test"))


LOOKALIKES = [f"{LONG_S}anne@example.test", f"{FULLWIDTH_S}anne@example.test"]


def attempt(client, email, password="not-the-password"):  # noqa: S107
    return client.post("/inloggen/", {"username": email, "password": password})


def test_normalize_email_folds_lookalikes_to_one_address():
    for email in LOOKALIKES + ["SANNE@example.test", " Sanne@EXAMPLE.test "]:
        assert normalize_email(email) == "sanne@example.test"


@pytest.mark.parametrize("lookalike", LOOKALIKES)
def test_lookalike_address_counts_towards_the_same_login_lock(client, sanne, lookalike):
    for _ in range(4):
        attempt(client, lookalike)
    response = attempt(client, sanne.email)
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {sanne.email}


@pytest.mark.parametrize("lookalike", LOOKALIKES)
def test_lookalike_address_is_locked_when_the_real_one_is(client, sanne, lookalike):
    for _ in range(5):
        attempt(client, sanne.email)
    response = attempt(Client(), lookalike, PASSWORD)
    assert response.status_code == 429


@pytest.mark.parametrize("lookalike", LOOKALIKES)
def test_lookalike_address_logs_in_to_the_one_account(sanne, lookalike):
    browser = Client()
    attempt(browser, lookalike, PASSWORD)
    assert browser.session["_auth_user_id"] == str(sanne.pk)


@pytest.mark.parametrize("address", ["jan@straße.de", "jan@ὀδός.gr"])
def test_normalising_never_turns_an_address_into_another_mailbox(address):
    """Case folding would make `straße.de` into `strasse.de` (another domain under
    IDNA 2008) and a final `ς` into `σ`: another person's mailbox would get the
    invitation and the reset mails."""
    assert normalize_email(address) == address


def test_lockout_username_is_normalised():
    assert lockout_username(None, {"username": f"{LONG_S}anne@example.test"}) == (
        "sanne@example.test"
    )


@pytest.mark.parametrize("lookalike", LOOKALIKES)
def test_lookalike_address_shares_the_password_reset_budget(client, sanne, lookalike):
    for email in [sanne.email, lookalike, sanne.email.upper(), lookalike]:
        client.post("/wachtwoord-vergeten/", {"email": email})
    assert len(mail.outbox) == 3
    assert all(message.to == [sanne.email] for message in mail.outbox)


@pytest.mark.parametrize("lookalike", LOOKALIKES)
def test_lookalike_address_reaches_the_same_account_for_the_reset(client, sanne, lookalike):
    client.post("/wachtwoord-vergeten/", {"email": lookalike})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [sanne.email]


@pytest.mark.parametrize("lookalike", LOOKALIKES)
def test_inviting_a_lookalike_address_stores_it_normalised_and_keeps_one_account(
    municipality, other_municipality, sanne, lookalike
):
    with scope(municipality=other_municipality):
        staff = staff_invite(
            actor=None, municipality=other_municipality, email=lookalike, full_name="Sanne"
        )
    assert staff.user_id == sanne.pk
    assert User.objects.filter(email__icontains="anne@").count() == 1


def test_a_new_account_is_stored_with_the_normalised_address(municipality):
    with scope(municipality=municipality):
        staff = staff_invite(
            actor=None,
            municipality=municipality,
            email=f"{FULLWIDTH_S}em{LONG_S}@Example.test",
            full_name="Sem",
        )
    assert staff.user.email == "sems@example.test"
    user = User.objects.create_user(email=f"{LONG_S}tijn@example.test")
    assert user.email == "stijn@example.test"
