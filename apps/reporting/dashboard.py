"""The dashboard of a municipality's year (policy advisors, the admin): the
main figures and charts of the monitoring report from January up to today,
from the same figures code (`figures.build_report_data`), aggregates only.

What the page shows is built once and kept in the cache per municipality,
year and small-count threshold for a day, or until the next report of the
municipality is ready (`forget`, called by the report build). With the cache
away (Redis down: apps/core/cache.py fails open) the page builds the figures
itself: slower, never wrong."""

import base64
import logging
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.reporting import tables
from apps.reporting.figures import build_report_data
from apps.reporting.periods import month_end, period_label
from apps.reporting.render import generated_label, section_context

logger = logging.getLogger("portal.reporting")

CACHE_SECONDS = 24 * 60 * 60
# The sections of the report the dashboard shows, in this order.
SECTIONS = [
    "questions_per_team_month",
    "channels",
    "lead_times",
    "deadlines",
    "decisions_per_provision",
    "running_provisions",
    "zrm_domains",
    "ladder",
]


def cache_key(municipality_id: int, year: int, threshold: int, language: str) -> str:
    return f"reporting:dashboard:{municipality_id}:{year}:{threshold}:{language}"


def forget(municipality_id: int, *, threshold: int, today: date | None = None) -> None:
    """A new report is ready: the dashboard is built afresh at its next visit
    (in every language of the portal)."""
    year = (today or timezone.localdate()).year
    cache.delete_many(
        [cache_key(municipality_id, year, threshold, code) for code, _name in settings.LANGUAGES]
    )


def year_period(today: date) -> tuple[date, date]:
    return date(today.year, 1, 1), month_end(today)


def dashboard(municipality, *, threshold: int, today: date | None = None) -> dict:
    """What the page shows: the period, when it was computed, key figures and
    a chart with its table per section."""
    today = today or timezone.localdate()
    # Labels in the language of the page (the person's choice): kept per language.
    key = cache_key(municipality.pk, today.year, threshold, translation.get_language())
    found = cache.get(key)
    if found is not None:
        return found
    start, end = year_period(today)
    data = build_report_data(municipality, start, end, threshold=threshold)
    tables.suppress(data)
    by_key = {section.key: (index, section) for index, section in enumerate(data.sections, start=1)}
    sections = [
        _as_image(section_context(by_key[k][1], by_key[k][0], threshold))
        for k in SECTIONS
        if k in by_key
    ]
    result = {
        "period": period_label(start, end),
        "generated": generated_label(data.generated_at),
        "threshold": threshold if threshold > 1 else 0,
        "key_figures": _key_figures(data, threshold),
        "sections": sections,
    }
    cache.set(key, result, CACHE_SECONDS)
    return result


def _as_image(section: dict) -> dict:
    """The chart as an image (a data: URL of the SVG), not inline: the pages'
    Content Security Policy allows no style attributes, which matplotlib's SVG
    is full of; an image document keeps its own styles. Its text is in the
    table beside it (the image's alt names the chart and says so)."""
    svg = section.pop("chart", None)
    section["chart_src"] = (
        "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode()).decode() if svg else ""
    )
    return section


def _total(data, key: str, column: int):
    section = next((s for s in data.sections if s.key == key), None)
    if section is None:
        return None
    total = next((row for row in section.rows if row.is_total), None)
    if total is None or column >= len(total.cells):
        return None
    return total.cells[column]


def _key_figures(data, threshold: int) -> list[dict]:
    """The year at a glance: (label, text) pairs, hidden as in the tables."""
    wanted = [
        (_("Nieuwe vragen"), "channels", 0),
        (_("Besluiten binnen de termijn"), "deadlines", 3),
        (_("Afgesloten zonder maatwerkvoorziening"), "ladder", 7),
    ]
    figures = []
    for label, key, column in wanted:
        cell = _total(data, key, column)
        if cell is not None:
            figures.append({"label": label, "text": tables.display(cell, threshold)})
    lead = next((s for s in data.sections if s.key == "lead_times"), None)
    if lead is not None:
        for row in lead.body_rows:
            figures.append(
                {
                    "label": _("Mediaan vraag → besluit: %(route)s") % {"route": row.label},
                    "text": tables.display(row.cells[1], threshold),
                }
            )
    return figures
