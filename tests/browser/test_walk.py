"""Every role of Overbetuwe walks the pages its main menu and start page link to:
on each one axe finds no WCAG 2.1 A/AA violation, and at 320 CSS pixels wide
the page needs no horizontal scrolling (WCAG 1.4.10 Reflow; a wide table
scrolls inside its own labelled, focusable container). One English test
switches the language with the header form and back."""

import re
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import check_accessibility

# 320 CSS pixels: a 1280 px wide window at 400% zoom (WCAG 1.4.10).
NARROW = {"width": 320, "height": 640}
MAX_PAGES = 25
ROLES = [
    "vraagverhelderaar@overbetuwe.demo.test",  # gate clarifier
    "kernteamlid@overbetuwe.demo.test",  # kernteam member
    "coordinator@overbetuwe.demo.test",  # coordinator
    "consulent@overbetuwe.demo.test",  # loket consultant
    "beleid@overbetuwe.demo.test",  # policy advisor
    "beheerder@overbetuwe.demo.test",  # municipality admin
]
# Files, not pages (a report's PDF/CSV, the resident overview's CSV), the API,
# and what is no page to visit.
SKIP = re.compile(r"/(pdf|csv)/$|^/api/|/uitloggen/|^/i18n/|^/platformbeheer/|^/static/|^/media/")

LINKS = """() => {
    const found = [];
    for (const a of document.querySelectorAll(
        'nav[aria-label="Hoofdmenu"] a[href], main a[href]')) {
        if (a.hasAttribute('download')) continue;
        const url = new URL(a.href, document.baseURI);
        if (url.origin !== location.origin) continue;
        found.push(url.pathname + url.search);
    }
    return found;
}"""

# The elements that stick out of the viewport, outside a scroll container of
# their own: what makes the page scroll sideways.
OVERFLOW = """() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const inScroller = (el) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            const o = getComputedStyle(p).overflowX;
            if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
        }
        return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1 && !inScroller(el)) {
            const cls = el.className && typeof el.className === 'string'
                ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
            out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls}`
                     + ` (right edge ${Math.round(r.right)}px)`);
        }
    }
    const total = document.documentElement.scrollWidth;
    return [`scrollWidth ${total}px > ${width}px`, ...out.slice(0, 8)];
}"""


def check_reflow(page):
    problems = page.evaluate(OVERFLOW)
    if problems:
        pytest.fail(
            f"reflow: {page.url} scrolls sideways at {NARROW['width']} px:\n  "
            + "\n  ".join(problems),
            pytrace=False,
        )


def links(page):
    seen = []
    for path in page.evaluate(LINKS):
        if SKIP.search(urlsplit(path).path) or path in seen:
            continue
        seen.append(path)
    return seen


@pytest.mark.parametrize("email", ROLES, ids=lambda e: e.split("@")[0])
def test_every_page_of_the_menu_and_start_page_is_accessible_and_reflows(portal, email):
    person = portal(NARROW)
    person.login(email)
    page = person.page
    problems = []

    def check_page():
        # Every page is checked, and all that is wrong is reported at once.
        for check in (person.check, lambda: check_reflow(page)):
            try:
                check()
            except pytest.fail.Exception as failure:
                problems.append(str(failure))

    page.goto("/")
    check_page()
    start = urlsplit(page.url)
    visited = {start.path + (f"?{start.query}" if start.query else "")}
    to_visit = [p for p in links(page) if p not in visited][:MAX_PAGES]
    assert to_visit, f"{email} has no links on the start page"
    for path in to_visit:
        response = page.goto(path)
        assert response.ok, f"{path}: HTTP {response.status}"
        assert "text/html" in (response.headers.get("content-type") or ""), path
        check_page()
        visited.add(path)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_the_start_page_in_english_and_back(portal):
    person = portal()
    person.login("kernteamlid@overbetuwe.demo.test")
    page = person.page
    person.goto("/")
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Kies taal").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en"
    # Known msgstrs of the English catalogue: the start page's greeting, the menu.
    page.get_by_role("heading", level=1, name=re.compile(r"^Hello, ")).wait_for()
    nav = page.get_by_role("navigation", name="Main menu")
    nav.get_by_role("link", name="Cases").wait_for()
    check_accessibility(page)
    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="Choose language").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_role("heading", level=1, name=re.compile(r"^Goedendag, ")).wait_for()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Casussen").wait_for()
    check_accessibility(page)


def test_a_table_container_is_a_tab_stop_only_while_it_scrolls(portal):
    """static/js/portal.js: a table that fits needs no tab stop of its own; one
    that scrolls sideways does (to scroll it by keyboard), also after a resize.
    The page's HTML has the tab stop, for browsers without JavaScript."""
    person = portal()
    person.login("beheerder@overbetuwe.demo.test")
    response = person.goto("/teams/")
    assert 'class="portal-table-wrap" role="region" tabindex="0"' in response.text()
    page = person.page
    wrap = page.locator(".portal-table-wrap").first
    wrap.wait_for()
    fits = "el => el.scrollWidth <= el.clientWidth + 1"
    assert wrap.evaluate(fits), "the teams table should fit at 1280 px"
    page.wait_for_function("el => !el.hasAttribute('tabindex')", arg=wrap.element_handle())
    page.set_viewport_size(NARROW)
    page.wait_for_function(
        "el => el.scrollWidth > el.clientWidth + 1 && el.getAttribute('tabindex') === '0'",
        arg=wrap.element_handle(),
    )
    check_accessibility(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function("el => !el.hasAttribute('tabindex')", arg=wrap.element_handle())
