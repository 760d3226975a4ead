"""A proposal that revises a running provision (herindicatie, a change): for the
same resident, of a provision that still runs, and decided by a consultant
mandated for the law of the revised provision too. The rule lives in the
services; the proposal form, the review page and the API show its message."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.core.exceptions import DomainError
from apps.decisions import services as decisions
from apps.decisions.models import Decision, Proposal, Provision
from apps.teams.models import Membership
from apps.tenants.models import StaffMember
from tests.cases.api_world import api_for, build_world, open_case
from tests.factories import ResidentFactory


@pytest.fixture
def w(municipality, other_municipality):
    w = build_world(municipality, other_municipality)
    w.case = open_case(w)
    with scope(municipality=municipality):
        # A child in Anna's household, with a provision of their own.
        w.child = ResidentFactory(
            municipality=municipality,
            household=w.case.household,
            first_names="Daan",
            surname="de Vries",
            date_of_birth=timezone.localdate() - timedelta(days=365 * 10),
        )
        # consultant2 decides under both laws; consultant under the Wmo only.
        Membership.objects.filter(staff_member__user=w.consultant2).update(
            mandated_laws=["wmo", "jeugdwet"]
        )
    return w


def draft(w, *, provision_type=None, resident=None, **fields):
    today = timezone.localdate()
    values = {
        "volume": 3,
        "unit": "hours_per_week",
        "frequency": "per_week",
        "start_date": today,
        "end_date": today + timedelta(weeks=52),
        "motivation": "Nodig",
        "delivery_form": "pgb",
        "budget_amount": "250.00",
        "budget_period": "per_month",
        "resident": resident or w.case.resident,
    }
    values.update(fields)
    with scope(municipality=w.municipality):
        return decisions.proposal_draft(
            actor=w.member,
            case=w.case,
            provision_type=provision_type or w.household_help,
            **values,
        )


def submit(w, proposal):
    with scope(municipality=w.municipality):
        return decisions.proposal_submit(actor=w.member, proposal=proposal)


def running_provision(w, *, provision_type=None, resident=None):
    proposal = submit(w, draft(w, provision_type=provision_type, resident=resident))
    with scope(municipality=w.municipality):
        decision = decisions.proposal_decide(
            actor=w.consultant2, proposal=proposal, outcome="granted"
        )
        return Provision.objects.get(decision=decision)


def counts(w):
    with scopes_disabled():
        return (
            Proposal.objects.filter(municipality=w.municipality).count(),
            Decision.objects.filter(municipality=w.municipality).count(),
        )


# --- the service ---------------------------------------------------------------------------


def test_a_revision_of_another_residents_provision_is_refused_and_nothing_saved(w):
    childs = running_provision(w, resident=w.child)
    before = counts(w)
    with pytest.raises(ValidationError) as exc:
        draft(w, revises=childs)  # for Anna, revising Daan's provision
    assert "revises" in exc.value.message_dict
    assert "ander lid van het huishouden" in str(exc.value.message_dict["revises"])
    assert counts(w) == before


def test_a_revision_of_a_provision_that_no_longer_runs_is_refused(w):
    ended = running_provision(w)
    with scope(municipality=w.municipality):
        Provision.objects.filter(pk=ended.pk).update(status=Provision.Status.ENDED)
    before = counts(w)
    with pytest.raises(ValidationError) as exc:
        draft(w, revises=ended)
    assert "loopt niet meer" in str(exc.value.message_dict["revises"])
    assert counts(w) == before


def test_changing_the_resident_of_a_revision_to_another_member_is_refused(w):
    running = running_provision(w)
    proposal = draft(w, revises=running)
    with scope(municipality=w.municipality), pytest.raises(ValidationError) as exc:
        decisions.proposal_update(
            actor=w.member, proposal=proposal, expected_version=proposal.version, resident=w.child
        )
    assert "revises" in exc.value.message_dict
    with scope(municipality=w.municipality):
        assert Proposal.objects.get(pk=proposal.pk).resident_id == w.case.resident_id


def test_a_provision_is_revised_once_a_second_revision_cannot_be_granted(w):
    running = running_provision(w)
    first = submit(w, draft(w, revises=running, volume=4))
    second = submit(w, draft(w, revises=running, volume=5))
    with scope(municipality=w.municipality):
        decisions.proposal_decide(actor=w.consultant2, proposal=first, outcome="granted")
        before = counts(w)
        with pytest.raises(DomainError, match="loopt niet meer"):
            decisions.proposal_decide(actor=w.consultant2, proposal=second, outcome="granted")
        assert counts(w) == before
        assert Proposal.objects.get(pk=second.pk).status == Proposal.Status.SUBMITTED
        # Refusing it needs no running provision: nothing is revised then.
        refusal = decisions.proposal_decide(
            actor=w.consultant2, proposal=second, outcome="refused", reasons="Al herzien"
        )
    assert refusal.outcome == "refused"


def test_revising_a_provision_under_another_law_needs_the_mandate_for_that_law(w):
    youth = running_provision(w, provision_type=w.youth_care)
    proposal = submit(w, draft(w, revises=youth))  # a Wmo provision in its place
    with scope(municipality=w.municipality):
        before = counts(w)
        with pytest.raises(PermissionDenied, match="Jeugdwet"):
            decisions.proposal_decide(actor=w.consultant, proposal=proposal, outcome="granted")
        assert counts(w) == before
        assert Provision.objects.get(pk=youth.pk).status == Provision.Status.ACTIVE
        decisions.proposal_decide(actor=w.consultant2, proposal=proposal, outcome="granted")
        assert Provision.objects.get(pk=youth.pk).status == Provision.Status.REVISED


def test_a_revision_for_the_same_resident_and_law_is_granted(w):
    running = running_provision(w)
    proposal = submit(w, draft(w, revises=running, volume=5))
    with scope(municipality=w.municipality):
        decision = decisions.proposal_decide(
            actor=w.consultant, proposal=proposal, outcome="granted"
        )
        assert decision.is_grant
        assert Provision.objects.get(pk=running.pk).status == Provision.Status.REVISED


# --- the API -------------------------------------------------------------------------------


def test_the_api_refuses_a_revision_of_another_residents_provision(w):
    childs = running_provision(w, resident=w.child)
    before = counts(w)
    today = timezone.localdate()
    response = api_for(w.member, w.municipality).post(
        "/api/v1/proposals/",
        {
            "case": w.case.pk,
            "provision_type": w.household_help.pk,
            "resident": w.case.resident_id,
            "volume": "3.00",
            "unit": "hours_per_week",
            "frequency": "per_week",
            "start_date": today.isoformat(),
            "end_date": (today + timedelta(weeks=26)).isoformat(),
            "motivation": "Nodig",
            "delivery_form": "pgb",
            "budget_amount": "250.00",
            "budget_period": "per_month",
            "revises": childs.pk,
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "ander lid van het huishouden" in str(response.json()["revises"])
    assert counts(w) == before


def test_the_api_refuses_a_provision_of_another_municipality_as_revised(w, other_municipality):
    from tests.factories import ProvisionFactory

    with scope(municipality=other_municipality):
        foreign = ProvisionFactory(municipality=other_municipality)
    proposal = draft(w)
    response = api_for(w.member, w.municipality).patch(
        f"/api/v1/proposals/{proposal.pk}/",
        {"revises": foreign.pk, "version": proposal.version},
        format="json",
    )
    assert response.status_code == 400, response.content
    with scope(municipality=w.municipality):
        assert Proposal.objects.get(pk=proposal.pk).revises_id is None


def test_the_api_answers_403_to_a_revision_under_a_law_without_mandate(w):
    youth = running_provision(w, provision_type=w.youth_care)
    proposal = submit(w, draft(w, revises=youth))
    before = counts(w)
    response = api_for(w.consultant, w.municipality).post(
        f"/api/v1/proposals/{proposal.pk}/decide/",
        {"outcome": "granted", "version": proposal.version},
        format="json",
    )
    assert response.status_code == 403, response.content
    assert "Jeugdwet" in str(response.json())
    assert counts(w) == before


def test_the_api_answers_409_to_granting_a_revision_of_a_revised_provision(w):
    running = running_provision(w)
    first = submit(w, draft(w, revises=running, volume=4))
    second = submit(w, draft(w, revises=running, volume=5))
    with scope(municipality=w.municipality):
        decisions.proposal_decide(actor=w.consultant2, proposal=first, outcome="granted")
    before = counts(w)
    response = api_for(w.consultant2, w.municipality).post(
        f"/api/v1/proposals/{second.pk}/decide/",
        {"outcome": "granted", "version": second.version},
        format="json",
    )
    assert response.status_code == 409, response.content
    assert "loopt niet meer" in str(response.json())
    assert counts(w) == before


# --- the pages -----------------------------------------------------------------------------


def test_the_proposal_form_shows_why_another_residents_provision_cannot_be_revised(w, client):
    anna = running_provision(w)
    before = counts(w)
    client.force_login(w.member)
    today = timezone.localdate()
    response = client.post(
        reverse("cases:proposal_create", args=[w.case.pk]),
        {
            "provision_type": w.household_help.pk,
            "resident": w.child.pk,  # Daan, revising Anna's provision
            "volume": "3",
            "unit": "hours_per_week",
            "frequency": "per_week",
            "start_date": today.isoformat(),
            "end_date": "",
            "motivation": "Nodig",
            "delivery_form": "pgb",
            "budget_amount": "250.00",
            "budget_period": "per_month",
            "revises": anna.pk,
        },
    )
    assert response.status_code == 200
    assert "revises" in response.context["form"].errors
    assert "ander lid van het huishouden" in response.content.decode()
    assert counts(w) == before


def test_the_review_page_refuses_a_revision_under_a_law_without_mandate(w, client):
    youth = running_provision(w, provision_type=w.youth_care)
    proposal = submit(w, draft(w, revises=youth))
    before = counts(w)
    client.force_login(w.consultant)
    response = client.post(
        reverse("decisions:review", args=[proposal.pk]),
        {"outcome": "granted", "reasons": "", "version": proposal.version},
    )
    assert response.status_code == 403
    assert "Jeugdwet" in response.content.decode()
    assert counts(w) == before
    with scope(municipality=w.municipality):
        assert StaffMember.objects.filter(user=w.consultant).exists()


def test_the_review_page_shows_that_the_revised_provision_no_longer_runs(w, client):
    running = running_provision(w)
    first = submit(w, draft(w, revises=running, volume=4))
    second = submit(w, draft(w, revises=running, volume=5))
    with scope(municipality=w.municipality):
        decisions.proposal_decide(actor=w.consultant2, proposal=first, outcome="granted")
    before = counts(w)
    client.force_login(w.consultant2)
    response = client.post(
        reverse("decisions:review", args=[second.pk]),
        {"outcome": "granted", "reasons": "", "version": second.version},
    )
    assert response.status_code == 200
    assert "loopt niet meer" in response.content.decode()
    assert counts(w) == before
