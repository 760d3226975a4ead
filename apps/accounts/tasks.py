"""Mail is sent by tasks: a failing mail server is retried with backoff
instead of turning the admin's save into an error page."""

from smtplib import SMTPException

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string

from apps.accounts.mail import send_set_password_mail

RETRY = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "max_retries": 8,
    "acks_late": True,
}


@shared_task(**RETRY)
def send_invitation(*, user_id: int, municipality_name: str):
    user = get_user_model().objects.get(pk=user_id)
    send_set_password_mail(
        user,
        subject_template="accounts/invitation_subject.txt",
        email_template="accounts/invitation_email.txt",
        extra_context={"municipality_name": municipality_name},
    )


@shared_task(**RETRY)
def send_access_granted(*, user_id: int, municipality_name: str):
    """Tell a person who already has an account that they now also work in
    another municipality."""
    user = get_user_model().objects.get(pk=user_id)
    context = {"user": user, "municipality_name": municipality_name}
    send_mail(
        render_to_string("accounts/access_granted_subject.txt", context).strip(),
        render_to_string("accounts/access_granted_email.txt", context),
        None,
        [user.email],
    )
