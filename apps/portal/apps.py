from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top of the house: the start page, the menu counts, the "no
    municipality" page and the municipality switcher. It assembles what the
    domain apps register (apps.core.registry) and imports any app below it."""

    name = "apps.portal"
    label = "portal"
    verbose_name = _("Portaal")
