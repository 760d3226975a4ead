"""Form errors in a real browser: the error summary takes the focus when the page
comes back, the <title> starts with "Fout:", a link of the summary puts the
focus on its field, and axe finds nothing on the page with errors."""

import re

GATE = "vraagverhelderaar@overbetuwe.demo.test"


def focused_id(page):
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def test_a_wrong_password_focuses_the_error_summary(portal):
    person = portal()
    page = person.page
    person.goto("/inloggen/")
    page.get_by_label("E-mailadres").fill(GATE)
    page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    person.check()
    assert page.title().startswith("Fout:"), page.title()
    assert focused_id(page) == "error-summary"


def test_an_empty_question_focuses_the_summary_whose_links_lead_to_the_fields(portal):
    gate = portal()
    gate.login(GATE)
    page = gate.page
    gate.goto("/intake/vragen/nieuw/")
    page.get_by_role("button", name="Vraag registreren").click()
    gate.check()
    assert page.title().startswith("Fout:"), page.title()
    assert focused_id(page) == "error-summary"
    summary = page.locator("#error-summary")
    links = summary.get_by_role("link")
    assert links.count() >= 2
    for i in range(links.count()):
        link = links.nth(i)
        target = link.get_attribute("href")[1:]
        link.click()
        assert focused_id(page) == target, (link.inner_text(), target)
        control = page.locator(f"#{target}")
        assert control.get_attribute("aria-invalid") == "true"
        described = control.get_attribute("aria-describedby") or ""
        errors = [d for d in described.split() if d.endswith("-error")]
        assert errors and page.locator(f"#{errors[0]}").inner_text().strip()
    gate.screenshot("form-errors")
    # Filled in, the question is registered and the result announced as a status.
    page.get_by_label("Achternaam").fill("Foutmelding-Testinwoner")
    page.get_by_label("Gebied").select_option(label="Elst")
    page.get_by_label("Kanaal").select_option(label="telefoon")
    page.get_by_label("Omschrijving van de vraag").fill("Vraagt om hulp bij de administratie.")
    page.get_by_label("Huishouden/verzorging").check()
    page.get_by_role("button", name="Vraag registreren").click()
    gate.check()
    assert not page.title().startswith("Fout:")
    page.get_by_role("status").filter(has_text=re.compile(r"\S")).first.wait_for()
