"""The municipality admin's provision catalogue, and the decision settings on
the intake settings page."""

import pytest
from django_scopes import scope

from apps.decisions.models import ProvisionType
from apps.intake.models import IntakeSettings
from apps.teams.models import Membership, Team
from tests.conftest import make_person
from tests.factories import IntakeSettingsFactory, ProvisionTypeFactory

F, K = Membership.Function, Team.Kind


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def provision_data(**overrides):
    return {
        "name": "Rolstoel",
        "law": "wmo",
        "legal_basis": "artikel 2.3.5 Wmo 2015",
        "unit": "piece",
        "is_active": "on",
        **overrides,
    }


def test_admin_creates_and_edits_a_provision(admin_client, municipality):
    assert 'href="/beheer/voorzieningen/"' in admin_client.get("/beheer/").content.decode()
    response = admin_client.post("/beheer/voorzieningen/nieuw/", provision_data())
    assert response.status_code == 302
    with scope(municipality=municipality):
        wheelchair = ProvisionType.objects.get(name="Rolstoel")
    assert (wheelchair.law, wheelchair.unit, wheelchair.end_date_required) == (
        "wmo",
        "piece",
        False,
    )
    page = admin_client.get("/beheer/voorzieningen/").content.decode()
    assert "Rolstoel" in page and "artikel 2.3.5 Wmo 2015" in page
    response = admin_client.post(
        f"/beheer/voorzieningen/{wheelchair.pk}/",
        provision_data(
            name="Rolstoel (handbewogen)",
            end_date_required="on",
            default_duration_weeks=260,
            version=wheelchair.version,
        ),
    )
    assert response.status_code == 302
    wheelchair.refresh_from_db()
    assert wheelchair.name == "Rolstoel (handbewogen)" and wheelchair.default_duration_weeks == 260
    # The same form once more, from before that save: refused, nothing overwritten.
    stale = admin_client.post(
        f"/beheer/voorzieningen/{wheelchair.pk}/",
        provision_data(name="Scootmobiel", version=wheelchair.version - 1),
    )
    assert "intussen gewijzigd" in stale.content.decode()
    wheelchair.refresh_from_db()
    assert wheelchair.name == "Rolstoel (handbewogen)"


def test_a_name_is_unique_in_the_municipality_and_fields_are_checked(
    admin_client, municipality, other_municipality
):
    with scope(municipality=municipality):
        ProvisionTypeFactory(municipality=municipality, name="Rolstoel")
    with scope(municipality=other_municipality):
        ProvisionTypeFactory(municipality=other_municipality, name="Scootmobiel")
    response = admin_client.post("/beheer/voorzieningen/nieuw/", provision_data(name="rolstoel"))
    assert (
        "Er is in deze gemeente al een voorziening met deze naam."
        in (response.context["form"].errors["name"])
    )
    response = admin_client.post(
        "/beheer/voorzieningen/nieuw/",
        provision_data(name="Scootmobiel", legal_basis="", default_duration_weeks=0),
    )
    errors = response.context["form"].errors
    assert "legal_basis" in errors and "default_duration_weeks" in errors
    # Another municipality's name is no clash.
    ok = admin_client.post("/beheer/voorzieningen/nieuw/", provision_data(name="Scootmobiel"))
    assert ok.status_code == 302
    with scope(municipality=municipality):
        assert ProvisionType.objects.count() == 2


def test_another_municipalitys_provision_is_not_found(admin_client, other_municipality):
    with scope(municipality=other_municipality):
        theirs = ProvisionTypeFactory(municipality=other_municipality)
    assert admin_client.get(f"/beheer/voorzieningen/{theirs.pk}/").status_code == 404


@pytest.mark.parametrize(
    "memberships",
    [[(K.KERNTEAM, F.TEAM_MEMBER)], [(K.LOKET, F.CONSULTANT)]],
)
def test_only_the_municipality_admin_manages_the_catalogue(client, municipality, memberships):
    client.force_login(make_person(municipality, memberships=memberships))
    assert client.get("/beheer/voorzieningen/").status_code == 403
    assert client.post("/beheer/voorzieningen/nieuw/", provision_data()).status_code == 403
    with scope(municipality=municipality):
        assert not ProvisionType.objects.exists()


def test_the_intake_settings_page_saves_the_decision_settings(admin_client, municipality):
    with scope(municipality=municipality):
        IntakeSettingsFactory(municipality=municipality)
    response = admin_client.post(
        "/beheer/intake/",
        {
            "default_destination": "loket",
            "wmo_investigation_weeks": 6,
            "personal_plan_days": 10,
            "wmo_decision_weeks": 3,
            "other_decision_weeks": 6,
            "reassessment_notice_weeks": 12,
            "letter_sender": "Gemeente Overbetuwe, Loket Samenleven",
            "postal_address": "Postbus 11\n6660 AA Elst",
            "phone": "14 0481",
            "version": 1,
        },
    )
    assert response.status_code == 302
    with scope(municipality=municipality):
        settings = IntakeSettings.objects.get()
    assert (
        settings.personal_plan_days,
        settings.wmo_decision_weeks,
        settings.other_decision_weeks,
        settings.reassessment_notice_weeks,
    ) == (10, 3, 6, 12)
    assert settings.postal_address == "Postbus 11\n6660 AA Elst"
    bad = admin_client.post(
        "/beheer/intake/",
        {"default_destination": "loket", "wmo_investigation_weeks": 6, "wmo_decision_weeks": 0},
    )
    assert "wmo_decision_weeks" in bad.context["form"].errors
