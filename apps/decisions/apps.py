from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "apps.decisions"
    verbose_name = _("Voorzieningen en besluiten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The services take the one key to write decisions at start-up, before
        # any script could ask for it (apps.decisions.models.decision_write_guard).
        from apps.decisions import blocks, casework, services  # noqa: F401

        casework.connect()
        blocks.register()
        from apps.decisions import case_sections  # the case page's voorwerk and provisions

        case_sections.register()
