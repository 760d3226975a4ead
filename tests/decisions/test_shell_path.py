"""Rule 1 from a shell: there is no operator path around `proposal_decide`. Without
a user, or as a superuser without a loket membership, deciding is refused; and a
decision cannot be written, changed or deleted through the ORM, nor changed or
deleted with raw SQL (a PostgreSQL trigger)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django_scopes import scope, scopes_disabled

from apps.core.models import AppendOnlyError
from apps.decisions.models import Decision
from apps.decisions.services import proposal_decide
from tests.cases.api_world import build_world, submitted_proposal
from tests.factories import DecisionFactory, UserFactory


@pytest.fixture
def w(municipality, other_municipality):
    return build_world(municipality, other_municipality)


def decisions_now():
    with scopes_disabled():
        return list(Decision.objects.values_list("pk", "outcome", "reasons"))


@pytest.mark.parametrize("who", ["nobody", "superuser", "anonymous"])
def test_deciding_without_a_mandated_consultant_is_refused(w, who):
    from django.contrib.auth.models import AnonymousUser

    actor = {
        "nobody": None,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "anonymous": AnonymousUser(),
    }[who]
    proposal = submitted_proposal(w)
    with scope(municipality=w.municipality), pytest.raises(PermissionDenied):
        proposal_decide(actor=actor, proposal=proposal, outcome="granted")
    assert decisions_now() == []


def test_a_decision_cannot_be_created_outside_proposal_decide(w):
    proposal = submitted_proposal(w)
    template = DecisionFactory.build(
        municipality=w.municipality, proposal=proposal, case=proposal.case
    )
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Decision._meta.concrete_fields
        if not f.primary_key
    }
    with scope(municipality=w.municipality):
        with pytest.raises(AppendOnlyError):
            Decision.objects.create(**fields)
        with pytest.raises(AppendOnlyError):
            Decision(**fields).save()
        with pytest.raises(AppendOnlyError):
            Decision.objects.bulk_create([Decision(**fields)])
        with pytest.raises(AppendOnlyError):
            Decision._base_manager.bulk_create([Decision(**fields)])
    assert decisions_now() == []


@pytest.fixture
def decision(w):
    proposal = submitted_proposal(w)
    with scope(municipality=w.municipality):
        return proposal_decide(actor=w.consultant, proposal=proposal, outcome="granted")


def test_a_decision_cannot_be_changed_or_deleted_through_the_orm(w, decision):
    before = decisions_now()
    with scope(municipality=w.municipality):
        decision.outcome = "refused"
        with pytest.raises(AppendOnlyError):
            decision.save()
        with pytest.raises(AppendOnlyError):
            decision.delete()
        for manager in (Decision.objects, Decision._base_manager):
            with pytest.raises(AppendOnlyError):
                manager.filter(pk=decision.pk).update(outcome="refused")
            with pytest.raises(AppendOnlyError):
                manager.filter(pk=decision.pk).delete()
            with pytest.raises(AppendOnlyError):
                manager.update_or_create(pk=decision.pk, defaults={"reasons": "x"})
    assert decisions_now() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE decisions_decision SET outcome = 'refused' WHERE id = %s",
        "DELETE FROM decisions_decision WHERE id = %s",
        "UPDATE decisions_deadlinechange SET reason = 'x' WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_a_decision(w, decision, sql):
    before = decisions_now()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [decision.pk])
    assert decisions_now() == before
