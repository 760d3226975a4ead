"""The login lock (django-axes), configured in settings (AXES_*): how an
attempt is counted and what a locked-out person sees.

Unlocking: the platform admin deletes the account's row under "Axes → Access
attempts" in /platformbeheer/, or an operator runs
`manage.py axes_reset_username <e-mail address in lower case>`."""

from django.conf import settings
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from apps.accounts.normalize import normalize_email


def lockout_username(request, credentials=None) -> str | None:
    """The e-mail address an attempt is counted for, normalised (NFKC, case
    folded) as the login looks it up: `Person@x.nl`, `person@x.nl` and a
    look-alike such as `ſ` for `s` are one account and share one counter."""
    value = None
    if credentials:
        value = credentials.get("username") or credentials.get("email")
    elif request is not None and request.method == "POST":
        value = request.POST.get("username")
    value = normalize_email(value)
    return value or None


def lockout_minutes() -> int | None:
    cooloff = settings.AXES_COOLOFF_TIME
    if not cooloff:
        return None
    return max(1, round(cooloff.total_seconds() / 60))


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with a message that the account is locked and for
    how long (HTTP 429). The same for an unknown address as for a known one, so
    the page tells nothing about which accounts exist."""
    from apps.accounts.forms import EmailAuthenticationForm

    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    context = {
        "form": EmailAuthenticationForm(request),
        "next": next_url,
        "locked_out": True,
        "lockout_minutes": lockout_minutes(),
    }
    return render(request, "accounts/login.html", context, status=429)
