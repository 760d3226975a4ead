"""Answers for the accounts app, which sits below tenants (apps.accounts.registry):
which accounts are integrations, and the second-factor reset with its
consequences. Registered in TenantsConfig.ready."""

from apps.accounts import registry
from apps.tenants.selectors import integration_user_ids
from apps.tenants.services import user_two_factor_reset


def register():
    registry.register(
        integration_user_ids=integration_user_ids,
        user_two_factor_reset=user_two_factor_reset,
    )
