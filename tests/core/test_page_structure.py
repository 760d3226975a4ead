"""The structure a screen reader and a keyboard user rely on, on every page of
the portal (not only those the browser tests visit): a language, a title, one
main heading and no skipped heading levels, unique ids, a label for every form
control, and references (`for`, `aria-labelledby`, `aria-describedby`, `#…`
links) that lead somewhere. axe-core in `tests/browser/` checks more, on the
pages those tests visit; this walk is the net under the rest."""

from html.parser import HTMLParser

from django.utils import translation
from django_scopes import scope

from apps.teams.models import Membership, Team
from tests.factories import MembershipFactory
from tests.pages import every_url, is_html_page

# Form controls a person fills in or chooses (hidden inputs and buttons are named
# by their value or text).
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


class PageStructure(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.title = ""
        self._in_title = False
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self._open_labels = 0
        self.controls: list[tuple[str, dict]] = []  # (tag, attributes) needing a label
        self.references: list[tuple[str, str]] = []  # (attribute, id) that must exist

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        elif tag == "label":
            self._open_labels += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
                self.references.append(("for", attributes["for"]))
        elif tag in {"input", "select", "textarea"}:
            if attributes.get("type", "text") not in UNLABELLED_INPUT_TYPES:
                attributes["_in_label"] = self._open_labels > 0
                self.controls.append((tag, attributes))
        elif tag == "a" and (attributes.get("href") or "").startswith("#"):
            target = attributes["href"][1:]
            if target:
                self.references.append(("href", target))
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        for attribute in ("aria-labelledby", "aria-describedby", "aria-controls"):
            for target in (attributes.get(attribute) or "").split():
                self.references.append((attribute, target))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "label":
            self._open_labels -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def structure_problems(html: str) -> list[str]:
    """What is wrong with a page; of a fragment (an htmx answer, no <html>),
    only what can be judged without the page around it."""
    page = PageStructure()
    page.feed(html)
    problems = []
    document = "<html" in html[:500].lower()
    if document and not page.lang:
        problems.append("no lang on <html>")
    if document and not page.title.strip():
        problems.append("an empty <title>")
    if document and page.headings.count(1) != 1:
        problems.append(f"{page.headings.count(1)} <h1> elements instead of one")
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        if after > before + 1:
            problems.append(f"heading level skipped: h{before} followed by h{after}")
    seen = set()
    for element_id in page.ids:
        if element_id in seen:
            problems.append(f"id {element_id!r} used twice")
        seen.add(element_id)
    for attribute, target in page.references:
        if document and target not in seen:
            problems.append(f"{attribute} leads to {target!r}, which is not on the page")
    for tag, attributes in page.controls:
        named = (
            attributes.get("id") in page.label_for
            or attributes["_in_label"]
            or attributes.get("aria-label")
            or attributes.get("aria-labelledby")
        )
        if not named:
            problems.append(f"<{tag} name={attributes.get('name')!r}> has no label")
    return problems


def test_the_checks_find_what_they_look_for():
    broken = (
        "<html><head><title> </title></head><body><h1>A</h1><h3>B</h3><h1>C</h1>"
        '<input name="q"><span id="x"></span><span id="x"></span>'
        '<p aria-describedby="gone"></p><a href="#nowhere">skip</a></body></html>'
    )
    problems = structure_problems(broken)
    assert "no lang on <html>" in problems
    assert "an empty <title>" in problems
    assert "2 <h1> elements instead of one" in problems
    assert "heading level skipped: h1 followed by h3" in problems
    assert "id 'x' used twice" in problems
    assert "aria-describedby leads to 'gone', which is not on the page" in problems
    assert "href leads to 'nowhere', which is not on the page" in problems
    assert "<input name='q'> has no label" in problems
    fine = (
        '<html lang="nl"><head><title>T</title></head><body><h1>A</h1><h2>B</h2>'
        '<h3>C</h3><h2>D</h2><label for="q">Q</label><input id="q" name="q">'
        '<label>R <input name="r"></label><input type="hidden" name="h"></body></html>'
    )
    assert structure_problems(fine) == []


def test_every_page_has_a_structure_assistive_technology_can_use(client, everything, municipality):
    user, objects = everything
    # Also coordinator of the kernteams that hold the objects, so the pages of a
    # case, a plan and a proposal open too.
    with scope(municipality=municipality):
        staff = user.staff_memberships.get(municipality=municipality)
        for team in {getattr(o, "team", None) for o in objects.values()} - {None}:
            if team.kind == Team.Kind.KERNTEAM:
                MembershipFactory(
                    municipality=municipality,
                    staff_member=staff,
                    team=team,
                    function=Membership.Function.COORDINATOR,
                )
    client.force_login(user)
    problems, pages = {}, set()
    for language in ("nl", "en"):
        with translation.override(language):
            client.cookies["django_language"] = language
            for name, url in every_url(objects, municipality):
                response = client.get(url)
                if not is_html_page(response):
                    continue
                pages.add(name)
                found = structure_problems(response.content.decode())
                if found:
                    problems[f"{language} {name} {url}"] = found
    assert {"core:start", "intake:question_register", "cases:detail", "decisions:queue"} <= pages
    assert not problems, "\n".join(f"{page}: {found}" for page, found in problems.items())
