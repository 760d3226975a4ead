"""The team's daily work (#20), as its "done when" walks it in the demo: a
kernteam member sends the acknowledgement of Gerrit Verhoeven's Wmo melding,
starts his case, attaches a document, plans a home visit that shows in their
agenda and in their iCalendar feed, records it afterwards and corrects the note
(both versions visible); the coordinator of Kernteam Elst gives the member's work
to a colleague and moves the case to Kernteam Driel. Every page visited passes
axe; the screenshots are the README's."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import connections
from django.utils import timezone
from django_scopes import scopes_disabled

from apps.agenda.models import Appointment
from apps.cases.models import Case
from tests.browser.conftest import menu_item, pdf_text

KERNTEAM_MEMBER = "kernteamlid@overbetuwe.demo.test"
COORDINATOR = "coordinator@overbetuwe.demo.test"
# The smallest PDF the content check accepts.
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def press(person, name):
    person.page.get_by_role("button", name=name, exact=True).click()
    person.check()


def follow(person, name):
    person.page.get_by_role("link", name=name, exact=True).first.click()
    person.check()


def choose(select, text):
    """Choose the option of `select` whose text contains `text`."""
    select.select_option(select.locator("option", has_text=text).first.get_attribute("value"))


def took_place(appointment, start):
    """Move the appointment to `start` (one hour) as if time passed: committed on a
    connection of its own, since the test body's transaction is invisible to the
    server (row-level security lets this platform-wide session through)."""
    connection = connections.create_connection("default")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('portal.all_municipalities', 'on', false)")
            cursor.execute(
                "UPDATE agenda_appointment SET starts_at = %s, ends_at = %s WHERE id = %s",
                [start, start + timedelta(hours=1), appointment.pk],
            )
    finally:
        connection.close()


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_kernteam_members_day_and_the_coordinator_moving_work(portal, world):
    member = portal()
    member.login(KERNTEAM_MEMBER)
    page = member.page
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name=menu_item("Inbox")
    ).click()
    member.check()
    page.get_by_role("link", name=re.compile("Gerrit Verhoeven")).first.click()
    member.check()
    question_url = page.url

    # The acknowledgement of the melding, with its deadlines, as a PDF.
    follow(member, "Brief maken: ontvangstbevestiging melding")
    member.screenshot("letters-acknowledgement")
    press(member, "Brief maken en opslaan")
    assert urlsplit(page.url).path == urlsplit(question_url).path, page.url
    link = page.locator("a[href$='/pdf/']").first
    letter = page.request.get(link.get_attribute("href"))
    assert letter.ok and "Verhoeven" in pdf_text(letter.body())

    # The case, and a document on it (checked by its content, stored privately).
    member.goto(question_url)
    press(member, "Casus starten")
    case_url = page.url
    case_pk = int(re.search(r"/casussen/(\d+)/$", case_url).group(1))
    page.get_by_label("Titel").fill("Advies huisarts")
    page.get_by_label("Soort").last.select_option(index=1)
    page.get_by_label("Datum van het document").fill(timezone.localdate().isoformat())
    page.get_by_label("Bestand").set_input_files(
        {"name": "advies.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    press(member, "Document toevoegen")
    assert "Advies huisarts" in page.content()

    # A home visit tomorrow: in "Mijn agenda" and in the iCalendar feed.
    follow(member, "Afspraak plannen")
    tomorrow = timezone.localtime().replace(hour=10, minute=0) + timedelta(days=1)
    page.get_by_label("Soort").select_option(label="huisbezoek")
    page.get_by_label("Begint om").fill(local(tomorrow))
    page.get_by_label("Eindigt om").fill(local(tomorrow + timedelta(hours=1)))
    page.get_by_label("Plaats").fill("Bij de inwoner thuis")
    press(member, "Opslaan")
    member.goto("/agenda/")
    assert "huisbezoek" in page.content().lower()
    member.screenshot("agenda-mine")
    member.goto("/agenda/kalender/")
    press(member, "Adres maken")
    feed = urlsplit(page.locator("#feed-url").input_value()).path
    calendar = page.request.get(feed)
    assert calendar.ok and "BEGIN:VEVENT" in calendar.text()
    assert "Verhoeven" not in calendar.text()

    # The visit took place (as if a day passed), and is recorded as the activity.
    with scopes_disabled():
        visit = Appointment.objects.get(case_id=case_pk)
    took_place(visit, timezone.now() - timedelta(hours=2))
    member.goto(f"/agenda/afspraken/{visit.pk}/")
    follow(member, "Vastleggen als activiteit")
    page.get_by_label("Verslag").fill("Huisbezoek: de trap is het probleem.")
    press(member, "Opslaan")

    # The note corrected: both versions stay on the case page.
    member.goto(case_url)
    follow(member, "Verslag corrigeren")
    page.get_by_label("Verslag").fill("Huisbezoek: de trap en de badkamer zijn het probleem.")
    page.get_by_label(re.compile("Reden")).fill("Badkamer vergeten.")
    press(member, "Opslaan")
    html = page.content()
    assert "de trap is het probleem" in html and "de badkamer zijn het probleem" in html
    assert "gecorrigeerd" in html
    member.screenshot("daily-work-case")
    member.close()

    # The coordinator gives the member's work to a colleague, after the preview...
    coordinator = portal()
    coordinator.login(COORDINATOR)
    page = coordinator.page
    coordinator.goto("/casussen/")
    follow(coordinator, "werk van Kernteam Elst verdelen")
    coordinator.screenshot("team-work")
    page.get_by_role("link", name=re.compile("Werk van .* overdragen")).first.click()
    coordinator.check()
    choose(page.get_by_label("Naar medewerker"), "Kernteam Elst")
    page.get_by_label("Reden").fill("Vertrekt per 1 januari.")
    coordinator.screenshot("work-reassign")
    press(coordinator, "Alles overdragen")
    assert "is overgedragen" in page.content()

    # ...and moves the case to Kernteam Driel (the household moved house).
    coordinator.goto(case_url)
    follow(coordinator, "Naar ander team")
    choose(page.get_by_label("Naar team"), "Kernteam Driel")
    choose(page.get_by_label("Nieuwe regisseur"), "Kernteam Driel")
    page.get_by_label("Reden").fill("Verhuisd naar Driel.")
    press(coordinator, "Opslaan")
    with scopes_disabled():
        assert Case.objects.get(pk=case_pk).team.name == "Kernteam Driel"
    coordinator.close()
