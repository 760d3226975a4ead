"""What accounts asks the apps above it, which it may not import: the tenants app
registers the answers in its AppConfig.ready (apps.tenants.identity).

- Integration accounts (a staff member flagged as an integration in some
  municipality) only hold API keys: they never log in with a password, reset
  one or get an invitation.
- Resetting a person's second factor from the Django admin goes through the
  service that also revokes their API keys and tells them
  (apps.tenants.services.user_two_factor_reset).
"""

from django.core.exceptions import ImproperlyConfigured

_hooks = {}


def register(*, integration_user_ids, user_two_factor_reset) -> None:
    _hooks["integration_user_ids"] = integration_user_ids
    _hooks["user_two_factor_reset"] = user_two_factor_reset


def _hook(name):
    try:
        return _hooks[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"accounts needs {name}: the tenants app registers it in its ready()."
        ) from None


def integration_user_ids(users_qs=None) -> set[int]:
    return _hook("integration_user_ids")(users_qs)


def is_integration_user(user) -> bool:
    return bool(user.pk) and user.pk in integration_user_ids([user.pk])


def user_two_factor_reset(*, actor, user) -> int:
    return _hook("user_two_factor_reset")(actor=actor, user=user)
