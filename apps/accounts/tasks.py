"""Mail is sent by tasks: with a broker, a failing mail server is retried with
backoff instead of turning the admin's save into an error page. Without one
(`make run`) the task runs in-process once and a failure is logged."""

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


def _municipality_name(municipality_id: int) -> str:
    # The municipality record itself is not municipality-owned data. Its model as
    # the user's own foreign key names it: accounts sits below tenants.
    Municipality = get_user_model()._meta.get_field("last_municipality").related_model
    return Municipality.objects.values_list("name", flat=True).get(pk=municipality_id)


@shared_task(**RETRY)
def send_invitation(*, user_id: int, municipality_id: int):
    user = get_user_model().objects.get(pk=user_id)
    send_set_password_mail(
        user,
        subject_template="accounts/invitation_subject.txt",
        email_template="accounts/invitation_email.txt",
        extra_context={"municipality_name": _municipality_name(municipality_id)},
    )


@shared_task(**RETRY)
def send_access_granted(*, user_id: int, municipality_id: int):
    """Tell a person who already has an account that they now also work in
    another municipality."""
    user = get_user_model().objects.get(pk=user_id)
    context = {"user": user, "municipality_name": _municipality_name(municipality_id)}
    send_mail(
        render_to_string("accounts/access_granted_subject.txt", context).strip(),
        render_to_string("accounts/access_granted_email.txt", context),
        None,
        [user.email],
    )


@shared_task(**RETRY)
def send_security_notice(*, user_id: int, event: str, municipality_id: int | None = None):
    """Tell a person that their second factor or password was reset, so
    someone who did not ask for it contacts their admin at once."""
    user = get_user_model().objects.get(pk=user_id)
    context = {
        "user": user,
        "event": event,
        "municipality_name": _municipality_name(municipality_id) if municipality_id else "",
    }
    send_mail(
        render_to_string("accounts/security_notice_subject.txt", context).strip(),
        render_to_string("accounts/security_notice_email.txt", context),
        None,
        [user.email],
    )
