"""The Celery app.

Without CELERY_BROKER_URL (or REDIS_URL) tasks run in-process (eager), which is
what `make run` uses. Tasks that touch municipality data subclass
`apps.tenants.tasks.MunicipalityTask`, which activates the tenancy scope.
"""

import os
import sys
from pathlib import Path

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

if Path(sys.argv[0]).name == "celery" or Path(sys.argv[0]).parent.name == "celery":
    # Started as `celery -A config ...`: a missing or wrong setting stops the
    # worker or beat with one line naming it, not a traceback (config/startup.py).
    from config.startup import fail, load_settings

    _problem = load_settings()
    if _problem is not None:
        fail(_problem)

app = Celery("toegang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _heartbeat_on_start(**kwargs):
    # Ready as soon as a worker is up, not a minute later at beat's first tick.
    from apps.core.health import record_worker_heartbeat

    record_worker_heartbeat()
