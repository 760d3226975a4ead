"""Background jobs of the access log: thin, take ids, call services."""

from celery import shared_task
from django.db import DatabaseError
from django_scopes import scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.audit.services import access_log_purge
from apps.core.tasks import MunicipalityTask


def _municipality_model():
    # As the log's own foreign key names it: the kernel sits below tenants.
    return AccessLogEntry._meta.get_field("municipality").related_model


@shared_task(
    base=MunicipalityTask,
    autoretry_for=(DatabaseError,),
    retry_backoff=60,
    max_retries=5,
    acks_late=True,
)
def purge_access_log(*, municipality_id: int) -> int:
    """Remove one municipality's access log past its retention period
    (idempotent: a second run finds nothing left to remove)."""
    Municipality = _municipality_model()
    return access_log_purge(municipality=Municipality.objects.get(pk=municipality_id))


@shared_task(acks_late=True)
def purge_access_log_everywhere() -> int:
    """The monthly beat job: one purge per active municipality."""
    Municipality = _municipality_model()
    # Explicit: a sweep over every municipality, each purged in its own scope.
    with scopes_disabled():
        ids = list(Municipality.objects.filter(is_active=True).values_list("pk", flat=True))
    for municipality_id in ids:
        purge_access_log.delay(municipality_id=municipality_id)
    return len(ids)
