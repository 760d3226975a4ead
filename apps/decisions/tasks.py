"""Background jobs of decisions: thin, take ids, call services."""

from celery import shared_task
from django.db import DatabaseError
from django_scopes import scopes_disabled

from apps.tenants.models import Municipality
from apps.tenants.tasks import MunicipalityTask

RETRY = {
    # A full disk or a database that went away for a moment; a bug is not retried.
    "autoretry_for": (OSError, DatabaseError),
    "retry_backoff": 10,
    "retry_backoff_max": 10 * 60,
    "max_retries": 6,
    "acks_late": True,
}


@shared_task(base=MunicipalityTask, **RETRY)
def build_decision_letter(*, decision_id: int, municipality_id: int) -> int:
    """Build the letter of a decision once (idempotent: a retry finds it built)."""
    from apps.decisions.models import Decision
    from apps.decisions.services import decision_letter_build

    decision = Decision.objects.get(pk=decision_id, municipality_id=municipality_id)
    return decision_letter_build(decision).pk


@shared_task(base=MunicipalityTask, **RETRY)
def mark_reassessments(*, municipality_id: int) -> dict:
    """The daily sweep of one municipality: flag re-assessments, and build the
    letters that were never built (each once, see decision_letter_build)."""
    from apps.decisions.services import (
        decision_letter_build,
        decisions_without_letter,
        reassessments_mark,
    )

    municipality = Municipality.objects.get(pk=municipality_id)
    result = reassessments_mark(municipality)
    built = 0
    for decision in decisions_without_letter(municipality)[:500]:
        decision_letter_build(decision)
        built += 1
    return {**result, "letters_built": built}


@shared_task(acks_late=True)
def mark_reassessments_everywhere() -> int:
    """The daily beat job: one task per active municipality."""
    # Explicit: a sweep over every municipality, each handled in its own scope.
    with scopes_disabled():
        ids = list(Municipality.objects.filter(is_active=True).values_list("pk", flat=True))
    for municipality_id in ids:
        mark_reassessments.delay(municipality_id=municipality_id)
    return len(ids)


@shared_task(base=MunicipalityTask, **RETRY)
def build_objection_letter(*, objection_decision_id: int, municipality_id: int) -> int:
    """Build the letter of a decision on an objection once (idempotent)."""
    from apps.decisions.models import ObjectionDecision
    from apps.decisions.services import objection_letter_build

    result = ObjectionDecision.objects.get(
        pk=objection_decision_id, municipality_id=municipality_id
    )
    return objection_letter_build(result).pk
