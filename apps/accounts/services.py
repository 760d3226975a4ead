"""The second factor: one authenticator app (TOTP, django-otp) per person.

A person sets it up themselves, right after logging in with their password
(`two_factor_start_setup`, `two_factor_confirm`), and from then on confirms
every login with a code (`two_factor_check`). When the phone is lost, a
municipality admin or the platform admin removes the app
(`apps.tenants.services.staff_two_factor_reset`, which checks the role and
calls `two_factor_remove` here), and the person sets up a new one at their next
login with their password."""

import logging
import math
from base64 import b32encode
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import PasswordResetMail
from apps.core.exceptions import DomainError

logger = logging.getLogger(__name__)
security_log = logging.getLogger("portal.security")

DEVICE_NAME = "Authenticator-app"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_start_setup(*, user) -> TOTPDevice:
    """The app being set up: the same secret on every reload of the set-up page
    until it is confirmed. Refused when the person already has one."""
    if has_two_factor(user):
        raise DomainError(_("U heeft de tweestapsverificatie al ingesteld."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_for_display(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed in: base32, in
    groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _check_code(device: TOTPDevice, code: str) -> TOTPDevice:
    """Verify `code` against `device`, with django-otp's throttling (a wait that
    doubles after each wrong code). Raises DomainError after the transaction,
    so a wrong code is counted."""
    refused = None
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, info = locked.verify_is_allowed()
        if not allowed:
            seconds = math.ceil(
                ((info or {}).get("locked_until", timezone.now()) - timezone.now()).total_seconds()
            )
            seconds = max(seconds, 1)
            refused = ngettext(
                "Te veel onjuiste codes achter elkaar. Wacht %(seconds)s seconde en "
                "probeer het dan opnieuw.",
                "Te veel onjuiste codes achter elkaar. Wacht %(seconds)s seconden en "
                "probeer het dan opnieuw.",
                seconds,
            ) % {"seconds": seconds}
        elif not locked.verify_token(code):
            refused = _(
                "Deze code klopt niet. Vul de code in die de app nu toont; staat de tijd "
                "op uw telefoon goed?"
            )
    if refused:
        logger.info("Second factor refused for user %s", device.user_id)
        raise DomainError(refused)
    return locked


def two_factor_confirm(*, user, device: TOTPDevice, code: str) -> TOTPDevice:
    """Finish the set-up: the first code from the app proves it holds the secret."""
    if device.user_id != user.pk or device.confirmed:
        raise DomainError(_("Deze instelling hoort niet bij u; begin opnieuw."))
    device = _check_code(device, code)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    logger.info("Second factor set up for user %s", user.pk)
    return device


def two_factor_check(*, user, code: str) -> TOTPDevice:
    """A login's second step: the code from the person's app."""
    device = confirmed_device(user)
    if device is None:
        raise DomainError(_("U heeft nog geen tweestapsverificatie ingesteld."))
    return _check_code(device, code)


def two_factor_remove(*, user) -> int:
    """Remove every authenticator app of `user` (no permission check: callers
    check). Sessions that passed the second factor with it lose that at their
    next request (django-otp no longer finds the device)."""
    count, _deleted = TOTPDevice.objects.filter(user=user).delete()
    logger.info("Second factor removed for user %s (%s devices)", user.pk, count)
    return count


def password_reconfirm(*, request, password: str) -> None:
    """Re-authentication before minting a long-lived credential (an API key):
    the logged-in person types their password again, in a session that passed
    the second factor (when OTP_REQUIRED). Raises DomainError when refused.

    It goes through `authenticate`, so django-axes counts a wrong password
    towards the login lock exactly like a failed login (a taken-over session
    cannot guess the password here without limit), and refuses a locked
    account before its password is checked. Either way the request then
    carries `axes_locked_out` when the account is locked."""
    user = request.user
    if settings.OTP_REQUIRED and not user.is_verified():
        raise DomainError(_("Bevestig eerst uw inlog met de code uit uw authenticator-app."))
    checked = authenticate(request, username=user.get_username(), password=password or "")
    if checked is None or checked.pk != user.pk:
        security_log.warning(
            "reauthentication.failed user=%s locked_out=%s",
            user.pk,
            bool(getattr(request, "axes_locked_out", False)),
        )
        raise DomainError(_("Dit wachtwoord klopt niet. Typ het wachtwoord waarmee u inlogt."))


def password_reset_mail_allowed(address: str, *, per_hour: int) -> bool:
    """Whether one more password-reset mail may go to `address` (a hash of the
    normalised address) this hour; if so, it is counted. Counted in the
    database (not the cache, which answers empty while Redis is away), under a
    lock per address, so two requests at once cannot both take the last one.
    Rows older than an hour are removed on the way."""
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [address])
        PasswordResetMail.objects.filter(sent_at__lt=hour_ago).delete()
        if PasswordResetMail.objects.filter(address=address).count() >= per_hour:
            return False
        PasswordResetMail.objects.create(address=address, sent_at=now)
    return True
