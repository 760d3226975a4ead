"""The gate clarifier registers a phone question from a resident of Elst; it
lands in Kernteam Elst's inbox. A kernteam member finds no way to decide."""

import re

from django_scopes import scopes_disabled

from apps.decisions.models import Proposal
from tests.browser.conftest import menu_item

GATE = "vraagverhelderaar@overbetuwe.demo.test"
KERNTEAM_MEMBER = "kernteamlid@overbetuwe.demo.test"


def main_menu(person, name):
    person.page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name=menu_item(name)
    ).click()
    person.check()


def test_a_phone_question_from_elst_lands_in_kernteam_elsts_inbox(portal):
    gate = portal()
    gate.login(GATE)
    gate.screenshot("start-gate-clarifier")
    main_menu(gate, "Nieuwe vraag")
    gate.screenshot("question-register")
    page = gate.page
    page.get_by_label("Voornamen").fill("Wilhelmina")
    page.get_by_label("Achternaam").fill("Brouwerstraat-Testinwoner")
    page.get_by_label("Straat en huisnummer").fill("Dorpsstraat 12")
    page.get_by_label("Postcode").fill("6661 AB")
    page.get_by_label("Woonplaats").fill("Elst")
    page.get_by_label("Gebied").select_option(label="Elst")
    page.get_by_label("Kanaal").select_option(label="telefoon")
    page.get_by_label("Omschrijving van de vraag").fill(
        "Belt over hulp bij het huishouden sinds een heupoperatie."
    )
    page.get_by_label("Huishouden/verzorging").check()
    page.get_by_role("button", name="Vraag registreren").click()
    gate.check()
    page.get_by_text("Kernteam Elst").first.wait_for()

    member = portal()
    member.login(KERNTEAM_MEMBER)
    main_menu(member, "Inbox")  # one team: straight to its inbox
    member.page.get_by_role("heading", level=1, name=re.compile("Kernteam Elst")).wait_for()
    member.screenshot("inbox-kernteam")
    link = member.page.get_by_role("link", name=re.compile("Brouwerstraat-Testinwoner"))
    link.first.click()
    member.check()
    member.screenshot("question-detail")
    member.page.get_by_text("Belt over hulp bij het huishouden").wait_for()


def test_a_kernteam_member_finds_no_way_to_decide(portal):
    member = portal()
    member.login(KERNTEAM_MEMBER)
    menu = member.page.get_by_role("navigation", name="Hoofdmenu")
    assert menu.get_by_role("link", name="Wachtrij loket").count() == 0
    with scopes_disabled():
        proposal = (
            Proposal.objects.filter(
                municipality__name="Overbetuwe", case__team__name="Kernteam Elst"
            )
            .order_by("pk")
            .first()
        )
    response = member.goto(f"/casussen/voorstellen/{proposal.pk}/")
    if response.status == 200:
        assert member.page.get_by_role("button", name="Besluit vastleggen").count() == 0
        assert member.page.get_by_role("link", name=re.compile("Beoordelen|Besluiten")).count() == 0
    response = member.goto(f"/loket/voorstellen/{proposal.pk}/")
    assert response.status in (403, 404)
    assert member.page.get_by_role("button", name="Besluit vastleggen").count() == 0
