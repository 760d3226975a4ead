"""Letters about a question: the acknowledgement of a Wmo melding and the
invitation to a kitchen-table talk, made on the page and through the API, read
back as PDF, refused where the rule says so (and then nothing is saved)."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader
from rest_framework.test import APIClient

from apps.audit.models import AccessLogEntry
from apps.decisions import services as decisions
from apps.letters import services
from apps.letters.models import Letter
from apps.letters.placeholders import LetterKind
from apps.teams.models import Membership, Team
from tests.conftest import api_key_for, make_person
from tests.factories import LetterTemplateFactory, QuestionFactory


def pdf_text(data: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    # pypdf may split a word where the font kerns it: compare without whitespace.
    return "".join(text.split())


def squash(text: str) -> str:
    return "".join(text.split())


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def letters(town):
    with scope(municipality=town["m"]):
        return list(Letter.objects.order_by("pk"))


def api_for(user, municipality):
    _, key = api_key_for(user, municipality, actor=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_kernteam_member_sends_the_acknowledgement_and_downloads_it(town, client):
    question = town["question"]
    client.force_login(town["team_member"])
    page = client.get(reverse("intake:question_detail", args=[question.pk])).content.decode()
    url = reverse("letters:acknowledgement_create", args=[question.pk])
    assert url in page and "Nog geen brieven verstuurd." in page
    form = client.get(url).content.decode()
    deadline = question.investigation_deadline
    plan_due = timezone.localdate(question.received_at) + timedelta(days=7)
    # The preview shows the text filled in, before anything is made.
    assert "Anna Brief-Ontvanger" in form and "Voorbeeld van de tekst" in form
    assert letters(town) == []

    response = client.post(url, {})
    assert response.status_code == 302
    [letter] = letters(town)
    assert letter.kind == LetterKind.ACKNOWLEDGEMENT and letter.question_id == question.pk
    assert letter.created_by.user == town["team_member"]
    page = client.get(reverse("intake:question_detail", args=[question.pk])).content.decode()
    pdf_url = reverse("letters:letter_pdf", args=[letter.pk])
    assert pdf_url in page and "Bevestiging van uw melding" in page

    download = client.get(pdf_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    text = pdf_text(body(download))
    for expected in (
        "Anna Brief-Ontvanger",
        "Dorpsstraat 1",
        "Gemeente Testdorp, Loket Samenleven",
        f"{deadline.day}",
        "zeven dagen",
        "zes weken",
        "artikel 2.3.2",
    ):
        assert squash(expected) in text, expected
    assert squash(f"uiterlijk op {deadline:%-d}") in text
    assert squash(f"uiterlijk op {plan_due:%-d}") in text
    with scopes_disabled():
        entry = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.DOWNLOAD).get()
    assert entry.resident_id == question.resident_id and entry.object_id == str(letter.pk)


def test_the_acknowledgement_through_the_api_is_listed_and_read_back(town):
    question = town["question"]
    api = api_for(town["team_member"], town["m"])
    url = reverse("api:question-letter-list", args=[question.pk])
    response = api.post(url, {"kind": "acknowledgement"}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "acknowledgement" and data["resident"] == question.resident_id
    assert "Anna Brief-Ontvanger" in data["body"]
    listed = api.get(reverse("api:letter-list"), {"question": question.pk}).json()
    assert [row["id"] for row in listed["results"]] == [data["id"]]
    assert (
        api.get(reverse("api:letter-list"), {"question": town["plain"].pk}).json()["results"] == []
    )
    detail = api.get(reverse("api:letter-detail", args=[data["id"]]))
    assert detail.status_code == 200
    pdf = api.get(data["pdf"])
    assert pdf.status_code == 200
    assert squash("Anna Brief-Ontvanger") in pdf_text(body(pdf))
    with scopes_disabled():
        assert AccessLogEntry.objects.filter(
            action=AccessLogEntry.Action.DOWNLOAD, object_id=str(data["id"])
        ).exists()


def test_acknowledgement_is_refused_for_a_question_that_is_no_wmo_melding(town, client):
    client.force_login(town["team_member"])
    url = reverse("letters:acknowledgement_create", args=[town["plain"].pk])
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Wmo-melding" in str(response.context["form"].non_field_errors())
    api = api_for(town["team_member"], town["m"])
    response = api.post(
        reverse("api:question-letter-list", args=[town["plain"].pk]),
        {"kind": "acknowledgement"},
        format="json",
    )
    assert response.status_code == 400 and "Wmo-melding" in response.content.decode()
    # The page offers no acknowledgement there either.
    page = client.get(reverse("intake:question_detail", args=[town["plain"].pk])).content.decode()
    assert url not in page
    assert letters(town) == []


def test_invitation_in_the_future_names_date_time_and_place(town, client):
    client.force_login(town["team_member"])
    question = town["question"]
    url = reverse("letters:invitation_create", args=[question.pk])
    when = (timezone.localtime() + timedelta(days=5)).replace(
        hour=10, minute=30, second=0, microsecond=0
    )
    values = {"meeting_at": when.strftime("%Y-%m-%dT%H:%M"), "place": "Wijkcentrum De Hoek"}
    preview = client.post(url, {**values, "preview": "1"})
    assert preview.status_code == 200 and "Wijkcentrum De Hoek" in preview.content.decode()
    assert letters(town) == []
    response = client.post(url, values)
    assert response.status_code == 302
    [letter] = letters(town)
    assert letter.kind == LetterKind.INVITATION and letter.place == "Wijkcentrum De Hoek"
    text = pdf_text(body(client.get(reverse("letters:letter_pdf", args=[letter.pk]))))
    assert squash("Wijkcentrum De Hoek") in text and "10:30" in text
    assert squash(f"{when:%-d}") in text and squash("Anna Brief-Ontvanger") in text


def test_invitation_in_the_past_is_refused_naming_the_field(town, client):
    client.force_login(town["team_member"])
    url = reverse("letters:invitation_create", args=[town["question"].pk])
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"meeting_at": past, "place": "Thuis"})
    assert response.status_code == 200
    assert "toekomst" in str(response.context["form"].errors["meeting_at"])
    api = api_for(town["team_member"], town["m"])
    response = api.post(
        reverse("api:question-letter-list", args=[town["question"].pk]),
        {"kind": "invitation", "meeting_at": timezone.now() - timedelta(hours=1), "place": ""},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert "meeting_at" in str(errors) and "place" in str(errors)
    assert letters(town) == []


def test_the_municipality_text_is_used_and_never_evaluated(town, client):
    with scope(municipality=town["m"]):
        LetterTemplateFactory(
            municipality=town["m"],
            kind=LetterKind.ACKNOWLEDGEMENT,
            subject="Uw melding {vraagnummer}",
            body="Beste {naam},\n\n<b>vet</b> en {{ het blijft tekst }} niet.",
        )
    with scope(municipality=town["m"]):
        letter = services.letter_create(
            actor=town["team_member"], kind=LetterKind.ACKNOWLEDGEMENT, question=town["question"]
        )
    assert letter.subject == f"Uw melding {town['question'].pk}"
    # Braces a save would refuse stay as typed (a template from before the check).
    assert "<b>vet</b> en {{ het blijft tekst }} niet." in letter.body
    client.force_login(town["team_member"])
    text = pdf_text(body(client.get(reverse("letters:letter_pdf", args=[letter.pk]))))
    assert squash("<b>vet</b>") in text


def test_another_municipality_does_not_exist(town, client, other_municipality):
    with scope(municipality=town["m"]):
        letter = services.letter_create(
            actor=town["team_member"], kind=LetterKind.ACKNOWLEDGEMENT, question=town["question"]
        )
    outsider = make_person(
        other_municipality, memberships=[(Team.Kind.KERNTEAM, Membership.Function.TEAM_MEMBER)]
    )
    client.force_login(outsider)
    for url in (
        reverse("letters:acknowledgement_create", args=[town["question"].pk]),
        reverse("letters:invitation_create", args=[town["question"].pk]),
        reverse("letters:letter_pdf", args=[letter.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code in (404, 405), url
    api = api_for(outsider, other_municipality)
    assert (
        api.post(
            reverse("api:question-letter-list", args=[town["question"].pk]),
            {"kind": "acknowledgement"},
            format="json",
        ).status_code
        == 404
    )
    assert api.get(reverse("api:letter-detail", args=[letter.pk])).status_code == 404
    assert api.get(reverse("api:letter-pdf", args=[letter.pk])).status_code == 404
    assert api.get(reverse("api:letter-list")).json()["results"] == []
    assert len(letters(town)) == 1


def test_the_letter_list_costs_a_fixed_number_of_queries(town, django_assert_max_num_queries):
    api = api_for(town["team_member"], town["m"])
    with scope(municipality=town["m"]):
        for _ in range(2):
            services.letter_create(
                actor=town["team_member"],
                kind=LetterKind.ACKNOWLEDGEMENT,
                question=town["question"],
            )
    api.get(reverse("api:letter-list"))  # warm the caches
    with django_assert_max_num_queries(12) as few:
        assert len(api.get(reverse("api:letter-list")).json()["results"]) == 2
    with scope(municipality=town["m"]):
        for _ in range(4):
            question = QuestionFactory(
                municipality=town["m"],
                team=town["elst"],
                laws=["wmo"],
                investigation_deadline=timezone.localdate() + timedelta(weeks=6),
            )
            services.letter_create(
                actor=town["team_member"], kind=LetterKind.ACKNOWLEDGEMENT, question=question
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(reverse("api:letter-list")).json()["results"]) == 6


def test_the_question_page_reads_its_letters_in_fixed_queries(
    town, client, django_assert_max_num_queries
):
    client.force_login(town["team_member"])
    url = reverse("intake:question_detail", args=[town["question"].pk])
    with scope(municipality=town["m"]):
        services.letter_create(
            actor=town["team_member"], kind=LetterKind.ACKNOWLEDGEMENT, question=town["question"]
        )
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    with scope(municipality=town["m"]):
        for _ in range(3):
            services.letter_create(
                actor=town["team_member"],
                kind=LetterKind.ACKNOWLEDGEMENT,
                question=town["question"],
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("kind", LetterKind.values)
def test_default_texts_use_only_their_placeholders(kind, town):
    with scope(municipality=town["m"]):
        template = services.letter_template_default(town["m"], kind)
        template.full_clean(exclude=["updated_by"])


def extend(town, weeks=4, reason="Wij wachten op het advies van de huisarts."):
    question = town["question"]
    with scope(municipality=town["m"]):
        return decisions.deadline_change(
            actor=town["team_member"],
            kind="extend",
            new_date=question.investigation_deadline + timedelta(weeks=weeks),
            reason=reason,
            question=question,
        )


def test_after_an_extension_the_notice_names_old_and_new_date_and_reason(town, client):
    client.force_login(town["team_member"])
    question = town["question"]
    url = reverse("letters:postponement_create", args=[question.pk])
    page = client.get(reverse("intake:question_detail", args=[question.pk])).content.decode()
    assert url not in page  # no extension yet
    change = extend(town)
    page = client.get(reverse("intake:question_detail", args=[question.pk])).content.decode()
    assert url in page
    assert "advies van de huisarts" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 302
    [letter] = letters(town)
    assert letter.kind == LetterKind.POSTPONEMENT and letter.deadline_change_id == change.pk
    text = pdf_text(body(client.get(reverse("letters:letter_pdf", args=[letter.pk]))))
    assert squash(f"uiterlijk op {change.old_date:%-d}") in text
    assert squash(f"uiterlijk op {change.new_date:%-d}") in text
    assert squash("advies van de huisarts") in text and "4:14" in text
    api = api_for(town["team_member"], town["m"])
    response = api.post(
        reverse("api:question-letter-list", args=[question.pk]),
        {"kind": "postponement"},
        format="json",
    )
    assert response.status_code == 201 and "advies van de huisarts" in response.json()["body"]


def test_the_notice_of_an_extension_is_refused_without_one(town, client):
    client.force_login(town["team_member"])
    url = reverse("letters:postponement_create", args=[town["question"].pk])
    assert "niet verlengd" in client.get(url).content.decode()
    response = client.post(url, {})
    assert response.status_code == 200
    assert "niet verlengd" in str(response.context["form"].non_field_errors())
    api = api_for(town["team_member"], town["m"])
    response = api.post(
        reverse("api:question-letter-list", args=[town["question"].pk]),
        {"kind": "postponement"},
        format="json",
    )
    assert response.status_code == 400
    assert letters(town) == []
