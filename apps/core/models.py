from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class VersionedModel(models.Model):
    """Optimistic concurrency: every write locks the row, checks that nobody saved
    it since the editor loaded it and bumps the version, through
    `apps.core.versioning` (`lock` + `bump`, or `save_versioned`), so two people
    editing the same record never overwrite each other silently."""

    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True


class EditedByModel(models.Model):
    """Who saved the row last: the "changed by X, reload" message of a version
    clash names them (`apps.core.versioning`)."""

    updated_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("laatst gewijzigd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

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


class AppendOnlyError(TypeError):
    """A change or delete of a history that is append-only (the access log, the
    forwarding history, decisions)."""


class AppendOnlyQuerySet(models.QuerySet):
    """Reads and inserts only. `_update` and `_raw_delete` are the private paths
    Django itself takes (a save of an existing row, a fast delete); they are
    closed too."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} is append-only.")

    def _update(self, values):
        raise AppendOnlyError(f"{self.model.__name__} is append-only.")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} is append-only.")

    def _raw_delete(self, using):
        raise AppendOnlyError(f"{self.model.__name__} is append-only.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} is append-only.")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} is append-only.")

    def bulk_create(self, objs, *args, update_conflicts=False, **kwargs):
        if update_conflicts:  # INSERT ... ON CONFLICT DO UPDATE changes rows
            raise AppendOnlyError(f"{self.model.__name__} is append-only.")
        return super().bulk_create(objs, *args, **kwargs)


AppendOnlyManager = models.Manager.from_queryset(AppendOnlyQuerySet)


class AppendOnlyModel(models.Model):
    """A row is written once and never changed or deleted, through any path the
    ORM offers. Subclasses set `objects = ScopedManager(..., _manager_class=
    AppendOnlyManager)`; Django's own lookups use `append_only_base`, which
    refuses changes too. On PostgreSQL a trigger guards the table as well
    (see apps/audit/migrations/0002_append_only_trigger.py)."""

    append_only_base = AppendOnlyManager()

    class Meta:
        abstract = True
        base_manager_name = "append_only_base"

    def save(self, *args, **kwargs):
        # Only ever an INSERT: a new instance that names the pk of an existing
        # row would otherwise become an UPDATE of that row.
        if (
            args
            or not self._state.adding
            or kwargs.get("force_update")
            or kwargs.get("update_fields") is not None
        ):
            raise AppendOnlyError(f"A {type(self).__name__} is never changed.")
        kwargs["force_insert"] = True
        super().save(**kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"A {type(self).__name__} is never deleted.")


class TextRevision(AppendOnlyModel, MunicipalityOwned):
    """An earlier version of a text that was corrected (the resident's right to
    rectification, without losing the record): the text as it was, who wrote it
    and when, who corrected it, when and why. Append-only; the owning app adds
    the foreign key to what was corrected (`intake.QuestionDescriptionRevision`,
    `cases.ActivityNoteRevision`) and writes rows only through its correction
    service."""

    text = models.TextField(_("eerdere tekst"), max_length=10_000, blank=True)
    written_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("geschreven door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_at = models.DateTimeField(_("geschreven op"))
    corrected_by = models.ForeignKey(
        "tenants.StaffMember",
        verbose_name=_("gecorrigeerd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("gecorrigeerd op"), default=timezone.now)
    reason = models.TextField(_("reden van de correctie"), max_length=2000)

    objects = ScopedManager(municipality="municipality", _manager_class=AppendOnlyManager)

    class Meta:
        abstract = True
        ordering = ["corrected_at", "pk"]
        base_manager_name = "append_only_base"

    # The name of the foreign key to what was corrected (set by the subclass).
    owner_field = ""

    @classmethod
    def record(cls, *, owner, text, author_id, written_at, by, reason):
        """Keep `text`, the version of `owner`'s text that is being replaced
        (call it with the owner locked, inside the correction's transaction):
        written by the one who corrected it last, else by `author_id` at
        `written_at` (the original author)."""
        previous = (
            cls.objects.filter(**{cls.owner_field: owner}).order_by("-corrected_at", "-pk").first()
        )
        revision = cls(
            municipality_id=owner.municipality_id,
            text=text,
            written_by_id=previous.corrected_by_id if previous else author_id,
            written_at=previous.corrected_at if previous else written_at,
            corrected_by=by,
            reason=reason,
            **{cls.owner_field: owner},
        )
        revision.full_clean()
        revision.save()
        return revision
