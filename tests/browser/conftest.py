"""Browser tests: Debian's Chromium, driven by Playwright, against a live server
with the demo world of `seed_demo`; axe-core checks every page they visit.

The tests click and type as the people in the demo would. They are marked
`browser` and run in the default `make test`, which installs Chromium with apt
when it is missing (`scripts/test-services.sh browser`). Without a Chromium,
Playwright or axe-core (not root, no apt) they are skipped, with the reason —
unless PORTAL_BROWSER_TESTS=required (as `make test` sets it when it runs as
root and could install Chromium): then a missing piece fails the run.

The demo world is seeded once per test module (committed, outside the tests'
transactions, because the server thread has its own database connection) and
flushed afterwards, as a transactional test would; tests of one module share
it and must not depend on each other's changes.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from apps.accounts.models import User
from tests.conftest import totp_code

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "screenshots"
DEMO_PASSWORD = "Toegang-demo-2026"  # the published password of the demo accounts
# The WCAG 2.1 A and AA rules of axe-core.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 360, "height": 740}
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def menu_item(name):
    """A menu item's accessible name: its label, and its count when it has one
    ("Inbox (3 nieuw)")."""
    return re.compile(rf"^{re.escape(name)}( \(.*\))?$")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.browser)
            # One Chromium at a time: under pytest-xdist one worker runs them all.
            item.add_marker(pytest.mark.xdist_group("browser"))
            # Database access for the test body, in a transaction that is rolled
            # back: it only reads (what the server thread committed, too).
            item.add_marker(pytest.mark.django_db)


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists() and not shutil.which(str(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (scripts/test-services.sh browser installs it as root)"
    if not AXE.exists():
        return f"axe-core is missing at {AXE} (run npm install)"
    return None


@pytest.fixture(scope="module")
def browser():
    """Chromium, for one test module. Playwright's sync API runs an event loop
    in this thread for as long as it is open, and Django's ORM calls in the
    tests (creating a TOTP device, reading back an id) are plain synchronous
    code: they are allowed while the browser is open, and only then, so the
    rest of the suite keeps Django's guard."""
    reason = _missing()
    if reason and os.environ.get("PORTAL_BROWSER_TESTS") == "required":
        pytest.fail(f"browser tests are required here, but {reason}")
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
            yield browser
            browser.close()
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="session")
def portal_server(django_db_setup):
    """A live server of its own (pytest-django's `live_server` would make every
    test transactional, flushing the seeded world after each one)."""
    from pytest_django.live_server_helper import LiveServer

    with override_settings(SECURE_SSL_REDIRECT=False):
        server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        # The demo's structure and hand-written residents, without the generated
        # working day (apps/demo/work.py, tested in tests/demo): the walks here
        # count on the inboxes as the hand-written demo fills them.
        call_command("seed_demo", allow_without_debug=True, without_work=True, verbosity=0)
        # Everyone has an authenticator app: the login types its code.
        with scopes_disabled():
            for user in User.objects.filter(email__endswith="demo.test"):
                TOTPDevice.objects.create(user=user, name="browsertest", confirmed=True)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def world(demo_world, db):
    """The seeded demo world (the test body may read it)."""


class Portal:
    """A person at a browser: opens pages, and on every page visited runs axe."""

    def __init__(self, browser, base_url, viewport=DESKTOP, scale=1):
        self.context = browser.new_context(
            base_url=base_url,
            viewport=viewport,
            device_scale_factor=scale,
            locale="nl-NL",
            accept_downloads=True,
        )
        self.page = self.context.new_page()
        # Generous: two test workers share the machine's cores (pytest-xdist).
        self.page.set_default_timeout(30_000)
        self.checked = []

    def goto(self, path):
        response = self.page.goto(path)
        self.check()
        return response

    def check(self):
        """Wait for the page and run axe on it (WCAG 2.1 A and AA)."""
        self.page.wait_for_load_state("load")
        check_accessibility(self.page)
        self.checked.append(self.page.url)

    def login(self, email):
        device = TOTPDevice.objects.get(user__email=email, name="browsertest")
        page = self.page
        self.goto("/inloggen/")
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        self.check()
        page.get_by_label("Code uit de app").fill(totp_code(device))
        page.get_by_role("button", name="Bevestigen").click()
        self.check()
        assert "/inloggen/" not in page.url, page.url

    def screenshot(self, name):
        """The page now, at desktop and at mobile width."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        size = self.page.viewport_size
        for label, viewport in (("desktop", DESKTOP), ("mobile", MOBILE)):
            self.page.set_viewport_size(viewport)
            self.page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        self.page.set_viewport_size(size)

    def close(self):
        self.context.close()


def check_accessibility(page):
    """Run axe-core's WCAG 2.1 A/AA rules on `page`; fail with a readable list.

    axe is evaluated through the DevTools protocol, which the portal's strict
    Content Security Policy (no inline scripts) does not apply to."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => [n.target.join(' '), n.failureSummary || '']),
            }));
        }""",
        AXE_TAGS,
    )
    if violations:
        lines = [f"axe: {len(violations)} WCAG 2.1 A/AA violation(s) on {page.url}:"]
        for v in violations:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
            for target, summary in v["nodes"][:10]:
                lines.append(f"    {target}: {' '.join(summary.split())}")
        pytest.fail("\n".join(lines), pytrace=False)


_AXE_SOURCE = None


def _axe_source():
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        _AXE_SOURCE = AXE.read_text(encoding="utf-8")
    return _AXE_SOURCE


@pytest.fixture
def portal(browser, portal_server, world):
    """Opens browsers for people: `portal()` gives a new one (own cookies)."""
    opened = []

    def open_portal(viewport=DESKTOP, scale=1):
        # scale: device pixels per CSS pixel (2 with a viewport of half the
        # screen: the screen at 200% zoom).
        p = Portal(browser, portal_server.url, viewport, scale)
        opened.append(p)
        return p

    yield open_portal
    for p in opened:
        p.close()


def pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
