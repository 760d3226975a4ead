from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

from apps.documents.checks import check_virus_scanner


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    verbose_name = _("Documenten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.documents import case_sections  # the case page's documents

        case_sections.register()
        checks.register(check_virus_scanner, checks.Tags.security, deploy=True)
