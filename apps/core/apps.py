from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self):
        from celery.signals import task_postrun, task_prerun
        from django.db.models.signals import post_migrate, pre_migrate

        from apps.core import (
            checks,  # noqa: F401 - registers the system checks
            rls,
        )

        pre_migrate.connect(rls.on_pre_migrate, dispatch_uid="portal_rls_pre_migrate")
        post_migrate.connect(rls.on_post_migrate, dispatch_uid="portal_rls_post_migrate")
        # A task runs as the application: unscoped code in it sees no municipality.
        task_prerun.connect(_task_started, dispatch_uid="portal_rls_task_prerun", weak=False)
        task_postrun.connect(_task_ended, dispatch_uid="portal_rls_task_postrun", weak=False)


def _task_started(task=None, **kwargs):
    from apps.core import rls

    tokens = getattr(task.request, "portal_rls_tokens", None)
    if tokens is None:
        tokens = task.request.portal_rls_tokens = []
    tokens.append(rls.enter_application())


def _task_ended(task=None, **kwargs):
    from apps.core import rls

    tokens = getattr(task.request, "portal_rls_tokens", None)
    if tokens:
        rls.leave_application(tokens.pop())
