"""The path of voorwerk, as the README's demo walks it: a kernteam member opens
a case for Gerrit Verhoeven of Elst, records a joint home visit with the loket
consultant, scores the ZRM, agrees a plan and proposes household help of 3
hours a week; the loket consultant grants it and downloads the letter."""

import re
from pathlib import Path
from urllib.parse import urlsplit

from django.utils import timezone

from tests.browser.conftest import menu_item, pdf_text

KERNTEAM_MEMBER = "kernteamlid@overbetuwe.demo.test"
CONSULTANT = "consulent@overbetuwe.demo.test"
OTHER_CONSULTANT = "klantmanager@duoplus.demo.test"  # loket of Uithoorn and Ouder-Amstel


def press(person, name):
    person.page.get_by_role("button", name=name, exact=True).click()
    person.check()


def follow(person, name):
    person.page.get_by_role("link", name=name, exact=True).first.click()
    person.check()


def choose(select, text):
    """Choose the option of `select` whose text contains `text`."""
    select.select_option(select.locator("option", has_text=text).first.get_attribute("value"))


def test_a_kernteam_member_proposes_household_help_and_the_loket_grants_it(portal):
    today = timezone.localdate().isoformat()
    member = portal()
    member.login(KERNTEAM_MEMBER)
    page = member.page
    member.page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name=menu_item("Inbox")
    ).click()
    member.check()
    page.get_by_role("link", name=re.compile("Gerrit Verhoeven")).first.click()
    member.check()
    press(member, "Casus starten")
    case_url = page.url
    assert re.search(r"/casussen/\d+/$", case_url), case_url
    member.screenshot("case-detail")

    # A joint home visit: the kernteam member with the loket consultant.
    follow(member, "Activiteit vastleggen")
    page.get_by_label("Soort").select_option(label="huisbezoek")
    page.get_by_label(re.compile("Carla")).check()
    page.get_by_label("Verslag").fill("Huisbezoek samen met het loket; huishouden loopt vast.")
    press(member, "Opslaan")

    # ZRM
    follow(member, "ZRM-meting")
    page.get_by_label("Huishouden/verzorging").select_option("2")
    press(member, "Opslaan")

    # Support plan: one goal, agreed with the resident.
    follow(member, "Ondersteuningsplan")
    press(member, "Plan beginnen")
    page.get_by_label("Leefgebied").select_option(label="Huishouden/verzorging")
    page.get_by_role("textbox", name="Doel", exact=True).fill("Het huishouden is weer op orde.")
    press(member, "Doel toevoegen")
    page.get_by_label("Afgesproken met de inwoner op").fill(today)
    press(member, "Plan vaststellen")
    member.screenshot("plan")

    # The proposal: household help, 3 hours a week.
    member.goto(case_url)
    follow(member, "Voorstel maatwerkvoorziening")
    choose(page.get_by_label("Voorziening"), "Hulp bij het huishouden")
    choose(page.get_by_label("Voor inwoner"), "Gerrit")
    page.get_by_label("Omvang").fill("3")
    page.get_by_label("Eenheid").select_option("hours_per_week")
    page.get_by_label("Ingangsdatum").fill(today)
    page.get_by_label("Motivering").fill("Na de heupoperatie kan hij het huishouden niet aan.")
    # In kind, by a provider the municipality contracted for household help.
    page.get_by_label("Leveringsvorm").select_option("zin")
    choose(page.get_by_label("Aanbieder"), "Thuiszorg Betuwe")
    press(member, "Opslaan")
    member.screenshot("proposal")
    press(member, "Indienen bij het loket")

    consultant = portal()
    consultant.login(CONSULTANT)
    page = consultant.page
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name=menu_item("Wachtrij loket")
    ).click()
    consultant.check()
    consultant.screenshot("queue")
    page.get_by_role("link", name=re.compile(r"^Voorstel \d+")).first.click()
    consultant.check()
    consultant.screenshot("review")
    review_url = urlsplit(page.url).path
    page.get_by_label("Besluit", exact=True).select_option("granted")
    press(consultant, "Besluit vastleggen")
    consultant.screenshot("decision")
    decision_url = urlsplit(page.url).path
    letter = page.get_by_role("link", name="Besluitbrief downloaden (PDF)")
    letter_url = letter.get_attribute("href")
    with page.expect_download() as download:
        letter.click()
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert "Verhoeven" in text
    assert "Hulp bij het huishouden" in text
    assert "3" in text

    # A loket consultant of another municipality (DUO+ for Uithoorn) finds
    # none of it: the case, the review, the decision, the letter.
    other = portal()
    other.login(OTHER_CONSULTANT)
    for path in (case_url, review_url, decision_url, letter_url):
        response = other.goto(path)
        assert response.status == 404, path
        other.page.get_by_role("heading", level=1, name="Niet gevonden").wait_for()
