"""At 200% zoom and by keyboard alone, and two levels deeper than the menu.

- 200% zoom (WCAG 1.4.4 Resize text, 1.4.10 Reflow): a 1280 x 800 desktop at
  200% is a 640 x 400 CSS pixel viewport at device scale factor 2. The main
  pages of each role (its start page and what it links to, as in test_walk)
  do not scroll sideways, clip no text and pass axe.
- Keyboard (WCAG 2.1.1, 2.1.2, 2.4.1, 2.4.7): a gate clarifier logs in,
  skips to the content, registers a question and a kernteam member takes it,
  with only key presses. At every Tab stop the focused element is shown, in
  the viewport, and looks different from when it has no focus. The same is
  checked for every Tab stop (up to a bound) of the main pages of each role.
- Deep walk: the kernteam member, coordinator and loket consultant follow the
  links on their pages up to three clicks from the start page (case list, a
  case, the forms of that case), each kind of page once: axe and the 320 px
  reflow check on each.

One module, so the demo world is seeded once for all of them.
"""

import re
from urllib.parse import urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import DEMO_PASSWORD, menu_item
from tests.browser.test_walk import NARROW, OVERFLOW, ROLES, check_reflow, links
from tests.conftest import totp_code

# 1280 x 800 at 200% zoom.
ZOOM_200 = {"width": 640, "height": 400}
GATE = "vraagverhelderaar@overbetuwe.demo.test"
KERNTEAM_MEMBER = "kernteamlid@overbetuwe.demo.test"
DEEP_ROLES = [
    KERNTEAM_MEMBER,
    "coordinator@overbetuwe.demo.test",
    "consulent@overbetuwe.demo.test",
]
MAX_TAB_STOPS = 80
# Tab stops per page in the sweep over the main pages (the menu and the first
# part of the content).
TAB_SWEEP = 50
MAX_DEEP_PAGES = 25


def _problems(checks, problems):
    """Run each check; collect its failure instead of stopping at the first."""
    for check in checks:
        try:
            check()
        except pytest.fail.Exception as failure:
            problems.append(str(failure))


def main_pages(page):
    """The start page and the pages its menu and content link to."""
    page.goto("/")
    start = urlsplit(page.url)
    here = start.path + (f"?{start.query}" if start.query else "")
    return [here] + [p for p in links(page) if p != here]


# Elements that hide part of their text: overflow hidden/clip (or an ellipsis)
# with content larger than the box. Visually hidden text (1 px) is meant so.
CLIPPED = """() => {
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
        const s = getComputedStyle(el);
        const clipsX = ['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis';
        const clipsY = ['hidden', 'clip'].includes(s.overflowY);
        if (!clipsX && !clipsY) continue;
        if (el.clientWidth <= 1 || el.clientHeight <= 1) continue;
        if (!el.textContent.trim()) continue;
        if ((clipsX && el.scrollWidth > el.clientWidth + 1)
            || (clipsY && el.scrollHeight > el.clientHeight + 1)) {
            out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
                     + `.${[...el.classList].join('.')}: "${el.textContent.trim().slice(0, 40)}"`);
        }
    }
    return out.slice(0, 8);
}"""


def check_zoom(page):
    problems = page.evaluate(OVERFLOW) + [f"clipped {c}" for c in page.evaluate(CLIPPED)]
    if problems:
        pytest.fail(
            f"200% zoom: {page.url} ({ZOOM_200['width']} CSS px):\n  " + "\n  ".join(problems),
            pytrace=False,
        )


# --- keyboard ---------------------------------------------------------------

# The focused element: what it is, whether it is shown and in the viewport,
# and its look with and without the focus. The unfocused looks of all
# elements are taken once per page, before the first Tab (blurring and
# focusing again would reset the Tab position inside a date field); an element
# added later is blurred for a moment and focused again.
FOCUS = """() => {
    const look = (el) => {
        const s = getComputedStyle(el);
        const outline = s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0
            ? 'none' : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`;
        return [outline, s.boxShadow, s.backgroundColor, s.color, s.borderTopColor,
                s.borderBottomColor, s.borderBottomWidth, s.textDecorationLine,
                s.textDecorationThickness].join(' | ');
    };
    if (!window.__portalLooks) {
        window.__portalLooks = new WeakMap();
        for (const el of document.querySelectorAll('*')) {
            if (el !== document.activeElement) window.__portalLooks.set(el, look(el));
        }
        return 'ready';
    }
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const focused = look(el);
    let unfocused = window.__portalLooks.get(el);
    if (unfocused === undefined) {
        el.blur();
        unfocused = look(el);
        el.focus({preventScroll: true});
    }
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    const name = (el.getAttribute('aria-label') || el.labels?.[0]?.textContent
                  || el.textContent || el.getAttribute('name') || '').trim().replace(/\\s+/g, ' ');
    return {
        tag: el.tagName.toLowerCase(), type: el.type || '', name: name.slice(0, 60),
        id: el.id, href: el.getAttribute('href') || '',
        shown: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
               && parseFloat(s.opacity) > 0,
        inViewport: r.bottom > 0 && r.right > 0 && r.top < window.innerHeight
                    && r.left < window.innerWidth,
        focused, unfocused,
        key: `${el.tagName}#${el.id}|${el.getAttribute('name')}|${el.getAttribute('href')}|`
             + `${el.value && el.type === 'radio' ? el.value : ''}|${Math.round(r.top + scrollY)}`
             + `|${Math.round(r.left)}`,
    };
}"""


def remember_looks(page):
    """Take the unfocused look of every element (once per loaded page)."""
    page.evaluate(FOCUS)


def focus_problem(stop):
    """What is wrong with the focus at this Tab stop (None: nothing)."""
    what = f"{stop['tag']} {stop['name']!r} {stop['id'] or stop['href']}"
    if not stop["shown"]:
        return f"focus on a hidden element: {what}"
    if not stop["inViewport"]:
        return f"focused element outside the viewport: {what}"
    if stop["focused"] == stop["unfocused"]:
        return f"no visible focus indicator: {what} ({stop['focused']})"
    return None


def tab(page, shift=False):
    """One Tab (or Shift+Tab); the new focus stop, checked (fails on a problem)."""
    if page.evaluate("() => !window.__portalLooks"):
        remember_looks(page)
    page.keyboard.press("Shift+Tab" if shift else "Tab")
    stop = page.evaluate(FOCUS)
    if stop is not None:
        problem = focus_problem(stop)
        if problem:
            pytest.fail(f"{page.url}: {problem}", pytrace=False)
    return stop


def tab_to(page, matches, limit=MAX_TAB_STOPS):
    """Tab until the focused element `matches` (a function of the stop)."""
    seen = []
    for _ in range(limit):
        stop = tab(page)
        if stop is not None and matches(stop):
            return stop
        seen.append(stop and f"{stop['tag']} {stop['name']!r}")
    pytest.fail(f"{page.url}: not reached by Tab in {limit} stops; passed: {seen}", pytrace=False)


def named(pattern, tag=None):
    regex = re.compile(pattern)
    return lambda stop: (tag is None or stop["tag"] == tag) and bool(regex.search(stop["name"]))


def follow(person, key="Enter"):
    """Press a key that loads a page (a link, a form's submit); check the new page."""
    with person.page.expect_navigation():
        person.page.keyboard.press(key)
    person.check()


def keyboard_login(person, email):
    page = person.page
    device = TOTPDevice.objects.get(user__email=email, name="browsertest")
    person.goto("/inloggen/")
    tab_to(page, named("E-mailadres", "input"))
    page.keyboard.type(email)
    tab_to(page, named("Wachtwoord", "input"))
    page.keyboard.type(DEMO_PASSWORD)
    follow(person)
    tab_to(page, named("Code uit de app", "input"))
    page.keyboard.type(totp_code(device))
    follow(person)
    assert "/inloggen/" not in page.url, page.url


def skip_to_content(person):
    """The first Tab stop is the skip link; it moves the focus to <main>."""
    page = person.page
    stop = tab(page)
    assert stop and stop["href"] == "#main", stop
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_register_and_take_a_question_by_keyboard_only(portal):
    gate = portal()
    keyboard_login(gate, GATE)
    page = gate.page
    skip_to_content(gate)
    # The menu comes before <main>: back with Shift+Tab, then on to the link.
    page.keyboard.press("Shift+Tab")
    tab_to(page, named("^Nieuwe vraag$", "a"))
    follow(gate)
    skip_to_content(gate)
    for label, text in (
        ("Voornamen", "Toetsenbord"),
        ("Achternaam", "Tabtoets-Testinwoner"),
        ("Straat en huisnummer", "Dorpsstraat 14"),
        ("Postcode", "6661 AB"),
        ("Woonplaats", "Elst"),
    ):
        tab_to(page, named(f"^{label}", "input"))
        page.keyboard.type(text)
    # A select: typing chooses the option that starts with the letters.
    tab_to(page, named("^Gebied", "select"))
    page.keyboard.type("Elst")
    assert page.get_by_label("Gebied").evaluate("s => s.selectedOptions[0].text") == "Elst"
    tab_to(page, named("^Kanaal", "select"))
    page.keyboard.type("telefoon")
    assert page.get_by_label("Kanaal").evaluate("s => s.selectedOptions[0].text") == "telefoon"
    tab_to(page, named("^Omschrijving van de vraag", "textarea"))
    page.keyboard.type("Belt over hulp bij het huishouden; alles met het toetsenbord.")
    tab_to(page, named("Huishouden/verzorging", "input"))
    page.keyboard.press("Space")
    assert page.get_by_label("Huishouden/verzorging").is_checked()
    tab_to(page, named("^Vraag registreren$", "button"))
    follow(gate)
    page.get_by_text("Kernteam Elst").first.wait_for()

    member = portal()
    keyboard_login(member, KERNTEAM_MEMBER)
    page = member.page
    tab_to(page, named("^Inbox", "a"))
    follow(member)
    tab_to(page, named("Tabtoets-Testinwoner", "a"))
    follow(member)
    page.get_by_text("alles met het toetsenbord").wait_for()
    tab_to(page, named("^Oppakken$", "button"))
    # htmx swaps the question's status part without a page load; the focus
    # moves onto it, so the keyboard user goes on from there.
    page.keyboard.press("Enter")
    page.get_by_text("opgepakt door").first.wait_for()
    assert page.get_by_role("button", name="Oppakken").count() == 0
    assert page.evaluate("() => document.activeElement.id") == "question-handling"
    member.check()


def tab_through(page, limit=MAX_TAB_STOPS):
    """Tab through the page from its top; every stop's focus problems. A stop
    that keeps the focus where it was is a keyboard trap."""
    problems = []
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    remember_looks(page)
    first = previous = None
    repeats = 0
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS)
        if stop is None:  # past the last element, back at the document
            break
        if stop["key"] == first:
            break
        # A date-time field takes a few Tabs (day, month, year, hour, minute,
        # calendar); more
        # on the same element is a trap.
        repeats = repeats + 1 if stop["key"] == previous else 0
        if repeats >= 8:
            problems.append(f"keyboard trap at {stop['tag']} {stop['name']!r}")
            break
        first = first or stop["key"]
        previous = stop["key"]
        problem = focus_problem(stop)
        if problem and problem not in problems:
            problems.append(problem)
    return [f"{page.url}: {p}" for p in problems]


# --- the main pages at 200%, and every Tab stop on them -----------------------


def kind(path):
    """A page's kind: its path with the ids left out (each kind is checked once)."""
    return re.sub(r"/\d+/", "/N/", urlsplit(path).path)


def test_main_pages_at_200_percent_zoom_show_the_focus_at_every_tab_stop(portal):
    """Each role's start page and what it links to, each kind of page once: at
    200% zoom axe passes, nothing scrolls sideways or is clipped, and every Tab
    stop (up to MAX_TAB_STOPS) is shown, in view, with a visible focus."""
    problems = []
    seen = set()
    for email in ROLES:
        person = portal(ZOOM_200, scale=2)
        person.login(email)
        page = person.page
        for path in main_pages(page):
            if kind(path) in seen:
                continue
            seen.add(kind(path))
            response = page.goto(path)
            assert response.ok, f"{path}: HTTP {response.status}"
            _problems((person.check, lambda page=page: check_zoom(page)), problems)
            problems += tab_through(page, limit=TAB_SWEEP)
        person.close()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# --- deep walk --------------------------------------------------------------


def main_links(page):
    """The links in the content (the menu was walked at the first level)."""
    menu = set(
        page.evaluate(
            """() => [...document.querySelectorAll('nav a[href]')].map(a => {
                const u = new URL(a.href, document.baseURI);
                return u.pathname + u.search;
            })"""
        )
    )
    return [p for p in links(page) if p not in menu]


def start_a_case(person):
    """The demo has questions, no cases: the member starts one (by clicking),
    so that the case list links to a case and the case to its forms."""
    page = person.page
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name=menu_item("Inbox")
    ).click()
    page.get_by_role("link", name=re.compile("Gerrit Verhoeven")).first.click()
    page.get_by_role("button", name="Casus starten", exact=True).click()
    page.wait_for_url(re.compile(r"/casussen/\d+/$"))


def test_pages_two_levels_below_the_menu_are_accessible_and_reflow(portal):
    """Each kind of page once, over the three roles: axe and 320 px reflow."""
    problems = []
    seen = set()
    deep = []
    for email in DEEP_ROLES:
        person = portal(NARROW)
        person.login(email)
        page = person.page
        if email == KERNTEAM_MEMBER:
            start_a_case(person)
        level = main_pages(page)
        seen |= {kind(p) for p in level}
        visited = 0
        for depth in range(3):
            below = []
            for path in level:
                response = page.goto(path)
                assert response.ok, f"{path}: HTTP {response.status}"
                if depth:  # the first level is test_walk's
                    _problems((person.check, lambda page=page: check_reflow(page)), problems)
                    deep.append(kind(path))
                    visited += 1
                for link in main_links(page):
                    if kind(link) not in seen:
                        seen.add(kind(link))
                        below.append(link)
                if visited >= MAX_DEEP_PAGES:
                    break
            level = below
            if not level or visited >= MAX_DEEP_PAGES:
                break
        person.close()
    print("deep pages:", deep)
    assert len(deep) >= 5, deep
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
