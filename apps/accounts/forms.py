from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledFormMixin


class EmailAuthenticationForm(StyledFormMixin, AuthenticationForm):
    """Log in with e-mail. A wrong e-mail and a wrong password get the same
    message, so the form does not tell whether an address is known."""

    username = forms.EmailField(
        label=_("e-mailadres"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "Deze combinatie van e-mailadres en wachtwoord is niet bekend. "
            "Controleer beide en probeer het opnieuw."
        ),
        "inactive": _("Dit account is niet actief."),
    }

    def confirm_login_allowed(self, user):
        from apps.tenants.selectors import is_integration_user

        super().confirm_login_allowed(user)
        if is_integration_user(user):
            # The same message as a wrong password: nothing to learn here.
            raise self.get_invalid_login_error()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
