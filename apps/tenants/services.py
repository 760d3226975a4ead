"""Writes for municipalities, staff access and API tokens. Each service checks
the actor's permission itself, so every interface (page, API, admin, command)
gets the same rule. `actor=None` means a trusted operator at the shell."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope, scopes_disabled

from apps.accounts.access_version import bump_users
from apps.accounts.normalize import normalize_email
from apps.accounts.services import two_factor_remove
from apps.accounts.tasks import send_access_granted, send_invitation, send_security_notice
from apps.core.exceptions import DomainError
from apps.core.versioning import lock, save_versioned
from apps.tenants.models import ApiToken, Municipality, RoleChange, StaffMember
from apps.tenants.permissions import Action, forget_roles, has_action, require_action
from apps.tenants.selectors import is_integration_user
from apps.tenants.signals import municipality_created, staff_access_deactivated
from apps.tenants.tokens import generate_key, hash_key

# Security events (keys issued and revoked); see docs/security.md, "API-sleutels".
security_log = logging.getLogger("portal.security")


def _check(actor, municipality, action):
    if actor is not None:
        require_action(actor, municipality, action)


def municipality_create(*, actor, name: str, cbs_code: str, admin_email: str, admin_name: str):
    """Platform admin: a new municipality and its first municipality admin."""
    _check(actor, None, Action.MUNICIPALITY_CREATE)
    with transaction.atomic():
        municipality = Municipality(name=name, cbs_code=cbs_code.upper())
        municipality.full_clean()
        municipality.save()
        with scope(municipality=municipality):
            municipality_created.send(sender=Municipality, municipality=municipality)
            staff = staff_invite(
                actor=None,
                municipality=municipality,
                email=admin_email,
                full_name=admin_name,
                is_municipality_admin=True,
                by=actor,
            )
    return municipality, staff


# The fields of a person's access that say what they may do (besides teams).
STAFF_ROLE_FIELDS = ("is_active", "is_municipality_admin", "is_policy_advisor")


def staff_roles_snapshot(staff: StaffMember | None) -> dict | None:
    if staff is None:
        return None
    return {field: getattr(staff, field) for field in STAFF_ROLE_FIELDS}


def refuse_own_role_change(*, who, user_ids) -> None:
    """Nobody changes their own access, roles, memberships or mandates: another
    municipality admin (or the platform admin) does. Otherwise an admin could
    make themself a mandated loket consultant and decide on provisions with
    no second pair of eyes. `who` None is an operator at the shell."""
    if who is not None and who.pk in set(user_ids):
        raise DomainError(
            _(
                "Uw eigen toegang, rollen, teams en mandaten wijzigt u niet zelf: dat doet een "
                "andere functioneel beheerder of platformbeheer."
            )
        )


def role_change_record(
    *, by, staff_member: StaffMember, before: dict | None, after: dict, membership=None
) -> RoleChange | None:
    """Add what changed (`before` None: it is new) to the append-only history
    of `staff_member`, with who did it (`by`; None: an operator at the shell).
    Called by the service that makes the change, in its transaction."""
    before = before or {}
    changes = {
        field: [before.get(field), value]
        for field, value in after.items()
        if before.get(field) != value
    }
    if not changes:
        return None
    entry = RoleChange(
        municipality_id=staff_member.municipality_id,
        staff_member=staff_member,
        membership=membership,
        kind=RoleChange.Kind.MEMBERSHIP if membership is not None else RoleChange.Kind.ACCESS,
        changes=changes,
        by=by,
        by_label=f"{by.full_name} <{by.email}>"[:300] if by is not None else "",
    )
    entry.full_clean()
    entry.save()
    return entry


def staff_invite(
    *,
    actor,
    municipality,
    email: str,
    full_name: str,
    is_municipality_admin: bool = False,
    is_policy_advisor: bool = False,
    is_integration: bool = False,
    by=None,
) -> StaffMember:
    """Give a person access to `municipality`. A person already known to the
    platform (e.g. DUO+ staff serving two municipalities) keeps one account and
    is told by mail; a new person gets an account without a password and an
    invitation to set one. An integration account gets no mail: it never logs in."""
    _check(actor, municipality, Action.STAFF_MANAGE)
    User = get_user_model()
    email = normalize_email(email)
    with transaction.atomic():
        # Locked: a second-factor reset checks the person's accesses under the same lock.
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        created = user is None
        if not created and (not user.is_active or is_integration or is_integration_user(user)):
            # One message for every case, so an admin learns nothing about
            # accounts of other municipalities: a switched-off account, an
            # integration address reused, a person invited as an integration.
            raise DomainError(
                _(
                    "Met dit e-mailadres kan hier geen toegang worden gegeven. Gebruik voor "
                    "een koppelingsaccount een nieuw adres, of neem contact op met platformbeheer."
                )
            )
        if created:
            user = User(email=email, full_name=full_name.strip())
            user.set_unusable_password()
            user.full_clean()
            user.save()
        staff = StaffMember.objects.filter(municipality=municipality, user=user).first()
        if staff is not None and staff.is_active:
            raise DomainError(_("Deze persoon heeft al toegang tot deze gemeente."))
        before = staff_roles_snapshot(staff)
        if staff is None:
            staff = StaffMember(municipality=municipality, user=user)
        staff.is_active = True
        # What this admin typed: the account's name may come from another municipality.
        staff.full_name = full_name.strip()
        staff.is_municipality_admin = is_municipality_admin
        staff.is_policy_advisor = is_policy_advisor
        staff.is_integration = is_integration
        save_versioned(staff)
        role_change_record(
            by=by or actor, staff_member=staff, before=before, after=staff_roles_snapshot(staff)
        )
        if not is_integration:
            # Someone who never set a password needs the link, even if their
            # account came from another municipality's invitation.
            mail = send_access_granted if user.has_usable_password() else send_invitation
            # robust: a broker that is down must not turn a saved invitation into
            # an error page; the failure is logged and "resend invitation" exists.
            transaction.on_commit(
                lambda: mail.delay(user_id=user.pk, municipality_id=municipality.pk), robust=True
            )
    forget_roles(user)
    return staff


def staff_resend_invitation(*, actor, staff: StaffMember) -> None:
    """Send a new invitation link to a person who has not set a password yet."""
    _check(actor, staff.municipality, Action.STAFF_MANAGE)
    if not staff.is_active or staff.is_integration or staff.user.has_usable_password():
        raise DomainError(_("Deze persoon heeft al een wachtwoord ingesteld."))
    user_id, municipality_id = staff.user_id, staff.municipality_id
    transaction.on_commit(
        lambda: send_invitation.delay(user_id=user_id, municipality_id=municipality_id),
        robust=True,
    )


def staff_update(
    *,
    actor,
    staff: StaffMember,
    is_municipality_admin: bool,
    is_policy_advisor: bool,
    expected_version: int | None = None,
    by=None,
) -> StaffMember:
    """Give or take the roles without a team. Never one's own (another admin
    does that); recorded in the role history. `by`: who, when the actor is the
    platform admin in the Django admin (actor None)."""
    _check(actor, staff.municipality, Action.STAFF_MANAGE)
    who = by or actor
    with transaction.atomic():
        before = staff_roles_snapshot(lock(staff, manager=StaffMember._base_manager))
        staff.is_municipality_admin = is_municipality_admin
        staff.is_policy_advisor = is_policy_advisor
        after = staff_roles_snapshot(staff)
        if who is not None and staff.user_id == who.pk and not is_municipality_admin:
            raise DomainError(_("U kunt uw eigen beheerrechten niet intrekken."))
        if before != after:
            refuse_own_role_change(who=who, user_ids=[staff.user_id])
        save_versioned(staff, expected_version=expected_version)  # clean() refuses roles
        role_change_record(by=who, staff_member=staff, before=before, after=after)
    forget_roles(staff.user)  # for an integration account
    return staff


def staff_set_active(
    *,
    actor,
    staff: StaffMember,
    is_active: bool,
    expected_version: int | None = None,
    by=None,
) -> StaffMember:
    """Deactivate (or reactivate) a person's access to this municipality only.
    Their team memberships stay on record; they no longer count while the access
    is inactive. Their API tokens for this municipality are revoked, and what
    the apps above hang on the access (`staff_access_deactivated`: the calendar
    feed). Never
    one's own access; recorded in the role history."""
    _check(actor, staff.municipality, Action.STAFF_MANAGE)
    who = by or actor
    if who is not None and staff.user_id == who.pk and not is_active:
        raise DomainError(_("U kunt uw eigen toegang niet intrekken."))
    with transaction.atomic():
        before = staff_roles_snapshot(lock(staff, manager=StaffMember._base_manager))
        staff.is_active = is_active
        after = staff_roles_snapshot(staff)
        if before != after:
            refuse_own_role_change(who=who, user_ids=[staff.user_id])
        save_versioned(staff, expected_version=expected_version)
        role_change_record(by=who, staff_member=staff, before=before, after=after)
        if not is_active:
            staff_access_deactivated.send(sender=StaffMember, staff_member=staff)
            revoked = ApiToken.objects.filter(staff_member=staff, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            bump_users([staff.user_id])  # .update() sends no post_save
            if revoked:
                transaction.on_commit(
                    lambda: security_log.info(
                        "api_token.revoked_with_access staff_member=%s user=%s count=%s by=%s",
                        staff.pk,
                        staff.user_id,
                        revoked,
                        actor.pk if actor is not None else "shell",
                    )
                )
    forget_roles(staff.user)
    return staff


def two_factor_reset_refusal(*, actor, staff: StaffMember) -> str | None:
    """Why `actor` may not remove `staff`'s authenticator app, or None when
    they may. The account is one for every municipality the person works for,
    so a municipality admin resets it only for someone whose only active
    access is their municipality; for anyone else only the platform admin
    (or an operator at the shell) does."""
    if not staff.is_active or staff.is_integration:
        return _("Dit kan alleen voor een actieve medewerker die met een wachtwoord inlogt.")
    if actor is None or has_action(actor, None, Action.PLATFORM_ADMIN):
        return None
    if staff.user.is_superuser:
        # A municipality never weakens the login of a platform admin.
        return _("Voor een platformbeheerder kan alleen platformbeheer dit doen.")
    with scopes_disabled():  # the person's accesses in every municipality, read only
        elsewhere = (
            StaffMember.objects.filter(user_id=staff.user_id, is_active=True)
            .exclude(municipality_id=staff.municipality_id)
            .exists()
        )
    if elsewhere:
        # Neutral: which other municipalities the person works for is theirs.
        return _("Alleen platformbeheer kan de tweede stap van deze persoon herstellen.")
    return None


def staff_two_factor_reset(*, actor, staff: StaffMember) -> int:
    """Remove the authenticator app of a person with access to this
    municipality (a lost or replaced phone): at their next login, with their
    password, they set up a new one. Sessions that passed the second factor
    with the old app lose that at once. The account is one for all the
    municipalities the person works for, so a municipality admin may do this
    only for someone who works for their municipality alone
    (`two_factor_reset_refusal`). The person's API keys are revoked, the reset
    is written to the security log and the person is told by mail
    (`credentials_reset`). Returns the number of apps removed."""
    _check(actor, staff.municipality, Action.TWO_FACTOR_RESET)
    User = get_user_model()
    with transaction.atomic():
        # The same lock as staff_invite: no access elsewhere appears meanwhile.
        User.objects.select_for_update().filter(pk=staff.user_id).first()
        refusal = two_factor_reset_refusal(actor=actor, staff=staff)
        if refusal:
            raise DomainError(refusal)
        count = two_factor_remove(user=staff.user)
        credentials_reset(
            event="two_factor.reset",
            user=staff.user,
            actor=actor,
            municipality=staff.municipality,
            extra={"staff_member": staff.pk, "devices": count},
        )
    return count


def user_two_factor_reset(*, actor, user) -> int:
    """Platform admin: the same for any account, also one without access to a
    municipality (another platform admin)."""
    _check(actor, None, Action.TWO_FACTOR_RESET)
    with transaction.atomic():
        count = two_factor_remove(user=user)
        credentials_reset(
            event="two_factor.reset", user=user, actor=actor, extra={"devices": count}
        )
    return count


def credentials_reset(*, event: str, user, actor, municipality=None, extra=None) -> int:
    """After a person's second factor or password was reset: revoke every API
    key that acts as them, in every municipality (a key skips the second
    factor, so it must not outlive the credential it was issued under), write
    the reset to the security log (`portal.security`) with who did it, where
    and for whom, and tell the person by mail (after the commit: someone who
    did not ask for it contacts their admin). Runs in the caller's
    transaction. `actor` None is an operator at the shell; for a password
    reset it is the person themselves. Returns the number of keys revoked."""
    with transaction.atomic():
        with scopes_disabled():  # the person's keys of every municipality
            revoked = ApiToken.objects.filter(
                staff_member__user=user, revoked_at__isnull=True
            ).update(revoked_at=timezone.now())
        bump_users([user.pk])  # .update() sends no post_save
        details = " ".join(f"{key}={value}" for key, value in (extra or {}).items())
        user_id, municipality_id = user.pk, getattr(municipality, "pk", None)
        by = actor.pk if actor is not None else "shell"
        transaction.on_commit(
            lambda: security_log.info(
                "%s user=%s municipality=%s by=%s api_tokens_revoked=%s%s",
                event,
                user_id,
                municipality_id if municipality_id is not None else "-",
                by,
                revoked,
                f" {details}" if details else "",
            )
        )
        # robust: the reset has happened; a broker that is down loses the notice
        # (logged), not the reset.
        transaction.on_commit(
            lambda: send_security_notice.delay(
                user_id=user_id, event=event, municipality_id=municipality_id
            ),
            robust=True,
        )
    return revoked


def password_reset_consequences(*, user, actor=None, **kwargs) -> None:
    """A person's password was replaced, through the reset link by
    themselves or by the platform admin in the Django admin
    (`apps.accounts.signals.password_reset_completed`): the same consequences
    as a second-factor reset, with whoever did it as the actor."""
    credentials_reset(event="password.reset", user=user, actor=actor or user)


def api_token_own_access(*, actor, municipality) -> StaffMember:
    """`api_token.own`: the access a person's own keys act as, their active
    StaffMember record in `municipality`. Refused (PermissionDenied) for an
    integration account: it holds `staff`, but it never logs in and mints no
    keys of its own."""
    require_action(actor, municipality, Action.API_TOKEN_OWN)
    staff = StaffMember.objects.filter(
        municipality=municipality, user=actor, is_active=True
    ).first()
    if staff is None or staff.is_integration:
        raise PermissionDenied(_("Een koppelingsaccount beheert geen eigen API-sleutels."))
    return staff


def _check_token_holder(actor, municipality, staff_member: StaffMember) -> None:
    """Who may issue or revoke a key that acts as `staff_member`: the
    municipality admin (`api_token.manage`; for issuing, see api_token_create),
    or the person themselves (`api_token.own`), never for a colleague or an
    integration account. An operator at the shell (actor None) is trusted."""
    if actor is None or has_action(actor, municipality, Action.API_TOKEN_MANAGE):
        return
    own = api_token_own_access(actor=actor, municipality=municipality)
    if staff_member.pk != own.pk:
        raise PermissionDenied(_("U kunt alleen uw eigen API-sleutels beheren."))


def api_token_create(*, actor, municipality, staff_member: StaffMember, name: str, expires_at):
    """Returns (token, key). The key is not stored and cannot be shown again.

    The municipality admin issues a key for themselves or for an integration
    account; every other person only for themselves (`api_token.own`). The
    expiry lies in the future and at most API_TOKEN_MAX_DAYS ahead, for every
    caller (the pages, `manage.py create_api_token`)."""
    _check_token_holder(actor, municipality, staff_member)
    if staff_member.municipality_id != municipality.pk or not staff_member.is_active:
        raise DomainError(_("Kies een actieve medewerker van deze gemeente."))
    # A key acts with its staff member's roles. Nobody may hand out a key that
    # acts as a colleague (a loket consultant's mandate, a team member's
    # cases): a key is for yourself, or for an integration account, which can
    # never hold a role or a team (see StaffMember.clean, Membership.clean).
    if actor is not None and staff_member.user_id != actor.pk and not staff_member.is_integration:
        raise DomainError(
            _(
                "Een sleutel is voor uzelf of voor een koppelingsaccount, nooit namens een "
                "collega. Maak voor een koppeling een koppelingsaccount aan."
            )
        )
    now = timezone.now()
    if expires_at <= now:
        raise DomainError(_("De vervaldatum moet in de toekomst liggen."))
    max_days = settings.API_TOKEN_MAX_DAYS
    if expires_at > now + timedelta(days=max_days):
        raise DomainError(
            ngettext(
                "Een sleutel is hoogstens %(days)s dag geldig.",
                "Een sleutel is hoogstens %(days)s dagen geldig.",
                max_days,
            )
            % {"days": max_days}
        )
    key = generate_key()
    token = ApiToken(
        municipality=municipality,
        staff_member=staff_member,
        name=name,
        prefix=key[:10],
        key_hash=hash_key(key),
        created_by=actor,
        expires_at=expires_at,
    )
    token.full_clean()
    with transaction.atomic():
        token.save()
        transaction.on_commit(lambda: _log_token_event("api_token.issued", token, actor))
    return token, key


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a key at once (the next request with it gets 401). The
    municipality admin revokes any key of the municipality, a person their own."""
    _check_token_holder(actor, token.municipality, token.staff_member)
    with transaction.atomic():
        locked = ApiToken._base_manager.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            transaction.on_commit(lambda: _log_token_event("api_token.revoked", locked, actor))
    token.revoked_at = locked.revoked_at
    return token


def _log_token_event(event: str, token: ApiToken, actor) -> None:
    """A line in the security log (`portal.security`): ids, the key's prefix
    and its expiry; never the key or its hash."""
    security_log.info(
        "%s token=%s prefix=%s name=%r municipality=%s staff_member=%s user=%s by=%s expires_at=%s",
        event,
        token.pk,
        token.prefix,
        token.name,
        token.municipality_id,
        token.staff_member_id,
        token.staff_member.user_id,
        actor.pk if actor is not None else "shell",
        token.expires_at.isoformat(),
    )


def switch_municipality(*, user, municipality, available) -> None:
    """Remember the municipality a person works in now (they act in one at a time)."""
    if municipality not in available:
        raise DomainError(_("U heeft geen toegang tot deze gemeente."))
    if user.last_municipality_id != municipality.pk:
        user.last_municipality = municipality
        user.save(update_fields=["last_municipality"])


def access_log_retention_set(*, actor, municipality, years: int) -> Municipality:
    """Set how many years `municipality` keeps its access log (configuration.manage).
    A shorter period takes effect at the next monthly purge; recorded in the
    security log with the old and the new period and who changed it."""
    require_action(actor, municipality, Action.CONFIGURATION_MANAGE)
    with transaction.atomic():
        locked = Municipality.objects.select_for_update().get(pk=municipality.pk)
        before = locked.access_log_retention_years
        locked.access_log_retention_years = years
        locked.full_clean(validate_unique=False)
        locked.save(update_fields=["access_log_retention_years"])
        municipality_id, by = locked.pk, actor.pk
        transaction.on_commit(
            lambda: security_log.info(
                "access_log.retention_changed municipality=%s years=%s->%s by=%s",
                municipality_id,
                before,
                years,
                by,
            )
        )
    municipality.access_log_retention_years = years
    return locked
