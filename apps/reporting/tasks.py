"""Background jobs of the reports: thin, take ids, call the services."""

import logging

from celery import shared_task
from django_scopes import scopes_disabled

from apps.tenants.models import Municipality
from apps.tenants.tasks import MunicipalityTask

logger = logging.getLogger("portal.reporting")

# How long a build waits when its municipality already has its share of builds
# running (REPORT_BUILDS_PER_MUNICIPALITY) before it tries again.
BUSY_COUNTDOWN = 60


@shared_task(
    base=MunicipalityTask,
    bind=True,
    acks_late=True,
    max_retries=4,
    # Long enough for a year of a large municipality (see scripts/bench_reports.py).
    soft_time_limit=10 * 60,
    time_limit=11 * 60,
)
def build_report(self, *, report_id: int, municipality_id: int) -> str | None:
    """Build one report. Idempotent: a report that is ready, failed or being
    built by another worker is left alone. A transient error (database or disk
    away) is retried with backoff; anything else leaves the report failed. A
    build whose municipality has its share of builds running goes back in the
    queue for a while instead of holding the worker."""
    from apps.reporting.services import TRANSIENT_ERRORS, MunicipalityBusy, report_build

    try:
        # In-process (no broker, the local demo): the build takes no shared
        # worker, and sending it again would run it right here again and again.
        report = report_build(report_id, fair_share=not self.request.is_eager)
    except MunicipalityBusy:
        # Sent again, not retried: waiting its turn uses up none of max_retries.
        # If the broker is away now, the report stays queued for the sweep.
        try:
            self.apply_async(
                kwargs={"report_id": report_id, "municipality_id": municipality_id},
                countdown=BUSY_COUNTDOWN,
            )
        except Exception:
            logger.warning("report %s could not be sent again; the sweep will", report_id)
        return None
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            return None  # the service marked it failed on the last attempt
        countdown = min(30 * 2**self.request.retries, 15 * 60)
        raise self.retry(exc=exc, countdown=countdown) from exc
    except Exception:
        logger.exception("report %s failed", report_id)
        return None
    return report.status if report is not None else None


@shared_task(base=MunicipalityTask, acks_late=True)
def schedule_monthly_report(*, municipality_id: int) -> int:
    from apps.reporting.services import report_schedule_last_month

    report, _created = report_schedule_last_month(Municipality.objects.get(pk=municipality_id))
    return report.pk


@shared_task(acks_late=True)
def schedule_monthly_reports_everywhere() -> int:
    """The beat job on the first of the month: last month's report for every
    active municipality."""
    with scopes_disabled():
        ids = list(Municipality.objects.filter(is_active=True).values_list("pk", flat=True))
    for municipality_id in ids:
        schedule_monthly_report.delay(municipality_id=municipality_id)
    return len(ids)


@shared_task(base=MunicipalityTask, acks_late=True)
def sweep_reports(*, municipality_id: int) -> dict:
    from apps.reporting.services import reports_sweep

    return reports_sweep(Municipality.objects.get(pk=municipality_id))


@shared_task(acks_late=True)
def sweep_reports_everywhere() -> int:
    """Every ten minutes: resend requests that never reached a worker, give up
    on builds that hang."""
    from apps.reporting.models import Report

    with scopes_disabled():
        ids = list(
            Municipality.objects.filter(is_active=True)
            .filter(
                pk__in=Report.objects.filter(status__in=Report.IN_PROGRESS).values("municipality")
            )
            .values_list("pk", flat=True)
        )
    for municipality_id in ids:
        sweep_reports.delay(municipality_id=municipality_id)
    return len(ids)
