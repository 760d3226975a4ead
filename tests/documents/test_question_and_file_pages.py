"""The documents sections of the question page and of the resident's file."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from apps.documents.models import Document
from tests.documents.conftest import HTML_BYTES, upload
from tests.factories import DocumentFactory, MunicipalityFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def post(client, url, world, file):
    return client.post(
        url,
        {
            "title": "Inkomende brief CAK",
            "kind": Document.Kind.INCOMING_LETTER,
            "document_date": "2026-10-30",
            "file": file,
            "municipality": world["municipality"].pk,
        },
    )


def test_a_team_member_adds_a_letter_to_the_question(client, world, settings):
    client.force_login(world["member"])
    question = world["question"]
    page = client.get(reverse("intake:question_detail", args=[question.pk])).content.decode()
    assert 'action="/documenten/vraag/' in page
    response = post(
        client, reverse("documents:question_upload", args=[question.pk]), world, upload()
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:question_detail", args=[question.pk])
    with scopes_disabled():
        document = Document.objects.get()
    assert document.question == question and document.case is None
    assert document.resident == question.resident
    page = client.get(reverse("intake:question_detail", args=[question.pk])).content.decode()
    assert "Inkomende brief CAK" in page


def test_a_refused_file_on_the_question_names_the_field(client, world, settings):
    client.force_login(world["loket"])
    url = reverse("documents:question_upload", args=[world["question"].pk])
    response = post(client, url, world, upload("brief.pdf", HTML_BYTES))
    assert list(response.context["form"].errors) == ["file"]
    with scopes_disabled():
        assert not Document.objects.exists()


def test_the_resident_file_shows_its_own_documents(client, world, settings):
    client.force_login(world["member"])
    resident = world["resident"]
    response = post(
        client, reverse("documents:resident_upload", args=[resident.pk]), world, upload()
    )
    assert response.status_code == 302
    page = client.get(reverse("intake:resident_detail", args=[resident.pk])).content.decode()
    assert "Documenten in het dossier" in page and "Inkomende brief CAK" in page


def test_no_section_for_who_may_not_see_the_file(client, world):
    client.force_login(world["other_team"])
    # other_team opens the stranger's file with a reason; no documents shown there.
    with scope(municipality=world["municipality"]):
        DocumentFactory(
            municipality=world["municipality"], case=None, question=None, resident=world["stranger"]
        )
    url = reverse("intake:resident_detail", args=[world["stranger"].pk])
    client.post(url, {"reason": "Controle", "municipality": world["municipality"].pk})
    page = client.get(url).content.decode()
    assert "Documenten in het dossier" not in page


def test_another_municipality_s_question_and_resident_do_not_exist(client, world):
    other = MunicipalityFactory()
    with scope(municipality=other):
        question = QuestionFactory(municipality=other)
    client.force_login(world["loket"])
    for url in (
        reverse("documents:question_upload", args=[question.pk]),
        reverse("documents:resident_upload", args=[question.resident.pk]),
    ):
        assert client.get(url).status_code == 404
        assert post(client, url, world, upload()).status_code == 404


def test_the_question_page_reads_documents_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["coordinator"])
    url = reverse("intake:question_detail", args=[world["question"].pk])
    with scope(municipality=world["municipality"]):
        DocumentFactory(municipality=world["municipality"], case=None, question=world["question"])
    client.get(url)
    with django_assert_max_num_queries(200) as few:
        client.get(url)
    with scope(municipality=world["municipality"]):
        for _ in range(4):
            DocumentFactory(
                municipality=world["municipality"], case=None, question=world["question"]
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("/bestand/") == 5
