"""Dates, times and numbers in Dutch in Dutch and in English in English:
templates ask for a format by name (config/formats/), Python uses
formats.date_format, and no template or module hard-codes a date pattern."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django_scopes import scope

from apps.reporting.periods import period_label
from apps.teams.models import Membership, Team
from tests.conftest import make_person
from tests.factories import TeamFactory

BASE = Path(settings.BASE_DIR)
DAY = datetime.date(2026, 12, 3)
MOMENT = datetime.datetime(2026, 12, 3, 13, 5, 9, tzinfo=datetime.UTC)  # 14:05 in Amsterdam


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("name", "dutch", "english"),
    [
        ("DATE_FORMAT", "3 december 2026", "3 December 2026"),
        ("SHORT_DATE_FORMAT", "03-12-2026", "3 Dec 2026"),
        ("DATETIME_FORMAT", "3 december 2026 14:05", "3 December 2026 14:05"),
        ("SHORT_DATETIME_FORMAT", "03-12-2026 14:05", "3 Dec 2026 14:05"),
        ("YEAR_MONTH_FORMAT", "december 2026", "December 2026"),
    ],
)
def test_each_named_format_in_both_languages(name, dutch, english):
    source = "{{ d|date:name }}"
    assert render(source, "nl", d=MOMENT, name=name) == dutch
    assert render(source, "en", d=MOMENT, name=name) == english


def test_no_capitalised_dutch_month_abbreviation():
    """Django's `M` writes "Dec" also in Dutch; Dutch writes "dec." or the whole
    month. The portal's formats never use it for Dutch."""
    for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
        for month in range(1, 13):
            text = render(
                "{{ d|date:name }}", "nl", d=datetime.datetime(2026, month, 3, 9, 0), name=name
            )
            assert not re.search(r"[A-Z]", text), text


def test_numbers_have_a_decimal_comma_in_dutch_and_grouping_where_asked():
    source = (
        '{{ h|floatformat:"-1" }} | {{ v|floatformat:"-2" }} | {{ n|floatformat:"g" }} | {{ id }}'
    )
    context = {"h": Decimal("7.5"), "v": Decimal("3.00"), "n": 12345, "id": 12345}
    assert render(source, "nl", **context) == "7,5 | 3 | 12.345 | 12345"
    assert render(source, "en", **context) == "7.5 | 3 | 12,345 | 12345"


def test_a_report_period_in_the_language_of_the_page():
    dec, jan, mar = (
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )
    with translation.override("nl"):
        assert period_label(dec, datetime.date(2025, 12, 31)) == "december 2025"
        assert period_label(jan, mar) == "januari–maart 2026"
        assert period_label(dec, mar) == "december 2025 – maart 2026"
    with translation.override("en"):
        assert period_label(dec, datetime.date(2025, 12, 31)) == "December 2025"
        assert period_label(jan, mar) == "January–March 2026"


def test_no_hard_coded_date_pattern_in_templates_or_pages():
    """Patterns like "d-m-Y" or "%d-%m-%Y" render the same in every language;
    the PDF report (apps/reporting, always Dutch) and machine formats ('c',
    ISO in CSV) are the exceptions."""
    pattern = re.compile(r"\|date:\"(?![A-Z_]+\")|\|date:'(?!c'|[A-Z_]+')")
    found = [
        str(path.relative_to(BASE))
        for path in (BASE / "templates").rglob("*.html")
        if pattern.search(path.read_text())
    ]
    for path in (BASE / "apps").rglob("*.py"):
        if "reporting" in path.parts or "migrations" in path.parts:
            continue
        if re.search(r":%d-%m-%Y|strftime\(\"%d", path.read_text()):
            found.append(str(path.relative_to(BASE)))
    assert found == []


def test_a_team_page_shows_hours_and_dates_in_the_chosen_language(client, municipality):
    with scope(municipality=municipality):
        team = TeamFactory(municipality=municipality, kind=Team.Kind.KERNTEAM)
    person = make_person(municipality, memberships=[(team, Membership.Function.TEAM_MEMBER)])
    with scope(municipality=municipality):
        Membership.objects.filter(team=team).update(hours_per_week=Decimal("7.5"))
    client.force_login(person)
    html = client.get(f"/teams/{team.pk}/").content.decode()
    assert ">7,5<" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/teams/{team.pk}/").content.decode()
    assert ">7.5<" in html
