"""The provider table of docs/permissions.md (#21 part 1), cell by cell, on the
pages, the API and the services: this test reads the table and checks it."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django_scopes import scope

from apps.cases.services import case_open
from apps.decisions import services as decisions
from apps.decisions.models import Decision, Provider
from apps.teams.models import Membership, Team
from tests.cases.api_world import api_for
from tests.conftest import make_person
from tests.decisions.conftest import submitted_proposal
from tests.factories import ProviderFactory, QuestionFactory

F, K = Membership.Function, Team.Kind
ROLES = ("municipality_admin", "loket_consultant", "team_member", "policy_advisor", "staff")
DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def provider_table() -> list[list[str]]:
    text = DOC.read_text()
    section = text.split("## Providers and the form of delivery (#21 part 1)", 1)[1]
    section = section.split("\n## ", 1)[0]  # up to the next section
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    assert header == ["provider action", *ROLES]
    return [[c.strip() for c in row.strip("|").split("|")] for row in rows[1:]]


def person(municipality, town, role):
    if role == "municipality_admin":
        return make_person(municipality, admin=True)
    if role == "loket_consultant":
        return town["consultant"]
    if role == "team_member":
        return town["member"]
    if role == "policy_advisor":
        return make_person(municipality, policy=True)
    return make_person(municipality)


def test_the_table_has_a_row_per_checked_action():
    assert len(provider_table()) == 5
    for row in provider_table():
        assert all(cell in ("yes", "403", "–") for cell in row[1:]), row


@pytest.mark.parametrize("role", ROLES)
def test_every_cell_of_the_provider_table(client, town, role):
    m = town["m"]
    user = person(m, town, role)
    rows = {
        row[0].split(" (")[0]: dict(zip(ROLES, row[1:], strict=True)) for row in provider_table()
    }
    with scope(municipality=m):
        provider = ProviderFactory(municipality=m, provision_types=[town["household_help"]])
    api = api_for(user, m)
    client.force_login(user)

    expected = rows["list and open providers"][role]
    assert api.get("/api/v1/providers/").status_code == (200 if expected == "yes" else 403)
    assert api.get(f"/api/v1/providers/{provider.pk}/").status_code == (
        200 if expected == "yes" else 403
    )

    expected = rows["the admin pages"][role]
    code = 200 if expected == "yes" else 403
    assert client.get("/beheer/aanbieders/").status_code == code
    assert client.get("/beheer/aanbieders/nieuw/").status_code == code
    assert client.get(f"/beheer/aanbieders/{provider.pk}/").status_code == code

    expected = rows["create and change a provider"][role]
    created = api.post("/api/v1/providers/", {"name": f"Nieuw {role}"}, format="json")
    changed = api.patch(
        f"/api/v1/providers/{provider.pk}/",
        {"phone": "0481 1", "version": provider.version},
        format="json",
    )
    if expected == "yes":
        assert (created.status_code, changed.status_code) == (201, 200)
    else:
        assert (created.status_code, changed.status_code) == (403, 403)
        with scope(municipality=m):
            assert Provider.objects.count() == 1

    expected = rows["give a proposal a form of delivery"][role]
    proposal = submitted_proposal(town)
    case = proposal.case
    if role == "loket_consultant":
        # The loket drafts on its own cases (the loket's path).
        with scope(municipality=m):
            question = QuestionFactory(municipality=m, team=town["loket"])
            case = case_open(actor=user, question=question)
    with scope(municipality=m):
        if expected == "yes":
            drafted = decisions.proposal_draft(
                actor=user,
                case=case,
                provision_type=town["household_help"],
                start_date=proposal.start_date,
                end_date=proposal.end_date,
                motivation="Nodig",
                delivery_form="zin",
                provider=provider,
            )
            assert drafted.provider == provider
        else:
            with pytest.raises(PermissionDenied):
                decisions.proposal_draft(
                    actor=user,
                    case=proposal.case,
                    provision_type=town["household_help"],
                    start_date=proposal.start_date,
                    end_date=proposal.end_date,
                    motivation="Nodig",
                    delivery_form="zin",
                    provider=provider,
                )

    expected = rows["grant with a form of delivery, or change it at the grant"][role]
    response = api.post(
        f"/api/v1/proposals/{proposal.pk}/decide/",
        {
            "outcome": "granted_changed",
            "reasons": "In natura.",
            "delivery_form": "zin",
            "provider": provider.pk,
            "budget_amount": None,
            "budget_period": "",
            "version": proposal.version,
        },
        format="json",
    )
    with scope(municipality=m):
        granted = Decision.objects.filter(proposal=proposal).first()
    if expected == "yes":
        assert response.status_code == 201, response.content
        assert granted.provider == provider
    else:
        assert response.status_code in (403, 404)
        assert granted is None
