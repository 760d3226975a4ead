from celery import Task, shared_task
from django.apps import apps as django_apps
from django_scopes import scope, scopes_disabled

from apps.core import rls
from apps.core.health import record_worker_heartbeat


@shared_task(ignore_result=True)
def worker_heartbeat():
    """Every minute (beat): a worker took a task off the queue just now; the
    readiness check (/readyz) reads the time."""
    record_worker_heartbeat()


# The Celery base task for work inside one municipality. The kernel names the
# tenant model by its label, as MunicipalityOwned's foreign key does.
class MunicipalityTask(Task):
    """Runs the task body inside the scope of the municipality given as the
    `municipality_id` keyword argument. A task without it, or for an inactive
    municipality, fails instead of running unscoped.

    Usage::

        @shared_task(base=MunicipalityTask, bind=True)
        def build_report(self, *, municipality_id, report_id): ...
    """

    abstract = True

    def __call__(self, *args, **kwargs):
        municipality_id = kwargs.get("municipality_id")
        if municipality_id is None:
            raise ValueError(f"{self.name} needs the keyword argument municipality_id")
        Municipality = django_apps.get_model("tenants", "Municipality")
        with scopes_disabled():
            municipality = Municipality.objects.get(pk=municipality_id, is_active=True)
        with rls.application(), scope(municipality=municipality):
            return super().__call__(*args, **kwargs)
