from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm

from apps.accounts.normalize import normalize_email
from apps.accounts.registry import integration_user_ids
from apps.core.forms import StyledFormMixin


class InvitationAwarePasswordResetForm(StyledFormMixin, PasswordResetForm):
    """Password reset that also reaches invited people who never set a
    password (Django skips accounts with an unusable password). Accounts only
    come into being by invitation here, so this is how a lost invitation is
    recovered. The message is the same whether or not the address is known."""

    def __init__(self, *args, **kwargs):
        from apps.accounts.forms import NormalizedEmailField

        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        self.fields["email"] = NormalizedEmailField(
            label=field.label, max_length=field.max_length, widget=field.widget
        )
        self.style_fields()

    def get_users(self, email):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        users = User.objects.filter(email__iexact=normalize_email(email), is_active=True)
        # Integration accounts never get a password (they only hold API keys).
        return users.exclude(pk__in=integration_user_ids(users))

    def save(self, **kwargs):
        # The link is built on PORTAL_BASE_URL, never on the request's Host
        # header: a request with a forged host must not mail a link elsewhere.
        base = urlsplit(settings.PORTAL_BASE_URL)
        kwargs.update(domain_override=base.netloc, use_https=base.scheme == "https")
        return super().save(**kwargs)


def send_set_password_mail(user, *, subject_template, email_template, extra_context=None):
    """Mail `user` a link to set a password, built on PORTAL_BASE_URL (a task
    has no request to take the host from; the form's `save` sees to that)."""
    form = InvitationAwarePasswordResetForm(data={"email": user.email})
    form.is_valid()
    form.get_users = lambda email: [user]
    form.save(
        subject_template_name=subject_template,
        email_template_name=email_template,
        extra_email_context=extra_context,
    )
