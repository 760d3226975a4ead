"""Dutch by default, English on request (the switcher in the header), the
English catalogue complete and compiled, and Dutch formats in Dutch."""

import datetime
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.cases import services as cases
from apps.teams.models import Membership, Team
from tests.conftest import make_person
from tests.factories import QuestionFactory, TeamFactory
from tests.pages import every_url, is_html_page

BASE = Path(settings.BASE_DIR)
PO = BASE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
MARKUP = re.compile(r"</?\w+>|&lt;|&gt;|&amp;")


def _lang(response) -> str:
    return re.search(r'<html lang="(\w+)"', response.content.decode()).group(1)


def test_the_switcher_is_a_plain_form_in_the_header_of_the_login_page(client, db):
    html = client.get("/inloggen/").content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert 'action="/i18n/setlang/"' in header and 'method="post"' in header
    assert 'name="csrfmiddlewaretoken"' in header
    assert '<input name="next" type="hidden" value="/inloggen/">' in header
    assert '<label class="utrecht-form-label" for="language">Taal</label>' in header
    assert '<option value="en" lang="en">English</option>' in header
    assert '<option value="nl" lang="nl" selected>Nederlands</option>' in header


def test_switching_to_english_and_back(client, db):
    response = client.get("/inloggen/")
    assert "Wachtwoord vergeten?" in response.content.decode()
    assert _lang(response) == "nl"

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/inloggen/"})
    assert response.status_code == 302 and response["Location"] == "/inloggen/"
    response = client.get("/inloggen/")
    html = response.content.decode()
    assert "Forgotten your password?" in html and "Wachtwoord vergeten?" not in html
    assert _lang(response) == "en" and response["Content-Language"] == "en"
    assert '<option value="en" lang="en" selected>English</option>' in html

    client.post("/i18n/setlang/", {"language": "nl", "next": "/inloggen/"})
    response = client.get("/inloggen/")
    assert "Wachtwoord vergeten?" in response.content.decode()
    assert _lang(response) == "nl"


def test_an_english_page_leaves_english_active_in_the_thread(client, db):
    """How LanguageMiddleware works (per request, in the thread); the next test
    checks that tests/conftest.py starts every test in Dutch again."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get("/inloggen/")
    assert translation.get_language() == "en"


def test_a_test_after_an_english_page_starts_in_dutch():
    assert translation.get_language() == "nl"


def test_the_choice_persists_for_a_logged_in_person(client, team_member):
    client.force_login(team_member)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/", follow=True).content.decode()
    assert "Log out" in html and "Main menu" in html


def test_a_language_that_is_not_offered_falls_back_to_dutch(client, db):
    client.post("/i18n/setlang/", {"language": "de", "next": "/inloggen/"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert client.get("/inloggen/")["Content-Language"] == "nl"


def test_the_browser_language_does_not_choose(client, db):
    """Deliberately not Django's LocaleMiddleware: a Dutch desk with an English
    browser keeps working in Dutch (docs/architecture.md, "Language")."""
    response = client.get("/inloggen/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "nl"
    assert "Wachtwoord vergeten?" in response.content.decode()


def test_dutch_formats_in_dutch_and_english_ones_in_english():
    template = Template('{{ d|date:"j F Y" }} | {{ d|date:"d-m-Y" }} | {{ n|floatformat:"-2" }}')
    context = Context({"d": datetime.date(2026, 12, 3), "n": Decimal("2.50")})
    with translation.override("nl"):
        assert template.render(context) == "3 december 2026 | 03-12-2026 | 2,50"
    with translation.override("en"):
        assert template.render(context) == "3 December 2026 | 03-12-2026 | 2.50"


def test_a_page_shows_dates_in_dutch(client, municipality):
    with scope(municipality=municipality):
        team = TeamFactory(municipality=municipality, kind=Team.Kind.KERNTEAM)
    person = make_person(municipality, memberships=[(team, Membership.Function.TEAM_MEMBER)])
    with scope(municipality=municipality):
        question = QuestionFactory(
            municipality=municipality,
            team=team,
            received_at=datetime.datetime(2026, 3, 5, 9, 30, tzinfo=datetime.UTC),
        )
    client.force_login(person)
    html = client.get(f"/intake/vragen/{question.pk}/").content.decode()
    assert "5 maart 2026 10:30" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/intake/vragen/{question.pk}/").content.decode()
    assert "5 March 2026 10:30" in html


# The catalogue ----------------------------------------------------------------


def _pairs(entry):
    if entry.msgid_plural:
        return [(entry.msgid, entry.msgstr_plural[0]), (entry.msgid_plural, entry.msgstr_plural[1])]
    return [(entry.msgid, entry.msgstr)]


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert [e.msgid for e in catalogue.obsolete_entries()] == []
    for entry in catalogue:
        for _msgid, msgstr in _pairs(entry):
            assert msgstr.strip(), entry.msgid


def test_placeholders_and_markup_survive_translation():
    wrong = []
    for entry in polib.pofile(str(PO)):
        for msgid, msgstr in _pairs(entry):
            if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
                wrong.append((msgid, msgstr))
            if sorted(MARKUP.findall(msgid)) != sorted(MARKUP.findall(msgstr)):
                wrong.append((msgid, msgstr))
    assert wrong == []


def test_the_committed_mo_matches_the_po():
    """The compiled catalogue is committed (running the portal needs no gettext);
    after editing the .po run `manage.py compilemessages`."""

    def table(catalogue):
        rows = {}
        for e in catalogue:
            if e.obsolete or "fuzzy" in e.flags:
                continue
            key = (e.msgctxt, e.msgid, e.msgid_plural)
            rows[key] = tuple(sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr
        return rows

    assert table(polib.mofile(str(MO))) == table(polib.pofile(str(PO)))


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_the_catalogue_has_every_source_string(tmp_path):
    """makemessages on a copy of the source finds no msgid the catalogue lacks
    (and none it no longer needs): a new string needs its English too."""
    for name in ("apps", "config", "templates"):
        shutil.copytree(BASE / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(BASE / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(PO, tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "insecure-test-only-key",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    committed = polib.pofile(str(PO))
    ids = lambda catalogue: {(e.msgctxt, e.msgid, e.msgid_plural) for e in catalogue}  # noqa: E731
    assert ids(fresh) - ids(committed) == set(), "new source strings: run makemessages -l en"
    assert ids(committed) - ids(fresh) == set(), "strings no longer used: run makemessages"
    assert [e.msgid for e in fresh.untranslated_entries() + fresh.fuzzy_entries()] == []


# Common Dutch words of the interface's own texts ("de", "van", "geen", …): in an
# English page they mean a text that was not translated (or not marked).
DUTCH_WORDS = re.compile(
    r"\b(de|het|een|van|niet|voor|naar|geen|wordt|zijn|deze|bij|uw|nog|ook|alle|nieuwe"
    r"|opslaan|terug|zoeken|inwoner|vraag|casus|besluit|termijn)\b",
    re.I,
)


class _VisibleText(HTMLParser):
    """The texts a person sees or hears: element text and the attributes a
    screen reader reads; not the choices of a <select> (data), scripts or
    what a field holds."""

    HIDDEN = {"script", "style", "option", "textarea"}
    SPOKEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in self.HIDDEN
        self.texts += [value for name, value in attrs if name in self.SPOKEN and value]

    def handle_endtag(self, tag):
        self._hidden -= tag in self.HIDDEN

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def test_an_english_page_has_no_dutch_interface_text(client, everything, municipality):
    """Every page of the portal in English: no Dutch left, apart from what
    people typed (the objects' own texts, which stay as they were written)."""
    user, objects = everything
    with scopes_disabled():
        data = {
            value
            for model in objects
            for obj in model.objects.all()
            for field in model._meta.concrete_fields
            if isinstance(value := getattr(obj, field.attname), str) and value
        }
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    dutch, pages = {}, 0
    for name, url in every_url(objects, municipality):
        response = client.get(url)
        if not is_html_page(response):
            continue
        pages += 1
        # The access log shows the labels it stored, in Dutch (the record's
        # language), of what was read on the pages before this one.
        with scopes_disabled():
            data |= set(AccessLogEntry.objects.values_list("object_label", flat=True))
        data.discard("")
        parser = _VisibleText()
        parser.feed(response.content.decode())
        for text in parser.texts:
            for value in sorted(data, key=len, reverse=True):
                text = text.replace(value, "")
            if DUTCH_WORDS.search(text):
                dutch.setdefault(name, []).append(text)
    assert pages > 50
    assert not dutch, "\n".join(f"{name}: {texts[:5]}" for name, texts in dutch.items())


def test_titles_and_messages_set_on_a_page_class_follow_the_readers_language(client, municipality):
    # A page class's title or success message was translated once, when the
    # module was imported (in Dutch): an English reader got Dutch headings and
    # messages. They are lazy now, translated for each request.
    member = make_person(
        municipality, memberships=[(Team.Kind.KERNTEAM, Membership.Function.TEAM_MEMBER)]
    )
    with scope(municipality=municipality):
        team = Team.objects.get()
        question = QuestionFactory(municipality=municipality, team=team)
        case = cases.case_open(actor=member, question=question)
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("cases:title", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Change the description of" in page
    assert "Omschrijving van" not in page
    done = client.post(url, {"title": "Hulp thuis", "version": case.version}, follow=True)
    assert "The description has been saved." in done.content.decode()
