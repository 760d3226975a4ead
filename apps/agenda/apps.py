from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.tenants.signals import staff_access_deactivated


def revoke_feeds_of_deactivated_staff(sender, staff_member, **kwargs):
    """A person whose access is switched off loses their calendar address; it
    stays revoked when the access is switched on again (they make a new one)."""
    from apps.agenda.services import calendar_feeds_revoke_with_access

    calendar_feeds_revoke_with_access(staff_member=staff_member)


class AgendaConfig(AppConfig):
    name = "apps.agenda"
    verbose_name = _("Agenda")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.agenda.case_sections import case_appointments
        from apps.cases.registry import register_case_section

        register_case_section("agenda", case_appointments)
        staff_access_deactivated.connect(
            revoke_feeds_of_deactivated_staff, dispatch_uid="agenda.revoke_feeds_with_access"
        )
