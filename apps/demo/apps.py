from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The local demo (`manage.py seed_demo`, run by `make run`): demo
    municipalities, people and Overbetuwe's 2015 history (history.py). Debug and
    demo databases only; the top layer, it imports any app below it."""

    name = "apps.demo"
    label = "demo"
    # No models and no admin: the name is never shown, so it needs no translation.
