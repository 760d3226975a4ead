from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionedModel(models.Model):
    """Optimistic concurrency: every save through `apps.core.services.save_versioned`
    checks that nobody saved the row since the editor loaded it, so two people
    editing the same record never overwrite each other silently."""

    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True
