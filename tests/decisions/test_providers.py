"""#21 part 1: providers (zorgaanbieders), configured by the municipality admin,
and the form of delivery (zorg in natura by a provider, or a pgb) on the
proposal, the decision, the provision and the letter."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from apps.decisions import services as decisions
from apps.decisions.models import Decision, DecisionLetter, Proposal, Provider, Provision
from apps.teams.models import Membership, Team
from tests.cases.api_world import api_for
from tests.conftest import make_person
from tests.decisions.conftest import submitted_proposal
from tests.decisions.test_letters import pdf_text
from tests.factories import ProviderFactory, ProvisionTypeFactory

F, K = Membership.Function, Team.Kind


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def provider_data(**overrides):
    return {"name": "Thuiszorg Betuwe", "agb_code": "12345678", "is_active": "on", **overrides}


def contracted(town, **kwargs):
    with scope(municipality=town["m"]):
        return ProviderFactory(
            municipality=town["m"], provision_types=[town["household_help"]], **kwargs
        )


ZIN_BLANKS = {"budget_amount": None, "budget_period": ""}


# --- the admin's pages -------------------------------------------------------------------


def test_admin_creates_and_edits_a_provider(admin_client, municipality):
    with scope(municipality=municipality):
        help_ = ProvisionTypeFactory(municipality=municipality, name="Hulp bij het huishouden")
    assert 'href="/beheer/aanbieders/"' in admin_client.get("/beheer/").content.decode()
    response = admin_client.post(
        "/beheer/aanbieders/nieuw/", provider_data(provision_types=[help_.pk])
    )
    assert response.status_code == 302
    with scope(municipality=municipality):
        provider = Provider.objects.get(name="Thuiszorg Betuwe")
        assert list(provider.provision_types.all()) == [help_]
    page = admin_client.get("/beheer/aanbieders/").content.decode()
    assert "Thuiszorg Betuwe" in page and "12345678" in page and "Hulp bij het huishouden" in page
    response = admin_client.post(
        f"/beheer/aanbieders/{provider.pk}/",
        provider_data(name="Thuiszorg Betuwe BV", phone="0481 123456", version=provider.version),
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Thuiszorg Betuwe BV" and provider.phone == "0481 123456"
    with scope(municipality=municipality):
        assert not provider.provision_types.exists()


def test_a_concurrent_edit_of_a_provider_is_refused(admin_client, municipality):
    with scope(municipality=municipality):
        provider = ProviderFactory(municipality=municipality, name="Oud")
    ok = admin_client.post(
        f"/beheer/aanbieders/{provider.pk}/", provider_data(name="Nieuw", version=provider.version)
    )
    assert ok.status_code == 302
    stale = admin_client.post(
        f"/beheer/aanbieders/{provider.pk}/", provider_data(name="Ander", version=provider.version)
    )
    assert "intussen gewijzigd" in stale.content.decode()
    provider.refresh_from_db()
    assert provider.name == "Nieuw"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"agb_code": "1234"}, "agb_code", "Een AGB-code bestaat uit precies 8 cijfers."),
        ({"agb_code": "1234567a"}, "agb_code", "Een AGB-code bestaat uit precies 8 cijfers."),
        ({"agb_code": "87654321"}, "agb_code", "al een aanbieder met deze AGB-code"),
        ({"name": "bestaand"}, "name", "al een aanbieder met deze naam"),
        ({"name": ""}, "name", "Dit veld is vereist."),
        ({"email": "geen-adres"}, "email", "e-mailadres"),
    ],
)
def test_bad_provider_input_names_the_field_and_saves_nothing(
    admin_client, municipality, data, field, message
):
    with scope(municipality=municipality):
        ProviderFactory(municipality=municipality, name="Bestaand", agb_code="87654321")
    response = admin_client.post("/beheer/aanbieders/nieuw/", provider_data(**data))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    with scope(municipality=municipality):
        assert Provider.objects.count() == 1


def test_the_agb_code_is_optional_and_unique_only_within_the_municipality(
    admin_client, municipality, other_municipality
):
    with scope(municipality=other_municipality):
        ProviderFactory(municipality=other_municipality, agb_code="12345678")
    assert admin_client.post("/beheer/aanbieders/nieuw/", provider_data()).status_code == 302
    response = admin_client.post(
        "/beheer/aanbieders/nieuw/", provider_data(name="Zonder AGB", agb_code="")
    )
    assert response.status_code == 302
    response = admin_client.post(
        "/beheer/aanbieders/nieuw/", provider_data(name="Ook zonder AGB", agb_code="")
    )
    assert response.status_code == 302


def test_another_municipalitys_provider_is_not_found(admin_client, other_municipality):
    with scope(municipality=other_municipality):
        theirs = ProviderFactory(municipality=other_municipality)
    assert admin_client.get(f"/beheer/aanbieders/{theirs.pk}/").status_code == 404
    assert (
        admin_client.post(
            f"/beheer/aanbieders/{theirs.pk}/", provider_data(version=theirs.version)
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "person",
    [
        {"memberships": [(K.KERNTEAM, F.TEAM_MEMBER)]},
        {"memberships": [(K.LOKET, F.CONSULTANT)]},
        {"policy": True},
    ],
)
def test_only_the_municipality_admin_manages_providers(client, municipality, person):
    with scope(municipality=municipality):
        provider = ProviderFactory(municipality=municipality, name="Blijft")
    client.force_login(make_person(municipality, **person))
    assert client.get("/beheer/aanbieders/").status_code == 403
    assert client.post("/beheer/aanbieders/nieuw/", provider_data()).status_code == 403
    assert (
        client.post(
            f"/beheer/aanbieders/{provider.pk}/", provider_data(version=provider.version)
        ).status_code
        == 403
    )
    with scope(municipality=municipality):
        assert list(Provider.objects.values_list("name", flat=True)) == ["Blijft"]


def test_the_provider_list_takes_a_fixed_number_of_queries(
    admin_client, municipality, django_assert_max_num_queries
):
    with scope(municipality=municipality):
        types = [ProvisionTypeFactory(municipality=municipality) for _ in range(3)]
        for _ in range(8):
            ProviderFactory(municipality=municipality, provision_types=types)
    with django_assert_max_num_queries(12):
        response = admin_client.get("/beheer/aanbieders/")
    assert response.status_code == 200
    assert response.content.decode().count("Thuiszorg De Linge") >= 8


# --- the API -----------------------------------------------------------------------------


def test_the_api_lists_providers_to_staff_and_the_admin_writes_them(
    municipality, other_municipality
):
    admin = make_person(municipality, admin=True)
    member = make_person(municipality, memberships=[(K.KERNTEAM, F.TEAM_MEMBER)])
    with scope(municipality=municipality):
        help_ = ProvisionTypeFactory(municipality=municipality)
    with scope(municipality=other_municipality):
        theirs = ProviderFactory(municipality=other_municipality)
        their_type = ProvisionTypeFactory(municipality=other_municipality)
    api = api_for(admin, municipality)
    created = api.post(
        "/api/v1/providers/",
        {"name": "Zorggroep", "agb_code": "11112222", "provision_types": [help_.pk]},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["provision_types"] == [help_.pk] and body["version"] == 1
    url = f"/api/v1/providers/{body['id']}/"
    changed = api.patch(url, {"phone": "0481 000000", "version": 1}, format="json")
    assert changed.status_code == 200 and changed.json()["version"] == 2
    # Based on the version before: refused, nothing overwritten.
    assert api.patch(url, {"phone": "x", "version": 1}, format="json").status_code == 409
    # Bad input: the field named, nothing saved.
    bad = api.post("/api/v1/providers/", {"name": "Y", "agb_code": "12"}, format="json")
    assert bad.status_code == 400 and "agb_code" in bad.json()
    # Another municipality's provider and provision type do not exist here.
    assert api.get(f"/api/v1/providers/{theirs.pk}/").status_code == 404
    foreign = api.post(
        "/api/v1/providers/", {"name": "Z", "provision_types": [their_type.pk]}, format="json"
    )
    assert foreign.status_code == 400 and "provision_types" in foreign.json()
    # Every staff member reads; only the admin writes.
    staff_api = api_for(member, municipality)
    listed = staff_api.get("/api/v1/providers/")
    assert listed.status_code == 200
    assert [p["name"] for p in listed.json()["results"]] == ["Zorggroep"]
    assert staff_api.post("/api/v1/providers/", {"name": "W"}, format="json").status_code == 403
    assert staff_api.patch(url, {"name": "W", "version": 2}, format="json").status_code == 403
    with scope(municipality=municipality):
        assert list(Provider.objects.values_list("name", flat=True)) == ["Zorggroep"]


# --- the rule of the form of delivery ------------------------------------------------------


def test_voorwerk_may_leave_the_form_open_but_the_loket_cannot_grant_without(town):
    proposal = submitted_proposal(town, delivery_form="", budget_amount=None, budget_period="")
    with scope(municipality=town["m"]), pytest.raises(ValidationError) as error:
        decisions.proposal_decide(actor=town["consultant"], proposal=proposal, outcome="granted")
    assert "delivery_form" in error.value.message_dict
    with scope(municipality=town["m"]):
        assert not Decision.objects.filter(proposal=proposal).exists()
        # A refusal needs no form.
        decision = decisions.proposal_decide(
            actor=town["consultant"], proposal=proposal, outcome="refused", reasons="Nee."
        )
    assert decision.delivery_form == ""


def test_a_grant_in_kind_copies_the_provider_onto_decision_and_provision(town):
    provider = contracted(town, name="Thuiszorg Betuwe", agb_code="12345678")
    proposal = submitted_proposal(town, delivery_form="zin", provider=provider, **ZIN_BLANKS)
    with scope(municipality=town["m"]):
        decision = decisions.proposal_decide(
            actor=town["consultant"], proposal=proposal, outcome="granted"
        )
        provision = Provision.objects.get(decision=decision)
    assert (decision.delivery_form, decision.provider) == ("zin", provider)
    assert (provision.delivery_form, provision.provider, provision.budget_amount) == (
        "zin",
        provider,
        None,
    )
    assert decision.delivery_form_text == "in natura, geleverd door Thuiszorg Betuwe (AGB 12345678)"


def test_a_grant_with_changes_may_turn_zin_into_a_pgb(town):
    provider = contracted(town)
    proposal = submitted_proposal(town, delivery_form="zin", provider=provider, **ZIN_BLANKS)
    with scope(municipality=town["m"]):
        decision = decisions.proposal_decide(
            actor=town["consultant"],
            proposal=proposal,
            outcome="granted_changed",
            reasons="De inwoner kiest een pgb.",
            delivery_form="pgb",
            provider=None,
            budget_amount=Decimal("312.50"),
            budget_period="per_week",
        )
        provision = Provision.objects.get(decision=decision)
    assert (provision.delivery_form, provision.provider, provision.budget_amount) == (
        "pgb",
        None,
        Decimal("312.50"),
    )
    assert provision.budget_period == "per_week"


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"delivery_form": "zin", "provider": None, **ZIN_BLANKS}, "provider"),
        ({"delivery_form": "zin", "provider": "uncontracted", **ZIN_BLANKS}, "provider"),
        ({"delivery_form": "zin", "provider": "inactive", **ZIN_BLANKS}, "provider"),
        (
            {"delivery_form": "pgb", "budget_amount": None, "budget_period": "per_month"},
            "budget_amount",
        ),
        (
            {"delivery_form": "pgb", "budget_amount": 0, "budget_period": "per_month"},
            "budget_amount",
        ),
        ({"delivery_form": "pgb", "budget_amount": 100, "budget_period": ""}, "budget_period"),
        (
            {"delivery_form": "pgb", "provider": "contracted", "budget_amount": 100},
            "provider",
        ),
        ({"delivery_form": "zin", "provider": "contracted", "budget_amount": 100}, "budget_amount"),
        ({"delivery_form": "", "provider": "contracted", **ZIN_BLANKS}, "provider"),
    ],
)
def test_a_bad_form_of_delivery_names_the_field_and_saves_nothing(town, form, field):
    providers = {
        "contracted": contracted(town),
        "inactive": contracted(town, is_active=False),
    }
    with scope(municipality=town["m"]):
        providers["uncontracted"] = ProviderFactory(municipality=town["m"])
    form = {"budget_period": "per_month", **form}
    if isinstance(form.get("provider"), str):
        form["provider"] = providers[form["provider"]]
    proposal = submitted_proposal(town)
    with scope(municipality=town["m"]):
        before = Proposal.objects.count()
        with pytest.raises(ValidationError) as error:
            decisions.proposal_draft(
                actor=town["member"],
                case=proposal.case,
                provision_type=town["household_help"],
                start_date=proposal.start_date,
                end_date=proposal.end_date,
                motivation="Nodig",
                **form,
            )
        assert field in error.value.message_dict
        assert Proposal.objects.count() == before


def test_a_provider_of_another_municipality_is_refused_on_a_proposal(town, other_municipality):
    with scope(municipality=other_municipality):
        theirs = ProviderFactory(municipality=other_municipality)
    proposal = submitted_proposal(town)
    with scope(municipality=town["m"]), pytest.raises(ValidationError) as error:
        decisions.proposal_draft(
            actor=town["member"],
            case=proposal.case,
            provision_type=town["household_help"],
            start_date=proposal.start_date,
            end_date=proposal.end_date,
            motivation="Nodig",
            delivery_form="zin",
            provider=theirs,
        )
    assert "provider" in error.value.message_dict


def test_the_api_refuses_another_municipalitys_provider_and_grants_in_kind(
    town, other_municipality
):
    with scope(municipality=other_municipality):
        theirs = ProviderFactory(municipality=other_municipality)
    provider = contracted(town, name="Zorggroep De Linge")
    proposal = submitted_proposal(town)
    api = api_for(town["consultant"], town["m"])
    url = f"/api/v1/proposals/{proposal.pk}/decide/"
    base = {"outcome": "granted_changed", "reasons": "In natura.", "version": proposal.version}
    foreign = api.post(url, {**base, "delivery_form": "zin", "provider": theirs.pk}, format="json")
    assert foreign.status_code == 400 and "provider" in foreign.json()
    half = api.post(url, {**base, "delivery_form": "zin", "provider": provider.pk}, format="json")
    assert half.status_code == 400 and "budget_amount" in half.json()
    with scope(municipality=town["m"]):
        assert not Decision.objects.filter(proposal=proposal).exists()
    granted = api.post(
        url,
        {
            **base,
            "delivery_form": "zin",
            "provider": provider.pk,
            "budget_amount": None,
            "budget_period": "",
        },
        format="json",
    )
    assert granted.status_code == 201, granted.content
    body = granted.json()
    assert (body["delivery_form"], body["provider"], body["provider_name"]) == (
        "zin",
        provider.pk,
        "Zorggroep De Linge",
    )


def test_the_pages_show_the_form_of_delivery(town, client):
    proposal = submitted_proposal(town, budget_amount=Decimal("1234.5"), budget_period="per_year")
    client.force_login(town["consultant"])
    review = client.get(reverse("decisions:review", args=[proposal.pk])).content.decode()
    assert "als persoonsgebonden budget van € 1.234,50 per jaar" in review
    with scope(municipality=town["m"]):
        decision = decisions.proposal_decide(
            actor=town["consultant"], proposal=proposal, outcome="granted"
        )
    page = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "als persoonsgebonden budget van € 1.234,50 per jaar" in page


# --- the letter ----------------------------------------------------------------------------


def test_the_letter_states_the_provider_or_the_budget(town):
    provider = contracted(town, name="Thuiszorg Betuwe", agb_code="12345678")
    in_kind = submitted_proposal(town, delivery_form="zin", provider=provider, **ZIN_BLANKS)
    budget = submitted_proposal(town, budget_amount=Decimal("250"), budget_period="per_month")
    texts = []
    for proposal in (in_kind, budget):
        with scope(municipality=town["m"]):
            decision = decisions.proposal_decide(
                actor=town["consultant"], proposal=proposal, outcome="granted", queue_letter=False
            )
            letter = decisions.decision_letter_build(decision)
        with scopes_disabled():
            texts.append(pdf_text(DecisionLetter.objects.get(pk=letter.pk).file.read()))
    assert "innatura,geleverddoorThuiszorgBetuwe(AGB12345678)" in texts[0]
    assert "alspersoonsgebondenbudgetvan€250,00permaand" in texts[1]
