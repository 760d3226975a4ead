"""Writes for municipalities, staff access and API tokens. Each service checks
the actor's permission itself, so every interface (page, API, admin, command)
gets the same rule. `actor=None` means a trusted operator at the shell."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from apps.accounts.services import two_factor_remove
from apps.accounts.tasks import send_access_granted, send_invitation
from apps.core.exceptions import DomainError
from apps.core.services import save_versioned
from apps.tenants.models import ApiToken, Municipality, StaffMember
from apps.tenants.permissions import Action, forget_roles, has_action, require_action
from apps.tenants.selectors import is_integration_user
from apps.tenants.tokens import generate_key, hash_key


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
            from apps.intake.services import life_domains_create_defaults

            life_domains_create_defaults(municipality)
            staff = staff_invite(
                actor=None,
                municipality=municipality,
                email=admin_email,
                full_name=admin_name,
                is_municipality_admin=True,
            )
    return municipality, staff


def staff_invite(
    *,
    actor,
    municipality,
    email: str,
    full_name: str,
    is_municipality_admin: bool = False,
    is_policy_advisor: bool = False,
    is_integration: bool = False,
) -> StaffMember:
    """Give a person access to `municipality`. A person already known to the
    platform (e.g. DUO+ staff serving two municipalities) keeps one account and
    is told by mail; a new person gets an account without a password and an
    invitation to set one. An integration account gets no mail: it never logs in."""
    _check(actor, municipality, Action.STAFF_MANAGE)
    User = get_user_model()
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
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
        if staff is None:
            staff = StaffMember(municipality=municipality, user=user)
        staff.is_active = True
        staff.is_municipality_admin = is_municipality_admin
        staff.is_policy_advisor = is_policy_advisor
        staff.is_integration = is_integration
        save_versioned(staff)
        if not is_integration:
            # Someone who never set a password needs the link, even if their
            # account came from another municipality's invitation.
            mail = send_access_granted if user.has_usable_password() else send_invitation
            transaction.on_commit(
                lambda: mail.delay(user_id=user.pk, municipality_id=municipality.pk)
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
        lambda: send_invitation.delay(user_id=user_id, municipality_id=municipality_id)
    )


def staff_update(
    *,
    actor,
    staff: StaffMember,
    is_municipality_admin: bool,
    is_policy_advisor: bool,
    expected_version: int | None = None,
) -> StaffMember:
    _check(actor, staff.municipality, Action.STAFF_MANAGE)
    if actor is not None and staff.user_id == actor.pk and not is_municipality_admin:
        raise DomainError(_("U kunt uw eigen beheerrechten niet intrekken."))
    staff.is_municipality_admin = is_municipality_admin
    staff.is_policy_advisor = is_policy_advisor
    save_versioned(staff, expected_version=expected_version)  # clean() refuses roles
    forget_roles(staff.user)  # for an integration account
    return staff


def staff_set_active(
    *, actor, staff: StaffMember, is_active: bool, expected_version: int | None = None
) -> StaffMember:
    """Deactivate (or reactivate) a person's access to this municipality only.
    Their team memberships stay on record; they no longer count while the access
    is inactive. Their API tokens for this municipality are revoked."""
    _check(actor, staff.municipality, Action.STAFF_MANAGE)
    if actor is not None and staff.user_id == actor.pk and not is_active:
        raise DomainError(_("U kunt uw eigen toegang niet intrekken."))
    with transaction.atomic():
        staff.is_active = is_active
        save_versioned(staff, expected_version=expected_version)
        if not is_active:
            ApiToken.objects.filter(staff_member=staff, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
    forget_roles(staff.user)
    return staff


def staff_two_factor_reset(*, actor, staff: StaffMember) -> int:
    """Remove the authenticator app of a person with access to this
    municipality (a lost or replaced phone): at their next login, with their
    password, they set up a new one. Sessions that passed the second factor
    with the old app lose that at once. The account is one for all the
    municipalities the person works for, so this applies everywhere.
    Returns the number of apps removed."""
    _check(actor, staff.municipality, Action.TWO_FACTOR_RESET)
    if not staff.is_active or staff.is_integration:
        raise DomainError(
            _("Dit kan alleen voor een actieve medewerker die met een wachtwoord inlogt.")
        )
    if (
        actor is not None
        and staff.user.is_superuser
        and not has_action(actor, None, Action.PLATFORM_ADMIN)
    ):
        # A municipality never weakens the login of a platform admin.
        raise DomainError(_("Voor een platformbeheerder kan alleen platformbeheer dit doen."))
    return two_factor_remove(user=staff.user)


def user_two_factor_reset(*, actor, user) -> int:
    """Platform admin: the same for any account, also one without access to a
    municipality (another platform admin)."""
    _check(actor, None, Action.TWO_FACTOR_RESET)
    return two_factor_remove(user=user)


def api_token_create(*, actor, municipality, staff_member: StaffMember, name: str, expires_at):
    """Returns (token, key). The key is not stored and cannot be shown again."""
    _check(actor, municipality, Action.API_TOKEN_MANAGE)
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
    if expires_at <= timezone.now():
        raise DomainError(_("De vervaldatum moet in de toekomst liggen."))
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
    token.save()
    return token, key


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    _check(actor, token.municipality, Action.API_TOKEN_MANAGE)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def switch_municipality(*, user, municipality, available) -> None:
    """Remember the municipality a person works in now (they act in one at a time)."""
    if municipality not in available:
        raise DomainError(_("U heeft geen toegang tot deze gemeente."))
    if user.last_municipality_id != municipality.pk:
        user.last_municipality = municipality
        user.save(update_fields=["last_municipality"])
