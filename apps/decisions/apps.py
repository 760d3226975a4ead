from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "apps.decisions"
    verbose_name = _("Voorzieningen en besluiten")
    default_auto_field = "django.db.models.BigAutoField"
