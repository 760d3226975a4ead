from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "apps.letters"
    verbose_name = _("Brieven")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.letters import case_sections  # the case page's letters

        case_sections.register()
