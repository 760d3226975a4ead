"""htmx where it saves a page load: the inbox filters and taking a question
swap only the part that changes. A mark set on `window` before the action
survives it (a page load would clear it); the address bar follows the filter,
the back button loads the earlier filter, the result count and the message are
announced from live regions that stay in place, and the focus stays usable.
axe checks the page after every swap."""

import re

from tests.browser.conftest import check_accessibility

KERNTEAM_MEMBER = "kernteamlid@overbetuwe.demo.test"
MARK = "() => { window.portalSamePage = true; }"
SAME_PAGE = "() => window.portalSamePage === true"


def filter_on_channel(person, label):
    page = person.page
    with page.expect_response(re.compile(r"/intake/inbox/\d+/\?")) as answer:
        page.get_by_label("Kanaal").select_option(label=label)
        page.get_by_role("button", name="Filteren").click()
    assert answer.value.request.headers.get("hx-request") == "true"
    page.wait_for_load_state("load")


def test_inbox_filters_and_taking_a_question_without_a_page_load(portal):
    member = portal()
    member.login(KERNTEAM_MEMBER)
    member.goto("/intake/")  # one team: its inbox
    page = member.page
    summary = page.locator("#inbox-summary")
    assert summary.get_attribute("role") == "status"
    page.evaluate(MARK)

    # A filter without results: only the results change, the URL follows.
    filter_on_channel(member, "e-mail")
    page.wait_for_function(
        "() => document.querySelector('#inbox-summary').textContent.includes('Geen vragen')"
    )
    assert page.evaluate(SAME_PAGE), "the filter loaded the whole page"
    assert "channel=email" in page.url
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Filteren"
    page.get_by_text("Geen vragen die aan deze filters voldoen.").wait_for()
    check_accessibility(page)

    filter_on_channel(member, "telefoon")
    page.wait_for_function(
        "() => document.querySelector('#inbox-summary').textContent.includes('1 vraag gevonden')"
    )
    assert page.evaluate(SAME_PAGE)
    assert "channel=telephone" in page.url
    check_accessibility(page)

    # Back: the earlier filter, loaded from the server (htmx keeps no copies).
    with page.expect_event("load"):  # htmx reloads the page the browser went back to
        page.go_back()
    assert "channel=email" in page.url
    page.get_by_text("Geen vragen die aan deze filters voldoen.").wait_for()
    with page.expect_event("load"):
        page.go_forward()
    assert "channel=telephone" in page.url
    member.check()

    # Taking the question from its row: the row changes in place.
    page.evaluate(MARK)
    row = page.get_by_role("row", name=re.compile("Verhoeven"))
    take = row.get_by_role("button", name=re.compile("^Oppakken"))
    assert "(vraag van Gerrit Verhoeven)" in take.text_content()  # one name per button
    with page.expect_response(re.compile(r"/oppakken/$")):
        take.click()
    page.locator("#portal-messages").get_by_text("U heeft de vraag opgepakt.").wait_for()
    row.get_by_text("bij Kees Kernteamlid").wait_for()
    assert page.evaluate(SAME_PAGE), "taking the question loaded the whole page"
    assert row.get_by_role("button", name=re.compile("^Oppakken")).count() == 0
    # The focus went to the row's link instead of being lost with the button.
    assert "Verhoeven" in page.evaluate("() => document.activeElement.textContent")
    assert page.locator("#portal-messages").get_attribute("role") == "status"
    assert "channel=telephone" in page.url  # a POST does not change the address
    check_accessibility(page)

    # The question's page agrees.
    row.get_by_role("link", name=re.compile("Verhoeven")).click()
    member.check()
    page.get_by_text("opgepakt door Kees Kernteamlid").wait_for()
