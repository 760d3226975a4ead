"""The second login step (an authenticator app), the throttled password reset,
and the admin's login address. The password step itself is Django's LoginView
(apps/accounts/urls.py); the login lock is in `lockout.py`."""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from django_otp import login as otp_login

from apps.accounts import services
from apps.accounts.forms import TwoFactorCodeForm
from apps.accounts.normalize import normalize_email
from apps.accounts.signals import password_reset_completed
from apps.core.exceptions import DomainError

# Set when a session logs in with a password (apps.accounts.signals), cleared
# when it passes the second factor. Setting up a new app needs it: a session
# that already existed when an admin removed the person's app (a stolen phone,
# an unattended browser) cannot put a new app in its place without the password.
SETUP_ALLOWED_SESSION_KEY = "two_factor_setup_allowed"


def safe_next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@method_decorator(never_cache, name="dispatch")
class TwoFactorStepView(FormView):
    """Base of the two pages of the second step: only for a logged-in person
    whose session has not passed it yet."""

    form_class = TwoFactorCodeForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.next_url = safe_next_url(request)
        if request.user.is_verified():
            return HttpResponseRedirect(self.next_url)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # The header shows no menu or switcher until the second step is passed.
        return super().get_context_data(next=self.next_url, two_factor_step=True, **kwargs)

    def passed(self, device):
        """The session passed the second factor with `device`."""
        # A new session key for the session that now has full access.
        self.request.session.cycle_key()
        otp_login(self.request, device)
        self.request.session.pop(SETUP_ALLOWED_SESSION_KEY, None)
        return HttpResponseRedirect(self.next_url)


class TwoFactorVerifyView(TwoFactorStepView):
    """Second step of every login: the code from the person's app."""

    template_name = "accounts/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.has_two_factor(request.user):
            return redirect(with_next("accounts:two_factor_setup", safe_next_url(request)))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            device = services.two_factor_check(
                user=self.request.user, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            form.add_error("code", exc.message)
            return self.form_invalid(form)
        return self.passed(device)


class TwoFactorSetupView(TwoFactorStepView):
    """First login without an app: scan the QR code (or type the secret), then
    confirm with the first code."""

    template_name = "accounts/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if services.has_two_factor(request.user):
                return redirect(with_next("accounts:two_factor_verify", safe_next_url(request)))
            if not request.session.get(SETUP_ALLOWED_SESSION_KEY):
                logout(request)
                messages.info(
                    request,
                    _("Log opnieuw in met uw wachtwoord om een authenticator-app in te stellen."),
                )
                return redirect("accounts:login")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        import segno

        device = services.two_factor_start_setup(user=self.request.user)
        qr = segno.make(device.config_url, error="m").svg_inline(
            scale=5,
            border=4,
            dark="#000",
            light="#fff",
            svgclass="portal-qr",
            title=_("QR-code om te scannen met uw authenticator-app"),
        )
        return super().get_context_data(
            qr_svg=qr.replace("<svg ", '<svg role="img" ', 1),
            secret=services.secret_for_display(device),
            issuer=settings.OTP_TOTP_ISSUER,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            device = services.two_factor_start_setup(user=self.request.user)
            device = services.two_factor_confirm(
                user=self.request.user, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            form.add_error("code", exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "De tweestapsverificatie is ingesteld. Voortaan vraagt het portaal na uw "
                "wachtwoord om een code uit de app."
            ),
        )
        return self.passed(device)


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with at most `mails_per_hour` mails per address
    per hour (counted in the database, so it holds with Redis gone), so nobody
    can flood a colleague's mailbox. Past the limit the page answers exactly as
    before (the same "sent" page whether or not the address is known); only no
    mail goes out."""

    mails_per_hour = 3

    def form_valid(self, form):
        email = normalize_email(form.cleaned_data["email"])
        address = hashlib.sha256(email.encode()).hexdigest()
        if not services.password_reset_mail_allowed(address, per_hour=self.mails_per_hour):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Django's page behind the link of an invitation or a password reset.
    Replacing a password that was set (a reset, not a first password from an
    invitation) sends `password_reset_completed` in the same transaction."""

    @transaction.atomic
    def form_valid(self, form):
        had_password = self.user.has_usable_password()
        response = super().form_valid(form)
        if had_password:
            password_reset_completed.send(sender=type(self), user=self.user)
        return response


def platform_admin_login(request):
    """The Django admin's own login page would skip the second step: the admin
    signs in on the portal's login page instead, and a logged-in person
    without access to the admin is told so."""
    from django.contrib import admin

    next_url = request.GET.get("next") or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if admin.site.has_permission(request):
        return HttpResponseRedirect(
            safe_next_url(request) if "next" in request.GET else reverse("admin:index")
        )
    messages.error(request, _("U heeft geen toegang tot het platformbeheer."))
    return redirect("core:start")
