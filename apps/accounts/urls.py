from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from apps.accounts import views
from apps.accounts.forms import EmailAuthenticationForm, StyledSetPasswordForm
from apps.accounts.mail import InvitationAwarePasswordResetForm

app_name = "accounts"

urlpatterns = [
    path(
        "inloggen/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path(
        "inloggen/tweestapsverificatie/",
        views.TwoFactorVerifyView.as_view(),
        name="two_factor_verify",
    ),
    path(
        "inloggen/tweestapsverificatie/instellen/",
        views.TwoFactorSetupView.as_view(),
        name="two_factor_setup",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "wachtwoord-vergeten/",
        views.ThrottledPasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=InvitationAwarePasswordResetForm,
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        views.PasswordSetView.as_view(
            template_name="accounts/password_set.html",
            form_class=StyledSetPasswordForm,
            success_url=reverse_lazy("accounts:login"),
            post_reset_login=False,
        ),
        name="password_reset_confirm",
    ),
]
