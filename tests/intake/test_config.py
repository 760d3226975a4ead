"""The municipality admin's intake configuration: triage rules (order, test
form), life domains and the intake settings."""

import pytest
from django_scopes import scope

from apps.intake.models import Destination, IntakeSettings, LifeDomain, TriageRule
from apps.teams.models import Membership, Team
from tests.factories import (
    AreaFactory,
    IntakeSettingsFactory,
    LifeDomainFactory,
    TeamFactory,
    TriageRuleFactory,
)

F, K = Membership.Function, Team.Kind


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def overbetuwe(municipality):
    """Loket Samenleven, Kernteam Elst for the area Elst, and Overbetuwe's rules:
    Veilig Thuis and youth to the loket, everything else to the area's kernteam."""
    with scope(municipality=municipality):
        elst = AreaFactory(municipality=municipality, name="Elst")
        loket = TeamFactory(municipality=municipality, kind=K.LOKET, name="Loket Samenleven")
        kernteam = TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Kernteam Elst")
        kernteam.areas.set([elst])
        IntakeSettingsFactory(municipality=municipality, default_destination=Destination.AREA_TEAM)
        veilig_thuis = TriageRuleFactory(
            municipality=municipality,
            position=1,
            name="Veilig Thuis naar het loket",
            channel="veilig_thuis",
            destination=Destination.LOKET,
        )
        youth = TriageRuleFactory(
            municipality=municipality,
            position=2,
            name="Jeugd naar het loket",
            is_youth=True,
            destination=Destination.LOKET,
        )
    return {
        "elst": elst,
        "loket": loket,
        "kernteam": kernteam,
        "veilig_thuis": veilig_thuis,
        "youth": youth,
    }


def rule_data(**overrides):
    return {"name": "Regel", "destination": "loket", "is_active": "on", **overrides}


def ordered_names(municipality):
    with scope(municipality=municipality):
        return list(TriageRule.objects.order_by("position", "pk").values_list("name", flat=True))


# --- the triage page ---------------------------------------------------------


def test_admin_sees_the_rules_in_order_with_conditions_default_and_explanation(
    admin_client, municipality, overbetuwe
):
    response = admin_client.get("/beheer/triage/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("Veilig Thuis naar het loket") < body.index("Jeugd naar het loket")
    assert "kanaal: melding Veilig Thuis" in body
    assert "het team van het gebied van de inwoner" in body  # the default destination
    assert "álle" in body and "standaardbestemming" in body  # how the rules are applied
    assert 'name="_municipality"' in body  # the move forms


def test_admin_creates_a_rule_that_is_placed_last(admin_client, municipality, overbetuwe):
    with scope(municipality=municipality):
        domain = LifeDomainFactory(municipality=municipality, name="Geld")
    response = admin_client.post(
        "/beheer/triage/nieuw/",
        rule_data(
            name="Schulden in Elst naar het kernteam",
            channel="telephone",
            is_youth="no",
            law="participatiewet",
            life_domain=domain.pk,
            area=overbetuwe["elst"].pk,
            destination="team",
            team=overbetuwe["kernteam"].pk,
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == "/beheer/triage/"
    with scope(municipality=municipality):
        rule = TriageRule.objects.get(name="Schulden in Elst naar het kernteam")
        assert rule.municipality == municipality
        assert rule.position == 3
        assert rule.is_youth is False
        assert (rule.channel, rule.law, rule.life_domain, rule.area, rule.team) == (
            "telephone",
            "participatiewet",
            domain,
            overbetuwe["elst"],
            overbetuwe["kernteam"],
        )
    assert ordered_names(municipality)[-1] == "Schulden in Elst naar het kernteam"


def test_the_edit_page_shows_the_rule_as_saved(admin_client, municipality, overbetuwe):
    rule = overbetuwe["youth"]
    response = admin_client.get(f"/beheer/triage/{rule.pk}/")
    assert response.status_code == 200
    assert response.context["form"]["is_youth"].value() == "yes"
    body = response.content.decode()
    assert 'name="_municipality"' in body and 'name="version"' in body
    assert "<legend" in body  # conditions and destination are grouped
    response = admin_client.post(
        f"/beheer/triage/{rule.pk}/",
        rule_data(name="Jeugd naar het loket", is_youth="", version=rule.version),
    )
    assert response.status_code == 302
    with scope(municipality=municipality):
        rule.refresh_from_db()
        assert rule.is_youth is None
        assert rule.version == 2


def test_a_specific_team_destination_without_a_team_is_refused(admin_client, municipality):
    response = admin_client.post("/beheer/triage/nieuw/", rule_data(destination="team"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Kies het team waar de vraag heen gaat." in errors["team"]
    assert 'href="#id_team"' in response.content.decode()
    with scope(municipality=municipality):
        assert not TriageRule.objects.exists()


def test_a_team_with_another_destination_is_refused(admin_client, municipality, overbetuwe):
    response = admin_client.post(
        "/beheer/triage/nieuw/", rule_data(destination="loket", team=overbetuwe["kernteam"].pk)
    )
    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    assert ordered_names(municipality) == ["Veilig Thuis naar het loket", "Jeugd naar het loket"]


def test_a_team_of_another_municipality_does_not_exist_here(
    admin_client, municipality, other_municipality
):
    with scope(municipality=other_municipality):
        foreign = TeamFactory(municipality=other_municipality, name="Sociaal Team elders")
    foreign_response = admin_client.post(
        "/beheer/triage/nieuw/", rule_data(destination="team", team=foreign.pk)
    )
    missing_response = admin_client.post(
        "/beheer/triage/nieuw/", rule_data(destination="team", team=999_999)
    )
    foreign_errors = foreign_response.context["form"].errors["team"]
    assert foreign_errors == missing_response.context["form"].errors["team"]
    assert "Sociaal Team elders" not in foreign_response.content.decode()
    with scope(municipality=municipality):
        assert not TriageRule.objects.exists()


def test_an_inactive_team_cannot_be_chosen_for_a_new_rule(admin_client, municipality):
    with scope(municipality=municipality):
        closed = TeamFactory(municipality=municipality, is_active=False)
    response = admin_client.post(
        "/beheer/triage/nieuw/", rule_data(destination="team", team=closed.pk)
    )
    assert "team" in response.context["form"].errors
    with scope(municipality=municipality):
        assert not TriageRule.objects.exists()


def test_a_stale_version_is_refused_clearly_and_nothing_is_saved(
    admin_client, municipality, overbetuwe
):
    rule = overbetuwe["veilig_thuis"]
    first = admin_client.post(
        f"/beheer/triage/{rule.pk}/",
        rule_data(name="Veilig Thuis altijd naar het loket", channel="veilig_thuis", version=1),
    )
    assert first.status_code == 302
    second = admin_client.post(
        f"/beheer/triage/{rule.pk}/",
        rule_data(name="Veilig Thuis naar het kernteam", channel="veilig_thuis", version=1),
    )
    assert second.status_code == 200
    assert "Iemand anders heeft dit gegeven intussen gewijzigd" in second.content.decode()
    with scope(municipality=municipality):
        rule.refresh_from_db()
        assert rule.name == "Veilig Thuis altijd naar het loket"
        assert rule.version == 2


def test_an_edit_without_version_is_refused(admin_client, municipality, overbetuwe):
    rule = overbetuwe["youth"]
    response = admin_client.post(f"/beheer/triage/{rule.pk}/", rule_data(name="Anders"))
    assert response.status_code == 200
    with scope(municipality=municipality):
        rule.refresh_from_db()
        assert rule.name == "Jeugd naar het loket"


def test_rules_move_up_and_down(admin_client, municipality, overbetuwe):
    with scope(municipality=municipality):
        third = TriageRuleFactory(municipality=municipality, position=3, name="Derde")
    url = f"/beheer/triage/{third.pk}/verplaatsen/"
    response = admin_client.post(url, {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"] == f"/beheer/triage/#regel-{third.pk}"
    assert ordered_names(municipality) == [
        "Veilig Thuis naar het loket",
        "Derde",
        "Jeugd naar het loket",
    ]
    admin_client.post(url, {"direction": "up"})
    assert ordered_names(municipality)[0] == "Derde"
    # The first cannot go higher; nothing changes.
    admin_client.post(url, {"direction": "up"})
    assert ordered_names(municipality)[0] == "Derde"
    admin_client.post(
        f"/beheer/triage/{overbetuwe['veilig_thuis'].pk}/verplaatsen/", {"direction": "down"}
    )
    assert ordered_names(municipality) == [
        "Derde",
        "Jeugd naar het loket",
        "Veilig Thuis naar het loket",
    ]
    with scope(municipality=municipality):
        positions = list(TriageRule.objects.order_by("position").values_list("position", flat=True))
    assert positions == [1, 2, 3]


def test_a_move_without_a_direction_changes_nothing(admin_client, municipality, overbetuwe):
    before = ordered_names(municipality)
    response = admin_client.post(
        f"/beheer/triage/{overbetuwe['youth'].pk}/verplaatsen/",
        {"direction": "sideways"},
        follow=True,
    )
    assert "Kies omhoog of omlaag." in response.content.decode()
    assert ordered_names(municipality) == before
    assert (
        admin_client.get(f"/beheer/triage/{overbetuwe['youth'].pk}/verplaatsen/").status_code == 405
    )


def test_moving_a_rule_changes_the_outcome_of_triage(admin_client, municipality, overbetuwe):
    """A youth question by Veilig Thuis: the first matching rule decides."""
    query = {"channel": "veilig_thuis", "youth": "yes"}
    response = admin_client.get("/beheer/triage/", query)
    assert response.context["outcome"].rule == overbetuwe["veilig_thuis"]
    admin_client.post(f"/beheer/triage/{overbetuwe['youth'].pk}/verplaatsen/", {"direction": "up"})
    response = admin_client.get("/beheer/triage/", query)
    assert response.context["outcome"].rule == overbetuwe["youth"]
    assert "volgens regel 1" in response.content.decode()


# --- testing the rules on the page ------------------------------------------------


def test_the_try_form_shows_where_a_question_goes(admin_client, municipality, overbetuwe):
    elst = overbetuwe["elst"].pk
    cases = [
        ({"channel": "veilig_thuis", "youth": "no", "area": elst}, "Loket Samenleven", 1),
        ({"channel": "telephone", "youth": "yes", "area": elst}, "Loket Samenleven", 2),
        ({"channel": "telephone", "youth": "no", "area": elst}, "Kernteam Elst", None),
    ]
    for query, team, number in cases:
        response = admin_client.get("/beheer/triage/", query)
        assert response.status_code == 200
        outcome = response.context["outcome"]
        assert outcome.team.name == team, query
        assert response.context.get("outcome_number") == number
        assert response.context["outcome_kind"] == ("rule" if number else "default")
        assert f"<strong>{team}</strong>" in response.content.decode()


def test_the_try_form_falls_back_to_the_loket_when_the_area_has_no_team(
    admin_client, municipality, overbetuwe
):
    with scope(municipality=municipality):
        valburg = AreaFactory(municipality=municipality, name="Valburg")
    response = admin_client.get(
        "/beheer/triage/", {"channel": "telephone", "youth": "no", "area": valburg.pk}
    )
    assert response.context["outcome"].team == overbetuwe["loket"]
    assert response.context["outcome"].rule is None
    assert response.context["outcome_kind"] == "fallback"
    assert "ook de standaardbestemming niet" in response.content.decode()


def test_the_try_form_says_when_nothing_leads_anywhere(admin_client, municipality):
    response = admin_client.get("/beheer/triage/", {"channel": "telephone", "youth": "no"})
    assert response.context["outcome"].team is None
    assert "leiden naar geen enkel actief team" in response.content.decode()


def test_the_try_form_reports_missing_input_and_ids_of_elsewhere_are_unknown(
    admin_client, municipality, other_municipality, overbetuwe
):
    response = admin_client.get("/beheer/triage/", {"channel": ""})
    assert "channel" in response.context["try_form"].errors
    assert response.context["outcome"] is None
    with scope(municipality=other_municipality):
        foreign = AreaFactory(municipality=other_municipality, name="Gebied elders")
    response = admin_client.get(
        "/beheer/triage/", {"channel": "telephone", "youth": "no", "area": foreign.pk}
    )
    assert "area" in response.context["try_form"].errors
    assert "Gebied elders" not in response.content.decode()


def test_a_rule_to_an_inactive_team_is_flagged(admin_client, municipality, overbetuwe):
    with scope(municipality=municipality):
        team = TeamFactory(municipality=municipality, name="Oud team")
        TriageRuleFactory(
            municipality=municipality, name="Naar oud team", destination="team", team=team
        )
        Team.objects.filter(pk=team.pk).update(is_active=False)
    body = admin_client.get("/beheer/triage/").content.decode()
    assert "Het team is niet actief: de regel wordt overgeslagen." in body


def test_a_rule_about_an_inactive_life_domain_is_flagged(admin_client, municipality):
    with scope(municipality=municipality):
        TeamFactory(municipality=municipality, kind=K.LOKET)
        domain = LifeDomainFactory(municipality=municipality, is_active=False)
        TriageRuleFactory(municipality=municipality, life_domain=domain)
    body = admin_client.get("/beheer/triage/").content.decode()
    assert "Het leefgebied is niet actief: de regel is nooit meer van toepassing." in body


@pytest.mark.parametrize(
    "url",
    [
        "/beheer/triage/",
        "/beheer/triage/?channel=telephone&youth=no",
        "/beheer/triage/nieuw/",
        "/beheer/leefgebieden/",
        "/beheer/intake/",
    ],
)
def test_the_pages_use_a_fixed_number_of_queries(
    admin_client, municipality, url, django_assert_max_num_queries
):
    def grow(n):
        with scope(municipality=municipality):
            for _ in range(n):
                TriageRuleFactory(
                    municipality=municipality,
                    destination="team",
                    team=TeamFactory(municipality=municipality),
                    area=AreaFactory(municipality=municipality),
                    life_domain=LifeDomainFactory(municipality=municipality),
                )

    grow(2)
    with django_assert_max_num_queries(40) as small:
        assert admin_client.get(url).status_code == 200
    grow(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert admin_client.get(url).status_code == 200


# --- life domains ----------------------------------------------------------------


def test_admin_manages_life_domains(admin_client, municipality):
    with scope(municipality=municipality):
        LifeDomainFactory(municipality=municipality, name="Wonen", position=1)
    response = admin_client.get("/beheer/leefgebieden/nieuw/")
    assert response.context["form"]["position"].value() == 2
    response = admin_client.post(
        "/beheer/leefgebieden/nieuw/", {"name": "Geld", "position": 2, "is_active": "on"}
    )
    assert response.status_code == 302
    with scope(municipality=municipality):
        geld = LifeDomain.objects.get(name="Geld")
    response = admin_client.post(
        f"/beheer/leefgebieden/{geld.pk}/", {"name": "Geld", "position": 2, "version": 1}
    )
    assert response.status_code == 302
    with scope(municipality=municipality):
        geld.refresh_from_db()
        assert geld.is_active is False
    body = admin_client.get("/beheer/leefgebieden/").content.decode()
    assert body.index(">Wonen</a>") < body.index(">Geld</a>")
    assert "niet actief" in body


def test_a_duplicate_life_domain_is_refused_on_the_name(admin_client, municipality):
    with scope(municipality=municipality):
        LifeDomainFactory(municipality=municipality, name="Wonen")
    response = admin_client.post(
        "/beheer/leefgebieden/nieuw/", {"name": "wonen", "position": 1, "is_active": "on"}
    )
    assert (
        "Er is in deze gemeente al een leefgebied met deze naam."
        in response.context["form"].errors["name"]
    )
    with scope(municipality=municipality):
        assert LifeDomain.objects.count() == 1


def test_a_stale_life_domain_edit_is_refused(admin_client, municipality):
    with scope(municipality=municipality):
        domain = LifeDomainFactory(municipality=municipality, name="Wonen")
    data = {"position": 1, "is_active": "on", "version": 1}
    assert (
        admin_client.post(
            f"/beheer/leefgebieden/{domain.pk}/", {**data, "name": "Huisvesting"}
        ).status_code
        == 302
    )
    response = admin_client.post(f"/beheer/leefgebieden/{domain.pk}/", {**data, "name": "Woning"})
    assert "Iemand anders heeft dit gegeven intussen gewijzigd" in response.content.decode()
    with scope(municipality=municipality):
        domain.refresh_from_db()
        assert domain.name == "Huisvesting"


# --- intake settings -------------------------------------------------------------


def test_the_settings_page_makes_the_defaults_and_saves_a_default_team(admin_client, municipality):
    with scope(municipality=municipality):
        team = TeamFactory(municipality=municipality, name="Sociaal Team")
        assert not IntakeSettings.objects.exists()
    response = admin_client.get("/beheer/intake/")
    assert response.status_code == 200
    assert 'name="_municipality"' in response.content.decode()
    form = response.context["form"]
    assert form["default_destination"].value() == "loket"
    assert form["wmo_investigation_weeks"].value() == 6
    response = admin_client.post(
        "/beheer/intake/",
        {
            "default_destination": "team",
            "default_team": team.pk,
            "wmo_investigation_weeks": 8,
            "version": 1,
            **DECISION_SETTINGS,
        },
    )
    assert response.status_code == 302
    with scope(municipality=municipality):
        settings = IntakeSettings.objects.get()
        assert (settings.default_destination, settings.default_team, settings.version) == (
            "team",
            team,
            2,
        )
        assert settings.wmo_investigation_weeks == 8


# The settings of the decisions on the same page (tests/decisions/test_config.py).
DECISION_SETTINGS = {
    "personal_plan_days": 7,
    "wmo_decision_weeks": 2,
    "other_decision_weeks": 8,
    "reassessment_notice_weeks": 8,
}


def test_settings_refuse_bad_input_and_a_stale_version(admin_client, municipality):
    with scope(municipality=municipality):
        IntakeSettingsFactory(municipality=municipality)
    response = admin_client.post(
        "/beheer/intake/",
        {
            "default_destination": "team",
            "wmo_investigation_weeks": 0,
            "version": 1,
            **DECISION_SETTINGS,
        },
    )
    errors = response.context["form"].errors
    assert "default_team" in errors and "wmo_investigation_weeks" in errors
    ok = {
        "default_destination": "area_team",
        "wmo_investigation_weeks": 6,
        "version": 1,
        **DECISION_SETTINGS,
    }
    assert admin_client.post("/beheer/intake/", ok).status_code == 302
    response = admin_client.post("/beheer/intake/", {**ok, "default_destination": "loket"})
    assert "Iemand anders heeft dit gegeven intussen gewijzigd" in response.content.decode()
    with scope(municipality=municipality):
        assert IntakeSettings.objects.get().default_destination == "area_team"


# --- who may ----------------------------------------------------------------------


def test_the_configuration_home_links_to_the_intake_pages(admin_client):
    body = admin_client.get("/beheer/").content.decode()
    for url in ("/beheer/triage/", "/beheer/leefgebieden/", "/beheer/intake/"):
        assert f'href="{url}"' in body


@pytest.mark.parametrize(
    "memberships",
    [[(K.KERNTEAM, F.TEAM_MEMBER)], [(K.LOKET, F.GATE_CLARIFIER)], [(K.LOKET, F.CONSULTANT)]],
)
def test_only_the_municipality_admin_may_configure(client, municipality, overbetuwe, memberships):
    from tests.conftest import make_person

    client.force_login(make_person(municipality, memberships=memberships))
    with scope(municipality=municipality):
        domain = LifeDomainFactory(municipality=municipality)
    rule = overbetuwe["youth"]
    for url in (
        "/beheer/triage/",
        "/beheer/triage/nieuw/",
        f"/beheer/triage/{rule.pk}/",
        "/beheer/leefgebieden/",
        "/beheer/leefgebieden/nieuw/",
        f"/beheer/leefgebieden/{domain.pk}/",
        "/beheer/intake/",
    ):
        assert client.get(url).status_code == 403, url
    posts = {
        "/beheer/triage/nieuw/": rule_data(name="Stiekem"),
        f"/beheer/triage/{rule.pk}/": rule_data(name="Stiekem", version=rule.version),
        f"/beheer/triage/{rule.pk}/verplaatsen/": {"direction": "up"},
        "/beheer/leefgebieden/nieuw/": {"name": "Stiekem", "position": 1},
        "/beheer/intake/": {"default_destination": "loket", "wmo_investigation_weeks": 1},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    assert ordered_names(municipality) == ["Veilig Thuis naar het loket", "Jeugd naar het loket"]
    with scope(municipality=municipality):
        assert not LifeDomain.objects.filter(name="Stiekem").exists()
        assert IntakeSettings.objects.get().wmo_investigation_weeks == 6


def test_a_rule_or_life_domain_of_another_municipality_is_not_found(
    admin_client, municipality, other_municipality
):
    with scope(municipality=other_municipality):
        rule = TriageRuleFactory(municipality=other_municipality, name="Regel elders")
        domain = LifeDomainFactory(municipality=other_municipality, name="Leefgebied elders")
    assert admin_client.get(f"/beheer/triage/{rule.pk}/").status_code == 404
    assert (
        admin_client.post(
            f"/beheer/triage/{rule.pk}/", rule_data(name="Overgenomen", version=1)
        ).status_code
        == 404
    )
    assert (
        admin_client.post(f"/beheer/triage/{rule.pk}/verplaatsen/", {"direction": "up"}).status_code
        == 404
    )
    assert admin_client.get(f"/beheer/leefgebieden/{domain.pk}/").status_code == 404
    with scope(municipality=other_municipality):
        rule.refresh_from_db()
        assert (rule.name, rule.version) == ("Regel elders", 1)
    for url in ("/beheer/triage/", "/beheer/leefgebieden/"):
        body = admin_client.get(url).content.decode()
        assert "elders" not in body
