"""The decision letter: a real PDF with the resident and the provision, built
once per decision by a task that runs after the commit of a grant or refusal."""

from io import BytesIO

from django.urls import reverse
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from apps.audit.models import AccessLogEntry
from apps.decisions import services as decisions
from apps.decisions.models import DecisionLetter
from apps.decisions.tasks import build_decision_letter
from apps.intake.models import IntakeSettings
from tests.decisions.conftest import submitted_proposal


def pdf_text(data: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    # pypdf may split a word where the font kerns it: compare without whitespace.
    return "".join(text.split())


def decide(town, proposal, outcome="granted", reasons="", capture=None):
    with scope(municipality=town["m"]):
        if capture is None:
            return decisions.proposal_decide(
                actor=town["consultant"], proposal=proposal, outcome=outcome, reasons=reasons
            )
        with capture(execute=True) as callbacks:
            decision = decisions.proposal_decide(
                actor=town["consultant"], proposal=proposal, outcome=outcome, reasons=reasons
            )
        return decision, callbacks


def test_the_downloaded_letter_is_a_pdf_with_the_resident_and_the_provision(
    town, client, django_capture_on_commit_callbacks
):
    with scope(municipality=town["m"]):
        IntakeSettings.objects.update_or_create(
            municipality=town["m"],
            defaults={
                "letter_sender": "Gemeente Testdorp, Loket Samenleven",
                "postal_address": "Postbus 11\n6660 AA Elst",
                "phone": "0481 362 300",
            },
        )
    proposal = submitted_proposal(town, surname="Brief-Ontvanger")
    decision, _ = decide(town, proposal, capture=django_capture_on_commit_callbacks)
    client.force_login(town["member"])
    response = client.get(reverse("decisions:letter", args=[decision.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF-")
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) == 1  # one clear A4 letter
    text = pdf_text(data)
    for expected in (
        "AnnaBrief-Ontvanger",
        "Hulpbijhethuishouden",
        "artikel2.3.5Wmo2015",
        "GemeenteTestdorp,LoketSamenleven",
        "Postbus11",
        "bezwaar",
        "zesweken",
        town["consultant"].full_name.replace(" ", ""),
    ):
        assert expected in text, expected
    with scopes_disabled():
        assert AccessLogEntry.objects.filter(
            action="download", object_type="decisions.decision", user=town["member"]
        ).exists()


def test_a_refusal_letter_gives_the_reasons(town, django_capture_on_commit_callbacks):
    proposal = submitted_proposal(town)
    decision, _ = decide(
        town,
        proposal,
        outcome="refused",
        reasons="Uw dochter kan het huishouden overnemen.",
        capture=django_capture_on_commit_callbacks,
    )
    with scope(municipality=town["m"]):
        letter = DecisionLetter.objects.get(decision=decision)
        text = pdf_text(letter.file.read())
    assert "Wijwijzenuwaanvraagaf" in text
    assert "Uwdochterkanhethuishoudenovernemen." in text


def test_the_letter_is_built_once_per_decision(town, django_capture_on_commit_callbacks):
    first, callbacks = decide(
        town, submitted_proposal(town), capture=django_capture_on_commit_callbacks
    )
    assert len(callbacks) == 1  # the task, enqueued after the commit
    second, _ = decide(town, submitted_proposal(town), capture=django_capture_on_commit_callbacks)
    with scope(municipality=town["m"]):
        letter = DecisionLetter.objects.get(decision=first)
    # A retried task finds the letter built and builds no other.
    assert (
        build_decision_letter.delay(decision_id=first.pk, municipality_id=town["m"].pk).get()
        == letter.pk
    )
    with scope(municipality=town["m"]):
        assert DecisionLetter.objects.filter(decision=first).count() == 1
        assert DecisionLetter.objects.count() == 2
        letter.refresh_from_db()
        assert letter.file.name  # still the first file
    assert second.pk != first.pk


def test_a_return_for_information_gets_no_letter_and_no_task(
    town, django_capture_on_commit_callbacks
):
    proposal = submitted_proposal(town)
    _, callbacks = decide(
        town,
        proposal,
        outcome="returned",
        reasons="Is er een mantelzorger?",
        capture=django_capture_on_commit_callbacks,
    )
    assert callbacks == []
    with scope(municipality=town["m"]):
        assert not DecisionLetter.objects.exists()


def test_the_letter_is_for_those_who_see_the_case(town, client, django_capture_on_commit_callbacks):
    decision, _ = decide(town, submitted_proposal(town), capture=django_capture_on_commit_callbacks)
    client.force_login(town["driel_member"])
    assert client.get(reverse("decisions:letter", args=[decision.pk])).status_code == 404
    client.force_login(town["consultant"])
    assert client.get(reverse("decisions:letter", args=[decision.pk])).status_code == 200


def test_the_letter_shows_hostile_text_as_text_and_loads_nothing(
    town, django_capture_on_commit_callbacks
):
    """What WeasyPrint renders: typed text is escaped, so no tag in it can make
    WeasyPrint fetch a file or URL."""
    from django.template.loader import render_to_string

    from apps.decisions.letters import letter_context
    from tests.security.walk import NEEDLES, PAYLOAD

    hostile = f'{PAYLOAD}<img src="file:///etc/passwd"><link rel=stylesheet href="http://x">'
    proposal = submitted_proposal(town, surname=hostile[:150])
    with scope(municipality=town["m"]):
        IntakeSettings.objects.update_or_create(
            municipality=town["m"],
            defaults={"letter_sender": hostile[:200], "postal_address": hostile, "phone": "<zq>"},
        )
    decision, _ = decide(
        town,
        proposal,
        outcome="refused",
        reasons=hostile,
        capture=django_capture_on_commit_callbacks,
    )
    with scope(municipality=town["m"]):
        html = render_to_string("pdf/decision_letter.html", letter_context(decision)).lower()
        letter = DecisionLetter.objects.get(decision=decision)
        assert letter.file.read().startswith(b"%PDF")
    for needle in (*NEEDLES, "<img src=", "<link rel=stylesheet", "file:///etc"):
        if needle == "file:///etc":
            assert 'src="file:///etc' not in html
        else:
            assert needle not in html, needle
