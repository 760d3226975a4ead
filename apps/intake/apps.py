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
        from django.db.models.signals import post_delete, post_save

        from apps.intake import blocks, counts
        from apps.intake.models import Question, QuestionForward, Resident

        municipality_created.connect(
            give_new_municipality_life_domains, dispatch_uid="intake.life_domains_defaults"
        )
        blocks.register()
        # What the inbox's cached counts depend on (apps/intake/counts.py).
        for model in (Question, QuestionForward, Resident):
            for signal in (post_save, post_delete):
                signal.connect(
                    counts.on_question_saved,
                    sender=model,
                    dispatch_uid=f"intake.counts.{signal is post_save}.{model.__name__}",
                )
