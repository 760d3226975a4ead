from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "apps.reporting"
    verbose_name = _("Rapportages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.reporting import blocks
        from apps.reporting.sql import register_sqlite_functions

        # The percentiles of the lead times on the local SQLite database.
        connection_created.connect(register_sqlite_functions, dispatch_uid="reporting_sqlite")
        blocks.register()
