"""A letter as a PDF, rendered with WeasyPrint from the fixed layout
`templates/pdf/letter.html` (letterhead, address block, date, signature,
footer). The municipality's text goes in as data, escaped, never as template."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from apps.intake.services import intake_settings_for


def letter_context(letter, *, staff, report=None) -> dict:
    municipality = letter.municipality
    settings = intake_settings_for(municipality)
    return {
        "letter": letter,
        "municipality": municipality,
        "sender": settings.letter_sender or f"Gemeente {municipality.name}",
        "address_lines": [line for line in settings.postal_address.splitlines() if line.strip()],
        "phone": settings.phone,
        "resident": letter.resident,
        "staff": staff,
        "sent_on": timezone.localdate(letter.created_at),
        "paragraphs": [part.strip() for part in letter.body.split("\n\n") if part.strip()],
        # The report of the investigation: the ZRM scores and the plan (fixed layout).
        "report": report,
    }


def _no_fetch(url, *args, **kwargs):
    """Nothing in a letter may make WeasyPrint fetch a file or URL."""
    raise ValueError(f"letters load no external resources ({url[:40]})")


def render_letter(letter, *, staff, report=None) -> bytes:
    # Imported here: WeasyPrint is slow to import and only making a letter needs it.
    from weasyprint import HTML

    with translation.override("nl"):
        context = letter_context(letter, staff=staff, report=report)
        html = render_to_string("pdf/letter.html", context)
    return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()
