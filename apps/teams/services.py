"""Writes for the organisation structure; every interface calls these."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.exceptions import DomainError
from apps.core.versioning import lock, save_versioned
from apps.teams.models import Membership, Team
from apps.tenants.models import StaffMember
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


# A team's fields that change what its members (and its linked loket
# consultant) may do: a kernteam that becomes a loket makes its consultants
# loket consultants; an inactive team gives its members no roles.
TEAM_ROLE_FIELDS = ("kind", "is_active", "linked_loket_consultant_id")


def _team_before(team_pk, *, lock=False) -> dict | None:
    if team_pk is None:
        return None
    rows = Team._base_manager.filter(pk=team_pk)
    if lock:
        rows = rows.select_for_update()
    return rows.values(*TEAM_ROLE_FIELDS).first()


def _team_role_holders(team_pk, before, *, kind, is_active, linked_loket_consultant_id):
    """Whose roles change when team `team_pk` (stored as `before`; None: new)
    gets this kind, active state and linked consultant: its active memberships
    and the old and new linked consultant. None when none of these changes."""
    old = before or {"kind": kind, "is_active": is_active, "linked_loket_consultant_id": None}
    if (old["kind"], old["is_active"], old["linked_loket_consultant_id"]) == (
        kind,
        is_active,
        linked_loket_consultant_id,
    ):
        return None
    members = (
        list(
            Membership._base_manager.filter(team_id=team_pk, is_active=True).select_related(
                "staff_member__user", "team"
            )
        )
        if team_pk is not None
        else []
    )
    consultant_ids = {old["linked_loket_consultant_id"], linked_loket_consultant_id} - {None}
    consultants = list(
        StaffMember._base_manager.filter(pk__in=consultant_ids).select_related("user")
    )
    return members, consultants


def team_role_user_ids(*, team_pk, kind, is_active, linked_loket_consultant_id) -> list[int]:
    """The users whose roles a change of the team's kind, active state or
    linked consultant changes (none when they stay the same): for the Django
    admin's form, which refuses one's own before the service does."""
    holders = _team_role_holders(
        team_pk,
        _team_before(team_pk),
        kind=kind,
        is_active=is_active,
        linked_loket_consultant_id=linked_loket_consultant_id,
    )
    if holders is None:
        return []
    members, consultants = holders
    return [m.staff_member.user_id for m in members] + [s.user_id for s in consultants]


def _record_team_change(*, who, team: Team, before: dict | None, holders) -> list:
    """Write a team's change of kind, active state or linked consultant into
    the role history of each person it concerns: per member on their
    membership of the team, for the linked consultant as the team they are
    linked to. Returns the users concerned."""
    members, consultants = holders
    old = before or {"kind": team.kind, "is_active": team.is_active}
    for membership in members:
        role_change_record(
            by=who,
            staff_member=membership.staff_member,
            membership=membership,
            before={"team_kind": old["kind"], "team_is_active": old["is_active"]},
            after={"team_kind": team.kind, "team_is_active": team.is_active},
        )
    old_linked = before["linked_loket_consultant_id"] if before else None
    for staff in consultants:
        role_change_record(
            by=who,
            staff_member=staff,
            before={"linked_team": team.name if staff.pk == old_linked else None},
            after={
                "linked_team": team.name if staff.pk == team.linked_loket_consultant_id else None
            },
        )
    return [m.staff_member.user for m in members] + [s.user for s in consultants]


def configuration_save(*, actor, instance, expected_version=None, m2m=None, by=None, system=False):
    """Create or change an area, organisation, team or membership of the actor's
    municipality. `m2m` maps a many-to-many field to the objects it should hold.

    A membership (team, function, mandate, active) is never one's own: another
    municipality admin sets it, and every change goes into the role history with
    who made it. So is a team's kind, active state and linked loket consultant:
    nobody changes a team they are a member of or linked to, and the change
    goes into the history of each person it concerns.

    Without an `actor`, `by` is the platform admin in the Django admin, or
    `system=True` says an operator at the shell (or code acting for one) makes
    the change; anything else is refused."""
    if actor is not None:
        require_action(actor, instance.municipality, Action.CONFIGURATION_MANAGE)
    elif not system:
        if by is None:
            raise PermissionDenied(_("U heeft geen recht op deze handeling."))
        require_action(by, None, Action.PLATFORM_ADMIN)
    who = by or actor
    is_membership = isinstance(instance, Membership)
    concerned = []
    with transaction.atomic():
        for objects in (m2m or {}).values():
            if any(obj.municipality_id != instance.municipality_id for obj in objects):
                raise DomainError(_("Kies alleen gegevens van deze gemeente."))
        team_before = team_holders = None
        if isinstance(instance, Team):
            team_before = _team_before(instance.pk, lock=True)
            team_holders = _team_role_holders(
                instance.pk,
                team_before,
                kind=instance.kind,
                is_active=instance.is_active,
                linked_loket_consultant_id=instance.linked_loket_consultant_id,
            )
            if team_holders is not None:
                # A loket kind, a reactivated team or a link to it grants roles:
                # not one's own grant either.
                members, consultants = team_holders
                refuse_own_role_change(
                    who=who,
                    user_ids=[m.staff_member.user_id for m in members]
                    + [s.user_id for s in consultants],
                )
        before = None
        if is_membership:
            old = None
            if instance.pk is not None:
                old = lock(
                    instance,
                    manager=Membership._base_manager.select_related("staff_member", "team"),
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
            concerned.append(instance.staff_member.user)
        if team_holders is not None:
            concerned += _record_team_change(
                who=who, team=instance, before=team_before, holders=team_holders
            )
    for user in concerned:
        forget_roles(user)
    return instance


def membership_end(*, actor, membership: Membership, expected_version=None) -> Membership:
    """End a membership (it stays on record for the reports)."""
    membership.is_active = False
    return configuration_save(actor=actor, instance=membership, expected_version=expected_version)


def team_record_end(*, by, team: Team, ended_on, successor, reason: str, ended_by) -> list:
    """Mark `team` (locked by the caller, in its transaction, after its open work
    was handed over) as ended on `ended_on`, with its successor, the reason and
    who ended it (`ended_by`, a StaffMember). Every active membership of the
    team ends on that date, in each person's role history; whoever is concerned
    may not be `by` (nobody ends their own membership). Called by
    `apps.cases.services.team_end`, which checks the permission and the work.
    Returns the users whose roles changed (the caller forgets their roles)."""
    members = list(
        Membership._base_manager.select_for_update(of=("self",))
        .filter(team_id=team.pk, is_active=True)
        .select_related("staff_member__user", "team")
        .order_by("pk")
    )
    refuse_own_role_change(who=by, user_ids=[m.staff_member.user_id for m in members])
    for membership in members:
        before = membership_snapshot(membership)
        membership.is_active = False
        membership.ended_on = max(ended_on, membership.started_on)
        membership.version += 1
        membership.full_clean()
        membership.save()
        role_change_record(
            by=by,
            staff_member=membership.staff_member,
            membership=membership,
            before=before,
            after=membership_snapshot(membership),
        )
    team.is_active = False
    team.ended_on = ended_on
    team.successor = successor
    team.end_reason = reason
    team.ended_by = ended_by
    team.version += 1
    team.full_clean()
    team.save()
    return [m.staff_member.user for m in members]
