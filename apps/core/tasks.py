from celery import shared_task

from apps.core.health import record_worker_heartbeat


@shared_task(ignore_result=True)
def worker_heartbeat():
    """Every minute (beat): a worker took a task off the queue just now; the
    readiness check (/readyz) reads the time."""
    record_worker_heartbeat()
