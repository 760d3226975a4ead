"""Every change of what decides who someone is gives the people concerned a new
access version (apps.accounts.access_version), in the transaction of the
change: staff records, municipalities, teams, memberships, organisations (a
membership names its organisation) and API keys. The model signals catch every
save and delete, whichever service, admin page, task or shell made it; the few
`.update()` calls on these models bump themselves (docs/architecture.md, "Who
the user is"). The account and its devices are bumped by apps.accounts."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django_scopes import scopes_disabled

from apps.accounts.access_version import bump_users
from apps.teams.models import Membership, Organisation, Team
from apps.tenants.models import ApiToken, Municipality, StaffMember


def _bump_where(model, **filters) -> None:
    with scopes_disabled():
        bump_users(model.objects.filter(**filters).values_list("user_id", flat=True).distinct())


def _staff(sender, instance, raw=False, **kwargs):
    if not raw:
        bump_users([instance.user_id])


def _staff_of_member(sender, instance, raw=False, **kwargs):
    if not raw:
        _bump_where(StaffMember, pk=instance.staff_member_id)


def _previous_holder(sender, instance, raw=False, **kwargs):
    """Before a membership, key or staff record is saved: when it is moved to
    another person, the person who held it loses what it gave them (their
    version, too, changes)."""
    if raw or instance.pk is None:
        return
    field = "user_id" if sender is StaffMember else "staff_member_id"
    with scopes_disabled():
        held_by = sender._base_manager.filter(pk=instance.pk).values_list(field, flat=True).first()
    if held_by is None or held_by == getattr(instance, field):
        return
    if sender is StaffMember:
        bump_users([held_by])
    else:
        _bump_where(StaffMember, pk=held_by)


def _municipality(sender, instance, raw=False, **kwargs):
    if not raw:
        _bump_where(StaffMember, municipality_id=instance.pk)


def _team(sender, instance, raw=False, **kwargs):
    if not raw:
        _bump_where(StaffMember, memberships__team_id=instance.pk)


def _organisation(sender, instance, raw=False, **kwargs):
    if not raw:
        _bump_where(StaffMember, memberships__organisation_id=instance.pk)


def _team_m2m(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Team):
        _team(sender, instance)


RECEIVERS = [
    (StaffMember, _staff),
    (ApiToken, _staff_of_member),
    (Membership, _staff_of_member),
    (Municipality, _municipality),
    (Team, _team),
    (Organisation, _organisation),
]


def connect() -> None:
    for model, receiver in RECEIVERS:
        uid = f"tenants.access_version.{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + ".delete")
    for model in (StaffMember, ApiToken, Membership):
        pre_save.connect(
            _previous_holder,
            sender=model,
            dispatch_uid=f"tenants.access_version.{model._meta.label}.previous_holder",
        )
    for field in Team._meta.many_to_many:
        m2m_changed.connect(
            _team_m2m,
            sender=field.remote_field.through,
            dispatch_uid=f"tenants.access_version.team.{field.name}",
        )
