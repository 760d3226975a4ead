from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "apps.agenda"
    verbose_name = _("Agenda")
    default_auto_field = "django.db.models.BigAutoField"
