"""Celery base task for work inside one municipality: it lives in the kernel
(apps.core.tasks) so that the kernel's own tasks (the access log's purge) can use
it; the apps above import it from here as before."""

from apps.core.tasks import MunicipalityTask

__all__ = ["MunicipalityTask"]
