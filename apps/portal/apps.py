from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top of the house: the start page, the menu counts, the "no
    municipality" page and the municipality switcher. It assembles what the
    domain apps register (apps.core.registry) and imports any app below it."""

    name = "apps.portal"
    label = "portal"
    # No models and no admin: the name is never shown, so it needs no translation.
