from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.accounts.signals import password_reset_completed
from apps.core.registry import register_action_checks


class TenantsConfig(AppConfig):
    name = "apps.tenants"
    label = "tenants"
    verbose_name = _("Gemeenten")

    def ready(self):
        from apps.tenants import access_signals, audit, blocks, identity, permissions
        from apps.tenants.services import password_reset_consequences

        password_reset_completed.connect(
            password_reset_consequences, dispatch_uid="tenants.password_reset_consequences"
        )
        # The kernel's page base asks these whether a person may do an action.
        register_action_checks(
            has_action=permissions.has_action, require_action=permissions.require_action
        )
        # The access log records the roles and teams of the person acting.
        audit.register()
        identity.register()
        blocks.register()
        # Who the user is is cached under an access version; changes bump it.
        access_signals.connect()
