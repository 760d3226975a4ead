"""One way to lock and bump a versioned row (`VersionedModel`).

Every write of a versioned row, in a service, the admin or a command, goes:

    with transaction.atomic():
        current = lock(obj, expected_version)   # SELECT ... FOR UPDATE, compare
        current.field = value                   # the change, on the locked row
        bump(current, by, "field")              # version + 1, who, save those fields

or, for a whole validated model instance (forms, the admin, configuration),
`save_versioned(instance, expected_version=..., by=...)`, which does the same
around `full_clean()` and `save()`.

A version clash raises `ChangedByOtherError`: a 409 on the API, the message
above the form on a page. It names who saved the row last when the model records
that (`apps.core.models.EditedByModel.updated_by`: cases, support plans, proposals); other rows get
the general "someone else changed it" message.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.core.exceptions import ConcurrentEditError, DomainError


class ChangedByOtherError(ConcurrentEditError):
    """Someone saved the record since the editor loaded it: name them when known."""

    def __init__(self, by=None):
        if by is not None:
            message = _(
                "%(name)s heeft dit intussen gewijzigd. Laad de pagina opnieuw en voer uw "
                "wijziging nogmaals in."
            ) % {"name": by.user.full_name}
        else:
            message = None
        super().__init__(message)


def _records_editor(model) -> bool:
    return any(f.name == "updated_by" for f in model._meta.concrete_fields)


def conflict(row) -> ChangedByOtherError:
    """The error for a clash on `row` (as stored now), naming its last editor."""
    by = row.updated_by if _records_editor(type(row)) and row.updated_by_id else None
    return ChangedByOtherError(by)


def lock(obj, expected_version: int | None = None, *, pk=None, manager=None):
    """Lock the row of `obj` (an instance, or a model class with `pk`) with
    select_for_update and return it as stored now; raise `ChangedByOtherError`
    when its version is no longer `expected_version` (None: nothing to compare,
    e.g. a row the service locks only to change it in turn). Call inside
    `transaction.atomic()`. Through the scoped manager by default, so a row of
    another municipality is not found."""
    model = obj if isinstance(obj, type) else type(obj)
    manager = manager if manager is not None else model.objects
    current = manager.select_for_update().filter(pk=obj.pk if pk is None else pk).first()
    if current is None:
        raise ConcurrentEditError()
    if expected_version is not None and current.version != expected_version:
        raise conflict(current)
    return current


def bump(row, by=None, *fields: str):
    """Save `fields` of the locked `row` with the next version and, where the
    model records it, `by` (a StaffMember, or None for an operator) as the one
    who changed it."""
    row.version += 1
    update = ["version", "updated_at", *fields]
    if _records_editor(type(row)):
        row.updated_by = by
        update.append("updated_by")
    row.save(update_fields=list(dict.fromkeys(update)))
    return row


def save_versioned(instance, *, expected_version: int | None = None, by=None):
    """Validate and save `instance`; for an existing row, refuse when its version
    in the database is no longer the one the editor started from.

    Call inside the caller's permission check; runs in its own transaction and
    locks the row while comparing. A unique constraint hit by a simultaneous
    create becomes a `DomainError`.
    """
    try:
        with transaction.atomic():
            if instance.pk is not None:
                current = lock(instance, expected_version, manager=type(instance)._base_manager)
                instance.version = current.version + 1
            if _records_editor(type(instance)) and by is not None:
                instance.updated_by = by
            instance.full_clean()
            instance.save()
    except IntegrityError as exc:
        # Two people creating the same thing at the same moment: the database
        # constraint catches what full_clean() could not yet see.
        raise DomainError(
            _("Dit gegeven bestaat intussen al (iemand anders sloeg het net op).")
        ) from exc
    return instance


def call_versioned(service, *, actor, data, fields=(), **objects):
    """`service(actor=actor, **objects, <field>=data[field]…,
    expected_version=data["version"])`: a write service called with the acting
    user, the object(s) it changes, the validated input it takes under the same
    names (`fields`) and the version the editor read. The pages
    (`apps.core.edit_views.DeclaredServiceCallMixin`) and viewsets whose call is
    just that name it instead of spelling it out each time."""
    values = {name: data[name] for name in fields}
    return service(actor=actor, **objects, **values, expected_version=data["version"])
