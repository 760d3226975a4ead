"""Every data table of the staff interface has a real accessible name.

A screen reader user who lists the tables or regions of a page hears their
names: "Tabel" eight times says nothing. So every <table> has a <caption> (or
is labelled by the heading above it), its scrolling container (a focusable
region) is named by that caption or heading, column headers say scope="col".

Two checks: a scan of the templates (fast, sees tables behind an {% if %} the
walk does not reach) and a walk over every page of the portal as a person with
every role, in a municipality with an object of every kind (the same walk as
tests/security), that checks the rendered HTML.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

from tests.security.walk import create_hostile_world, portal_urls

TEMPLATES = Path(settings.BASE_DIR) / "templates"
GENERIC_NAMES = {"tabel", "table", "tabel.", "table."}


class Tables(HTMLParser):
    """The tables of a page, their containers, and the text of every element
    with an id (what an aria-labelledby points to)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables = []  # dicts: attrs, caption text, col header scopes
        self.regions = []  # attrs of every .portal-table-wrap
        self.generic = []  # aria-labels that name nothing
        self.texts = {}  # id -> text
        self._open_ids = []  # (id, depth) being collected
        self._depth = 0
        self._in_caption = False
        self._in_thead = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        label = (attrs.get("aria-label") or "").strip().lower()
        if label in GENERIC_NAMES:
            self.generic.append((tag, attrs))
        if tag in ("br", "img", "input", "meta", "link", "hr", "col", "wbr", "source"):
            return
        self._depth += 1
        if attrs.get("id"):
            self.texts.setdefault(attrs["id"], "")
            self._open_ids.append((attrs["id"], self._depth))
        if "portal-table-wrap" in (attrs.get("class") or "").split():
            self.regions.append(attrs)
        if tag == "table":
            self.tables.append({"attrs": attrs, "caption": "", "col_scopes": []})
        elif tag == "caption" and self.tables:
            self._in_caption = True
        elif tag == "thead":
            self._in_thead = True
        elif tag == "th" and self._in_thead and self.tables:
            self.tables[-1]["col_scopes"].append(attrs.get("scope"))

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag == "thead":
            self._in_thead = False
        while self._open_ids and self._open_ids[-1][1] >= self._depth:
            self._open_ids.pop()
        self._depth -= 1

    def handle_data(self, data):
        for id_, _depth in self._open_ids:
            self.texts[id_] += data
        if self._in_caption:
            self.tables[-1]["caption"] += data

    def name_of(self, attrs) -> str:
        ids = (attrs.get("aria-labelledby") or "").split()
        return " ".join(self.texts.get(i, "") for i in ids).strip()


def table_problems(html: str) -> tuple[list[str], int]:
    page = Tables()
    page.feed(html)
    problems = [f"generic aria-label on <{tag}>: {attrs}" for tag, attrs in page.generic]
    for table in page.tables:
        name = table["caption"].strip() or page.name_of(table["attrs"])
        if not name:
            problems.append(f"<table> without caption or aria-labelledby: {table['attrs']}")
        if any(scope != "col" for scope in table["col_scopes"]):
            problems.append(f"column header without scope=col in table {name!r}")
    for region in page.regions:
        if region.get("role") != "region" or not page.name_of(region):
            problems.append(f"table container not a region named by its caption/heading: {region}")
    return problems, len(page.tables)


def test_no_template_names_a_table_generically():
    problems = []
    for path in TEMPLATES.rglob("*.html"):
        if "pdf" in path.parts:
            continue
        text = path.read_text()
        where = path.relative_to(TEMPLATES)
        if re.search(r"aria-label=\"\{% translate '(Tabel|Table)' %\}\"", text):
            problems.append(f"{where}: aria-label 'Tabel'")
        for match in re.finditer(r"<table\b[^>]*>", text):
            labelled = "aria-labelledby" in match.group(0)
            captioned = re.match(r"\s*<caption\b", text[match.end() :])
            if not (labelled or captioned):
                problems.append(f"{where}: a <table> without <caption> or aria-labelledby")
        for match in re.finditer(r"<div class=\"portal-table-wrap\"[^>]*>", text):
            if "aria-labelledby=" not in match.group(0):
                problems.append(f"{where}: a table container not named by aria-labelledby")
    assert not problems, "\n".join(problems)


def test_every_table_on_every_page_has_a_real_name(db):
    world = create_hostile_world()
    browser = world.sign_in()
    problems, with_tables = [], set()
    for name, url, _callback in portal_urls(world, skip_namespaces=("admin", "api")):
        response = browser.get(url, follow=True)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        found, count = table_problems(response.content.decode())
        problems += [f"{name} ({url}): {p}" for p in found]
        if count:
            with_tables.add(name)
    assert not problems, "\n".join(problems)
    # The walk reached the pages whose tables had no name before.
    assert {
        "teams:membership_list",
        "teams:organisation_list",
        "teams:area_list",
        "teams:team_detail",
        "teams:team_overview",
        "audit:log",
        "tenants:staff_list",
        "intake_config:life_domain_list",
        "intake:inbox",
        "core:start",
    } <= with_tables


def test_the_checks_see_a_generic_or_missing_name():
    bad = (
        '<div class="portal-table-wrap" role="region" tabindex="0" aria-label="Tabel">'
        "<table><thead><tr><th>Naam</th></tr></thead></table></div>"
    )
    problems, count = table_problems(bad)
    assert count == 1
    assert len(problems) == 4  # generic label, no name, no scope, unnamed region
    good = (
        '<h2 id="h">Leden</h2><div class="portal-table-wrap" role="region" tabindex="0" '
        'aria-labelledby="c"><table><caption id="c">Leden van Elst</caption>'
        '<thead><tr><th scope="col">Naam</th></tr></thead></table></div>'
    )
    assert table_problems(good) == ([], 1)


def test_the_portal_script_is_loaded_deferred_from_the_layout():
    base = (TEMPLATES / "base.html").read_text()
    assert re.search(r"<script src=\"\{% static 'js/portal.js' %\}\" defer></script>", base)
    script = (Path(settings.BASE_DIR) / "static" / "js" / "portal.js").read_text()
    assert "eval(" not in script and "innerHTML" not in script
