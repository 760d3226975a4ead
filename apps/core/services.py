from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.core.exceptions import ConcurrentEditError, DomainError


def save_versioned(instance, *, expected_version: int | None = None):
    """Validate and save `instance`; for an existing row, refuse when its version
    in the database is no longer the one the editor started from.

    Call inside the caller's permission check; runs in its own transaction and
    locks the row while comparing.
    """
    try:
        with transaction.atomic():
            _save_locked(instance, expected_version)
    except IntegrityError as exc:
        # Two people creating the same thing at the same moment: the database
        # constraint catches what full_clean() could not yet see.
        raise DomainError(
            _("Dit gegeven bestaat intussen al (iemand anders sloeg het net op).")
        ) from exc
    return instance


def _save_locked(instance, expected_version):
    if instance.pk is not None:
        model = type(instance)
        current = (
            model._base_manager.select_for_update()
            .filter(pk=instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is None:
            raise ConcurrentEditError()
        if expected_version is not None and current != expected_version:
            raise ConcurrentEditError()
        instance.version = current + 1
    instance.full_clean()
    instance.save()
