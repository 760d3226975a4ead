"""Template helpers for statutory deadlines: days left, and the Wmo personal plan
on a question's page."""

from django import template
from django.utils import timezone

from apps.intake.services import intake_settings_for
from apps.teams.models import Law

register = template.Library()


@register.filter
def days_until(deadline):
    """Days from today to `deadline` (negative: overdue), or None."""
    if not deadline:
        return None
    return (deadline - timezone.localdate()).days


@register.filter
def absolute(value):
    return abs(value) if value is not None else value


@register.simple_tag
def personal_plan_info(question):
    """For a Wmo report: until when the resident may hand in a personal plan
    (received + personal_plan_days), whether it came and whether in time."""
    from apps.decisions.services import personal_plan_due

    if Law.WMO not in (question.laws or []):
        return None
    due = personal_plan_due(question, intake_settings_for(question.municipality))
    received = question.personal_plan_received_on
    return {
        "due": due,
        "received": received,
        "in_time": received is not None and received <= due,
    }
