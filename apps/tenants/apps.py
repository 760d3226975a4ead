from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "apps.tenants"
    label = "tenants"
    verbose_name = _("Gemeenten")

    def ready(self):
        from apps.accounts.signals import password_reset_completed
        from apps.tenants.services import password_reset_consequences

        password_reset_completed.connect(
            password_reset_consequences, dispatch_uid="tenants.password_reset_consequences"
        )
