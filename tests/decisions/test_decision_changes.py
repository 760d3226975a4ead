"""One rule for what a decision may change (`decision_changes` in the service):
a grant "with changes" changes the values that differ from the proposal's; any
other outcome changes nothing, and a value typed that differs is refused on its
field, on the page and in the API alike."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from apps.decisions import services
from apps.decisions.models import Decision
from tests.cases.api_world import api_for, build_world, submitted_proposal


@pytest.fixture
def w(municipality, other_municipality):
    return build_world(municipality, other_municipality)


def decision_count(w):
    with scopes_disabled():
        return Decision.objects.filter(municipality=w.municipality).count()


def test_a_grant_with_changes_keeps_only_what_differs(w):
    proposal = submitted_proposal(w)
    changes = services.decision_changes(
        proposal,
        Decision.Outcome.GRANTED_CHANGED,
        {"volume": 2, "unit": proposal.unit, "end_date": proposal.end_date},
    )
    assert changes == {"volume": 2}


def test_a_grant_with_changes_that_changes_nothing_is_refused(w):
    proposal = submitted_proposal(w)
    with pytest.raises(ValidationError) as caught:
        services.decision_changes(
            proposal, Decision.Outcome.GRANTED_CHANGED, {"volume": proposal.volume}
        )
    assert "outcome" in caught.value.message_dict


@pytest.mark.parametrize("outcome", ["granted", "refused", "returned"])
def test_another_outcome_refuses_a_changed_value_on_its_field(w, outcome):
    proposal = submitted_proposal(w)
    with pytest.raises(ValidationError) as caught:
        services.decision_changes(proposal, outcome, {"volume": 1, "unit": proposal.unit})
    assert set(caught.value.message_dict) == {"volume"}
    # The proposal's own values (or blanks for blanks) change nothing: accepted.
    assert services.decision_changes(proposal, outcome, {"unit": proposal.unit}) == {}


def test_an_unknown_field_is_a_programming_error(w):
    proposal = submitted_proposal(w)
    with pytest.raises(TypeError):
        services.decision_changes(proposal, "granted", {"provision_type": 1})


def test_the_service_refuses_a_changed_value_with_a_plain_grant_and_saves_nothing(w):
    proposal = submitted_proposal(w)
    with scope(municipality=w.municipality), pytest.raises(ValidationError) as caught:
        services.proposal_decide(actor=w.consultant, proposal=proposal, outcome="granted", volume=1)
    assert "volume" in caught.value.message_dict
    assert decision_count(w) == 0


def test_page_and_api_give_the_same_field_message(client, w):
    proposal = submitted_proposal(w)
    message = "U wijzigde dit, maar koos niet 'Toekennen met wijzigingen'."
    client.force_login(w.consultant)
    response = client.post(
        reverse("decisions:review", args=[proposal.pk]),
        {"outcome": "granted", "reasons": "", "volume": "1", "version": proposal.version},
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["volume"])
    response = api_for(w.consultant, w.municipality).post(
        f"/api/v1/proposals/{proposal.pk}/decide/",
        {"outcome": "granted", "volume": "1.00", "version": proposal.version},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert message in str(response.json())
    assert decision_count(w) == 0


def test_the_api_accepts_the_proposals_own_values_with_a_plain_grant(w):
    proposal = submitted_proposal(w)
    response = api_for(w.consultant, w.municipality).post(
        f"/api/v1/proposals/{proposal.pk}/decide/",
        {"outcome": "granted", "volume": str(proposal.volume), "version": proposal.version},
        format="json",
    )
    assert response.status_code == 201, response.content
