from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "apps.cases"
    verbose_name = _("Casussen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.cases import blocks

        blocks.register()
