"""The iCalendar feed of a person's agenda (RFC 5545, with the `icalendar`
library).

Calendars sync to services outside the municipality (a phone's calendar, a
cloud account), so an event holds as little as works: the kind of appointment,
its time, the reference of the case or question (a number) and a link to the
appointment in the portal, which asks for a login. No resident's name, no
place (for a home visit it is the resident's address), no participants and no
notes: the link shows them to whoever may see them."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from apps.agenda.models import Appointment

STATUS = {
    Appointment.Status.PLANNED: "CONFIRMED",
    Appointment.Status.HELD: "CONFIRMED",
    Appointment.Status.CANCELLED: "CANCELLED",
}


def feed_url(key: str) -> str:
    return settings.PORTAL_BASE_URL + reverse("agenda:feed", args=[key])


def appointment_url(appointment) -> str:
    return settings.PORTAL_BASE_URL + reverse("agenda:detail", args=[appointment.pk])


def reference(appointment) -> str:
    """The case or question by its number only ("Casus 12", "Vraag 40")."""
    if appointment.case_id:
        return _("Casus %(number)s") % {"number": appointment.case_id}
    return _("Vraag %(number)s") % {"number": appointment.question_id}


def calendar_for(appointments, *, municipality) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Toegangsportaal sociaal domein//Agenda//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Agenda %(municipality)s") % {"municipality": municipality})
    host = settings.PORTAL_BASE_URL.split("://", 1)[-1]
    for appointment in appointments:
        url = appointment_url(appointment)
        event = Event()
        event.add("uid", f"appointment-{appointment.pk}@{host}")
        event.add("dtstamp", appointment.updated_at)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("summary", f"{appointment.get_kind_display()} — {reference(appointment)}")
        event.add("description", url)
        event.add("url", url)
        event.add("status", STATUS[appointment.status])
        event.add("sequence", appointment.version)
        calendar.add_component(event)
    return calendar.to_ical()
