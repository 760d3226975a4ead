"""The documents API: list, multipart upload (the only multipart endpoint),
detail, logged download and withdraw, with the unhappy paths."""

import os

import pytest
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from apps.audit.models import AccessLogEntry
from apps.cases.models import Case
from apps.documents.models import Document
from tests.conftest import api_key_for
from tests.documents.conftest import (
    EICAR,
    EXE_BYTES,
    HTML_BYTES,
    PDF_BYTES,
    staff_of,
    stored_files,
    upload,
)
from tests.factories import CaseFactory, DocumentFactory, MunicipalityFactory, ResidentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/documents/"


def api(world, who):
    client = APIClient()
    _token, key = api_key_for(world[who], world["municipality"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def body(file, **target):
    return {
        "title": "Offerte rolstoel",
        "kind": Document.Kind.QUOTE,
        "document_date": "2026-11-02",
        "file": file,
        **target,
    }


def count_documents():
    with scopes_disabled():
        return Document.objects.count()


def test_upload_multipart_to_a_case(world, settings):
    response = api(world, "member").post(
        URL, body(upload(), case=world["case"].pk), format="multipart"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["case"] == world["case"].pk
    assert data["resident"] == world["case"].resident_id
    assert data["content_type"] == "application/pdf"
    assert data["is_withdrawn"] is False


def test_upload_to_a_question_and_to_a_resident_file(world, settings):
    client = api(world, "member")
    response = client.post(URL, body(upload(), question=world["question"].pk), format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["resident"] == world["question"].resident_id
    response = client.post(URL, body(upload(), resident=world["resident"].pk), format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["case"] is None and response.json()["question"] is None


def test_json_carries_no_file(world):
    response = api(world, "member").post(URL, {"title": "x", "case": world["case"].pk})
    assert response.status_code == 400
    assert "file" in response.json()
    assert count_documents() == 0


def test_multipart_is_refused_everywhere_else(world):
    response = api(world, "member").post(
        f"/api/v1/cases/{world['case'].pk}/share/", {"reason": "x"}, format="multipart"
    )
    assert response.status_code in (403, 415)


@pytest.mark.parametrize(("name", "data"), [("a.pdf", HTML_BYTES), ("a.pdf", EXE_BYTES)])
def test_a_wrong_type_is_a_400_on_file(world, settings, name, data):
    response = api(world, "member").post(
        URL, body(upload(name, data), case=world["case"].pk), format="multipart"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert count_documents() == 0
    assert stored_files(settings) == []


def test_a_file_over_the_limit_is_a_400_on_file(world, settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    big = upload("groot.pdf", PDF_BYTES + b"0" * (1024 * 1024 + 10))
    response = api(world, "member").post(URL, body(big, case=world["case"].pk), format="multipart")
    assert response.status_code == 400
    assert "te groot" in response.json()["file"][0]
    assert count_documents() == 0
    assert stored_files(settings) == []


def test_exactly_one_target(world, settings):
    client = api(world, "member")
    both = body(upload(), case=world["case"].pk, question=world["question"].pk)
    assert client.post(URL, both, format="multipart").status_code == 400
    assert client.post(URL, body(upload()), format="multipart").status_code == 400
    assert count_documents() == 0


def test_eicar_is_refused_by_the_scanner(world, settings):
    settings.CLAMD_ADDRESS = os.environ.get("TEST_CLAMD_ADDRESS") or pytest.fail(
        "TEST_CLAMD_ADDRESS is not set: start scripts/test-services.sh (it starts clamd)"
    )
    infected = upload("a.pdf", PDF_BYTES + EICAR)
    response = api(world, "member").post(
        URL, body(infected, case=world["case"].pk), format="multipart"
    )
    assert response.status_code == 400
    assert "virus" in response.json()["file"][0]
    assert count_documents() == 0


def test_scanner_down_refuses(world, settings):
    settings.CLAMD_ADDRESS = "tcp://127.0.0.1:1"
    response = api(world, "member").post(
        URL, body(upload(), case=world["case"].pk), format="multipart"
    )
    assert response.status_code == 400
    assert "probeer het later" in str(response.json())
    assert count_documents() == 0


def test_another_municipality_s_ids_do_not_exist(world, settings):
    other = MunicipalityFactory()
    with scope(municipality=other):
        case = CaseFactory(municipality=other)
        resident = ResidentFactory(municipality=other)
        document = DocumentFactory(municipality=other, case=case)
    client = api(world, "member")
    for target in ({"case": case.pk}, {"resident": resident.pk}):
        response = client.post(URL, body(upload(), **target), format="multipart")
        assert response.status_code == 400
        missing = client.post(
            URL, body(upload(), **{next(iter(target)): 999_999}), format="multipart"
        )
        assert response.json() == {
            k: [m.replace("999999", str(next(iter(target.values())))) for m in v]
            for k, v in missing.json().items()
        }
    assert client.get(f"{URL}{document.pk}/").status_code == 404
    assert client.get(f"{URL}{document.pk}/content/").status_code == 404
    response = client.post(f"{URL}{document.pk}/withdraw/", {"reason": "x", "version": 1})
    assert response.status_code == 404
    assert client.get(URL, {"case": case.pk}).status_code == 400
    assert count_documents() == 1


def test_list_detail_and_download_are_logged(world, settings, django_assert_max_num_queries):
    with scope(municipality=world["municipality"]):
        document = DocumentFactory(municipality=world["municipality"], case=world["case"])
    client = api(world, "expert")
    response = client.get(URL, {"case": world["case"].pk})
    assert [d["id"] for d in response.json()["results"]] == [document.pk]
    with django_assert_max_num_queries(50) as few:
        client.get(URL)
    with scope(municipality=world["municipality"]):
        for _ in range(5):
            DocumentFactory(municipality=world["municipality"], case=world["case"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(URL).json()["results"]) == 6
    assert client.get(f"{URL}{document.pk}/").json()["title"] == document.title
    response = client.get(f"{URL}{document.pk}/content/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    with scopes_disabled():
        entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.DOWNLOAD)
        assert entry.resident_id == world["case"].resident_id
        assert entry.channel == AccessLogEntry.Channel.API


def test_withdraw_needs_a_reason_and_the_current_version(world):
    with scope(municipality=world["municipality"]):
        document = DocumentFactory(municipality=world["municipality"], case=world["case"])
    client = api(world, "director")
    url = f"{URL}{document.pk}/withdraw/"
    assert list(client.post(url, {"reason": "", "version": 1}).json()) == ["reason"]
    assert client.post(url, {"reason": "Dubbel"}).status_code == 400
    response = client.post(url, {"reason": "Dubbel", "version": document.version})
    assert response.status_code == 200
    assert response.json()["is_withdrawn"] is True
    assert response.json()["withdrawn_by"] == staff_of(world["director"], world["municipality"]).pk
    stale = api(world, "coordinator").post(url, {"reason": "Ook", "version": document.version})
    assert stale.status_code == 409
    # Withdrawn: listed as such; the file only for who may withdraw.
    assert api(world, "expert").get(f"{URL}{document.pk}/").json()["is_withdrawn"] is True
    assert api(world, "expert").get(f"{URL}{document.pk}/content/").status_code == 403
    assert client.get(f"{URL}{document.pk}/content/").status_code == 200


def test_nothing_deletes_a_document(world):
    with scope(municipality=world["municipality"]):
        document = DocumentFactory(municipality=world["municipality"], case=world["case"])
    response = api(world, "director").delete(f"{URL}{document.pk}/")
    assert response.status_code == 405
    assert count_documents() == 1


def test_a_file_larger_than_the_body_limits_but_within_its_own_uploads(world, settings, client):
    """3 MB: past DATA_UPLOAD_MAX_MEMORY_SIZE (1 MB, which does not count files)
    and FILE_UPLOAD_MAX_MEMORY_SIZE (a temporary file), within the document
    limit: accepted on the API and on the page."""
    settings.DOCUMENT_MAX_UPLOAD_MB = 5
    data = PDF_BYTES + b"0" * (3 * 1024 * 1024)
    response = api(world, "member").post(
        URL, body(upload("groot.pdf", data), case=world["case"].pk), format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["size"] == len(data)
    client.force_login(world["member"])
    response = client.post(
        f"/documenten/casus/{world['case'].pk}/nieuw/",
        {
            **body(upload("groot2.pdf", data)),
            "municipality": world["municipality"].pk,
        },
    )
    assert response.status_code == 302
    assert count_documents() == 2


def test_no_upload_to_a_closed_case(world, settings):
    with scope(municipality=world["municipality"]):
        Case.objects.filter(pk=world["case"].pk).update(status=Case.Status.CLOSED)
    response = api(world, "member").post(
        URL, body(upload(), case=world["case"].pk), format="multipart"
    )
    assert response.status_code == 400
    assert "afgesloten" in str(response.json())
    assert count_documents() == 0
