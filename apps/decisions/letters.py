"""The decision letter (beschikking) as a PDF, rendered with WeasyPrint from
`templates/pdf/decision_letter.html`."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from apps.intake.services import intake_settings_for


def letter_context(decision) -> dict:
    settings = intake_settings_for(decision.municipality)
    resident = decision.resident
    return {
        "decision": decision,
        "municipality": decision.municipality,
        "sender": settings.letter_sender or f"Gemeente {decision.municipality.name}",
        "address_lines": [line for line in settings.postal_address.splitlines() if line.strip()],
        "phone": settings.phone,
        "resident": resident,
        "consultant": decision.consultant,
        "decided_on": timezone.localdate(decision.decided_at),
        "objection_deadline": decision.objection_deadline,
    }


def _no_fetch(url, *args, **kwargs):
    """The letter has everything inline; nothing in it may make WeasyPrint fetch
    a file or URL (text typed by users is escaped, this is the second line)."""
    raise ValueError(f"decision letters load no external resources ({url[:40]})")


def render_decision_letter(decision) -> bytes:
    # Imported here: WeasyPrint is slow to import and only the letter task needs it.
    from weasyprint import HTML

    with translation.override("nl"):
        html = render_to_string("pdf/decision_letter.html", letter_context(decision))
    return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()


# --- objections (bezwaar, #21 part 3) ---------------------------------------------------


def objection_letter_context(result) -> dict:
    objection = result.objection
    decision = objection.decision
    settings = intake_settings_for(result.municipality)
    return {
        "result": result,
        "objection": objection,
        "decision": decision,
        "municipality": result.municipality,
        "sender": settings.letter_sender or f"Gemeente {result.municipality.name}",
        "address_lines": [line for line in settings.postal_address.splitlines() if line.strip()],
        "phone": settings.phone,
        "resident": decision.resident,
        "decided_on": timezone.localdate(result.decided_at),
        "decision_on": timezone.localdate(decision.decided_at),
    }


def render_objection_letter_html(result) -> str:
    with translation.override("nl"):
        return render_to_string("pdf/objection_letter.html", objection_letter_context(result))


def render_objection_letter(result) -> bytes:
    from weasyprint import HTML

    html = render_objection_letter_html(result)
    return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()
