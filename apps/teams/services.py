"""Writes for the organisation structure; every interface calls these."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError
from apps.core.services import save_versioned
from apps.teams.models import Membership
from apps.tenants.permissions import Action, forget_roles, require_action


def configuration_save(*, actor, instance, expected_version=None, m2m=None):
    """Create or change an area, organisation, team or membership of the actor's
    municipality. `m2m` maps a many-to-many field to the objects it should hold."""
    require_action(actor, instance.municipality, Action.CONFIGURATION_MANAGE)
    with transaction.atomic():
        for objects in (m2m or {}).values():
            if any(obj.municipality_id != instance.municipality_id for obj in objects):
                raise DomainError(_("Kies alleen gegevens van deze gemeente."))
        save_versioned(instance, expected_version=expected_version)
        for field, objects in (m2m or {}).items():
            getattr(instance, field).set(objects)
    if isinstance(instance, Membership):
        forget_roles(instance.staff_member.user)
    return instance


def membership_end(*, actor, membership: Membership, expected_version=None) -> Membership:
    """End a membership (it stays on record for the reports)."""
    membership.is_active = False
    return configuration_save(actor=actor, instance=membership, expected_version=expected_version)
