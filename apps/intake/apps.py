from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.tenants.signals import municipality_created


def give_new_municipality_life_domains(sender, municipality, **kwargs):
    """A new municipality starts with the ZRM's life domains."""
    from apps.intake.services import life_domains_create_defaults

    life_domains_create_defaults(municipality)


class IntakeConfig(AppConfig):
    name = "apps.intake"
    verbose_name = _("Intake")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.intake import blocks

        municipality_created.connect(
            give_new_municipality_life_domains, dispatch_uid="intake.life_domains_defaults"
        )
        blocks.register()
