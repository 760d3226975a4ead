from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    verbose_name = _("Documenten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.documents import case_sections  # the case page's documents

        case_sections.register()
