from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class VersionedModel(models.Model):
    """Optimistic concurrency: every save through `apps.core.services.save_versioned`
    checks that nobody saved the row since the editor loaded it, so two people
    editing the same record never overwrite each other silently."""

    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True


class MunicipalityOwned(models.Model):
    """Belongs to exactly one municipality and is only reachable inside that
    municipality's scope: `objects` raises outside a scope (django-scopes)."""

    municipality = models.ForeignKey(
        "tenants.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager(municipality="municipality")

    class Meta:
        abstract = True
