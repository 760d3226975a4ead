"""Writes for the organisation structure; every interface calls these."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError
from apps.core.services import save_versioned
from apps.teams.models import Membership, Team
from apps.tenants.permissions import Action, forget_roles, require_action
from apps.tenants.services import refuse_own_role_change, role_change_record


def membership_snapshot(membership: Membership | None) -> dict | None:
    """What a membership lets its person do, as the role history keeps it."""
    if membership is None:
        return None
    return {
        "team": membership.team.name,
        "function": membership.function,
        "mandated_laws": list(membership.mandated_laws or []),
        "is_active": membership.is_active,
    }


def configuration_save(*, actor, instance, expected_version=None, m2m=None, by=None):
    """Create or change an area, organisation, team or membership of the actor's
    municipality. `m2m` maps a many-to-many field to the objects it should hold.

    A membership (team, function, mandate, active) is never one's own: another
    municipality admin sets it, and every change goes into the role history with
    who made it. `actor` None is the platform admin in the Django admin (then
    `by` is who it is) or an operator at the shell."""
    if actor is not None:
        require_action(actor, instance.municipality, Action.CONFIGURATION_MANAGE)
    who = by or actor
    is_membership = isinstance(instance, Membership)
    with transaction.atomic():
        for objects in (m2m or {}).values():
            if any(obj.municipality_id != instance.municipality_id for obj in objects):
                raise DomainError(_("Kies alleen gegevens van deze gemeente."))
        if (
            isinstance(instance, Team)
            and instance.linked_loket_consultant_id
            and instance._linked_consultant_changed()
        ):
            # The linked loket consultant reads the team's cases: not one's own grant either.
            refuse_own_role_change(who=who, user_ids=[instance.linked_loket_consultant.user_id])
        before = None
        if is_membership:
            old = None
            if instance.pk is not None:
                old = (
                    Membership._base_manager.select_for_update()
                    .select_related("staff_member", "team")
                    .filter(pk=instance.pk)
                    .first()
                )
            user_ids = [instance.staff_member.user_id]
            if old is not None:
                user_ids.append(old.staff_member.user_id)
            refuse_own_role_change(who=who, user_ids=user_ids)
            before = membership_snapshot(old)
        save_versioned(instance, expected_version=expected_version)
        for field, objects in (m2m or {}).items():
            getattr(instance, field).set(objects)
        if is_membership:
            role_change_record(
                by=who,
                staff_member=instance.staff_member,
                membership=instance,
                before=before,
                after=membership_snapshot(instance),
            )
    if is_membership:
        forget_roles(instance.staff_member.user)
    return instance


def membership_end(*, actor, membership: Membership, expected_version=None) -> Membership:
    """End a membership (it stays on record for the reports)."""
    membership.is_active = False
    return configuration_save(actor=actor, instance=membership, expected_version=expected_version)
