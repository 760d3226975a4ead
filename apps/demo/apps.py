from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The local demo (`manage.py seed_demo`, run by `make run`): demo
    municipalities, people and Overbetuwe's 2015 history (history.py). Debug and
    demo databases only; the top layer, it imports any app below it."""

    name = "apps.demo"
    label = "demo"
    verbose_name = _("Demo")
