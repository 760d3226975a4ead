"""Reads of the agenda: a person's agenda, a team's agenda and the appointments
of a calendar feed, each in a fixed number of queries."""

from datetime import timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from apps.access import rules
from apps.agenda.models import Appointment
from apps.tenants.models import StaffMember

# How far back the calendar feed and the agenda look (held or not yet recorded).
FEED_DAYS_BACK = 30
# At most this many appointments in a list or a feed (a calendar app polls it).
LIST_LIMIT = 200


def with_details(appointments):
    return appointments.select_related(
        "case", "question", "organiser__user", "activity"
    ).prefetch_related(
        Prefetch("participants", queryset=StaffMember.objects.select_related("user"))
    )


def visible_appointments(user, municipality):
    return rules.visible_appointments(
        user, municipality, Appointment.objects.filter(municipality=municipality)
    )


def mine(staff_member):
    """Where `staff_member` organises or takes part."""
    return Q(organiser=staff_member) | Q(participants=staff_member)


def personal_agenda(user, municipality, staff_member) -> dict:
    """The person's planned appointments still to come, and those that took
    place but are not recorded yet (the last FEED_DAYS_BACK days)."""
    now = timezone.now()
    planned = (
        visible_appointments(user, municipality)
        .filter(mine(staff_member), status=Appointment.Status.PLANNED)
        .distinct()
    )
    return {
        "upcoming": list(
            with_details(planned.filter(ends_at__gte=now)).order_by("starts_at", "pk")[:LIST_LIMIT]
        ),
        "to_record": list(
            with_details(
                planned.filter(ends_at__lt=now, starts_at__gte=now - timedelta(days=FEED_DAYS_BACK))
            ).order_by("starts_at", "pk")[:LIST_LIMIT]
        ),
    }


def team_agenda(user, municipality, team) -> list:
    """The planned appointments on the team's cases and questions, to come."""
    return list(
        with_details(
            visible_appointments(user, municipality).filter(
                Q(case__team=team) | Q(question__team=team),
                status=Appointment.Status.PLANNED,
                ends_at__gte=timezone.now(),
            )
        ).order_by("starts_at", "pk")[:LIST_LIMIT]
    )


def feed_appointments(staff_member) -> list:
    """The appointments of a calendar feed: the person's, from FEED_DAYS_BACK days
    ago on, cancelled ones too (so a calendar app removes them), of the cases and
    questions they still see."""
    since = timezone.now() - timedelta(days=FEED_DAYS_BACK)
    visible = visible_appointments(staff_member.user, staff_member.municipality)
    return list(
        visible.filter(mine(staff_member), ends_at__gte=since)
        .distinct()
        .order_by("starts_at", "pk")[:LIST_LIMIT]
    )
