from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver

# Sent (inside the transaction) when a person's password was replaced: `user`,
# and `actor` when someone else (the platform admin) set it. The tenants app revokes their API
# keys, writes the security log and tells them by mail.
password_reset_completed = Signal()


@receiver(user_logged_in)
def allow_two_factor_setup(sender, request, user, **kwargs):
    """A session that has just checked the password may set up an
    authenticator app (when the person has none yet)."""
    from apps.accounts.views import SETUP_ALLOWED_SESSION_KEY

    session = getattr(request, "session", None)
    if session is not None:
        session[SETUP_ALLOWED_SESSION_KEY] = True
