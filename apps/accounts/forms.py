from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from apps.accounts.normalize import normalize_email
from apps.accounts.registry import is_integration_user
from apps.accounts.services import password_reconfirm
from apps.core.exceptions import DomainError
from apps.core.forms import StyledForm, StyledFormMixin


class NormalizedEmailField(forms.EmailField):
    """An e-mail address in its one normalised form (NFKC, case folded), before
    it is validated: a fullwidth or other look-alike spelling is the plain
    address, for the lookup and for every counter keyed on it."""

    def to_python(self, value):
        return normalize_email(super().to_python(value))


class EmailAuthenticationForm(StyledFormMixin, AuthenticationForm):
    """Log in with e-mail. A wrong e-mail and a wrong password get the same
    message, so the form does not tell whether an address is known."""

    username = NormalizedEmailField(
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
        super().confirm_login_allowed(user)
        if is_integration_user(user):
            # The same message as a wrong password: nothing to learn here.
            raise self.get_invalid_login_error()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class PasswordReconfirmMixin(forms.Form):
    """A field for the account password, checked again before a sensitive step
    (`apps.accounts.services.password_reconfirm`). The form takes `request`;
    the field comes last."""

    password = forms.CharField(
        label=_("uw wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_(
            "Ter bevestiging dat u het bent: een API-sleutel geeft toegang zonder "
            "tweestapsverificatie."
        ),
        error_messages={"required": _("Typ uw wachtwoord ter bevestiging.")},
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["password"] = self.fields.pop("password")

    def clean_password(self):
        password = self.cleaned_data["password"]
        try:
            password_reconfirm(request=self.request, password=password)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        return password


class TwoFactorCodeForm(StyledForm):
    """The six digits an authenticator app shows (spaces allowed, as some apps
    show "123 456")."""

    code = forms.CharField(
        label=_("code uit de app"),
        max_length=20,
        help_text=_("Zes cijfers; de app toont elke 30 seconden een nieuwe code."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Vul de code uit de app in.")},
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("Een code bestaat uit zes cijfers."))
        return code


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm):
    """Django's form for a new password, its errors tied to the fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
