from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "apps.agenda"
    verbose_name = _("Agenda")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.agenda.case_sections import case_appointments
        from apps.cases.registry import register_case_section

        register_case_section("agenda", case_appointments)
