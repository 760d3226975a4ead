from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from apps.accounts import access_version

# What a logged-in session may reach before it passed the second factor: the
# login pages themselves and what the second step needs. Everything else,
# pages, the API with a session and the Django admin alike, waits.
EXEMPT_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "healthz",
        "readyz",
        "set_language",
    }
)


class TwoFactorRequiredMiddleware:
    """With OTP_REQUIRED on, a session that logged in with a password must pass
    the second factor (django-otp's `request.user.is_verified()`) before any
    other view: pages redirect to the code page (which sends a person without
    an app to set one up), the API answers 403 in JSON.

    API-key requests are machine access and pass: the key was resolved by
    `MunicipalityScopeMiddleware`, which runs before this one. Static files
    never reach it (WhiteNoise answers first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.OTP_REQUIRED:
            return None
        if getattr(request, "api_token", None) is not None or getattr(
            request, "api_token_invalid", False
        ):
            return None  # machine access, or DRF refuses the key with a 401
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        if match is not None and "api" in match.namespaces:
            return JsonResponse(
                {
                    "detail": _(
                        "Bevestig eerst uw inlog met de code uit uw authenticator-app "
                        "(tweestapsverificatie)."
                    )
                },
                status=403,
            )
        from apps.accounts.views import with_next

        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        return HttpResponseRedirect(with_next("accounts:two_factor_verify", next_url))


class CachedOTPMiddleware(OTPMiddleware):
    """django-otp's `OTPMiddleware`, with the device that verified the session
    read from the cache under the person's access version (every save or
    delete of one of their devices bumps it, `apps.accounts.signals`). The same
    checks as django-otp's: the device must be the person's and confirmed,
    else the session is not verified. It also starts the request for
    `access_version` (nothing bumped yet)."""

    def __call__(self, request):
        access_version.request_started()
        return super().__call__(request)

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            device = None
            if persistent_id:
                device = access_version.cached(
                    user,
                    f"otp:{persistent_id}",
                    lambda: self._verified_device(persistent_id),
                )
            user.otp_device = self._finalize_device(request, user, device)
        return user

    def _verified_device(self, persistent_id):
        """What the check needs of the device, never the device itself: its
        secret (the TOTP seed) must not sit in the cache."""
        device = self._device_from_persistent_id(persistent_id)
        if device is None:
            return None
        return VerifiedDevice(persistent_id, device.user_id, device.confirmed)


@dataclass(frozen=True)
class VerifiedDevice:
    """The device that verified this session, as `request.user.otp_device`:
    whose it is and whether it is confirmed (django-otp's checks), without its
    secret. A page that must use the device itself (to check a code) loads it."""

    persistent_id: str
    user_id: int
    confirmed: bool
