"""The documents pages: the case page's section and upload form, the upload,
the download (in the access log) and withdrawing, with the unhappy paths."""

import os

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.documents.models import Document, DocumentDeleteError
from tests.documents.conftest import (
    EICAR,
    EXE_BYTES,
    HTML_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    staff_of,
    stored_files,
    upload,
)
from tests.factories import CaseFactory, DocumentFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def form_data(world, file, **extra):
    return {
        "title": "Medisch advies rolstoel",
        "kind": Document.Kind.MEDICAL_ADVICE,
        "document_date": "2026-11-02",
        "file": file,
        "municipality": world["municipality"].pk,
        **extra,
    }


def case_upload_url(world):
    return reverse("documents:case_upload", args=[world["case"].pk])


def count_documents():
    with scopes_disabled():
        return Document.objects.count()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("advies.pdf", PDF_BYTES, "application/pdf"),
        ("foto.png", PNG_BYTES, "image/png"),
        (
            "plan.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_a_case_worker_uploads_a_document_on_the_case_page(
    client, world, settings, name, data, content_type
):
    client.force_login(world["member"])
    response = client.post(case_upload_url(world), form_data(world, upload(name, data)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cases:detail", args=[world["case"].pk]))
    with scopes_disabled():
        document = Document.objects.get()
        assert document.case == world["case"]
        assert document.resident == world["case"].resident
        assert document.content_type == content_type
        assert document.original_filename == name
        assert document.uploaded_by == staff_of(world["member"], world["municipality"])
        assert name not in document.file.name  # a random stored name
        assert AccessLogEntry.objects.filter(
            action=AccessLogEntry.Action.CREATE, object_type="documents.document"
        ).exists()
    page = client.get(reverse("cases:detail", args=[world["case"].pk]))
    assert "Medisch advies rolstoel" in page.content.decode()
    assert 'enctype="multipart/form-data"' in page.content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [("advies.pdf", HTML_BYTES), ("advies.pdf", EXE_BYTES), ("advies.png", PDF_BYTES)],
)
def test_a_wrong_type_is_refused_on_the_file_field_and_nothing_is_saved(
    client, world, settings, name, data
):
    client.force_login(world["member"])
    response = client.post(case_upload_url(world), form_data(world, upload(name, data)))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert "Controleer de invoer" in response.content.decode()
    assert count_documents() == 0
    assert stored_files(settings) == []


def test_a_file_over_the_limit_is_refused_naming_the_field(client, world, settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    client.force_login(world["member"])
    big = upload("groot.pdf", PDF_BYTES + b"0" * (1024 * 1024 + 10))
    response = client.post(case_upload_url(world), form_data(world, big))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["file"]
    assert "te groot" in errors["file"][0]
    assert count_documents() == 0
    assert stored_files(settings) == []


def test_a_missing_title_is_refused_and_nothing_is_saved(client, world, settings):
    client.force_login(world["member"])
    response = client.post(case_upload_url(world), form_data(world, upload(), title=""))
    assert list(response.context["form"].errors) == ["title"]
    assert count_documents() == 0


def test_the_virus_scanner_refuses_eicar(client, world, settings, caplog):
    settings.CLAMD_ADDRESS = os.environ.get("TEST_CLAMD_ADDRESS") or pytest.fail(
        "TEST_CLAMD_ADDRESS is not set: start scripts/test-services.sh (it starts clamd)"
    )
    client.force_login(world["member"])
    infected = upload("advies.pdf", PDF_BYTES + EICAR)
    response = client.post(case_upload_url(world), form_data(world, infected))
    assert response.status_code == 200
    assert "virus" in response.context["form"].errors["file"][0]
    assert count_documents() == 0
    assert stored_files(settings) == []
    assert any("EICAR" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    # And a clean file passes the same scanner.
    response = client.post(case_upload_url(world), form_data(world, upload()))
    assert response.status_code == 302
    assert count_documents() == 1


def test_an_unreachable_scanner_refuses_the_upload(client, world, settings):
    settings.CLAMD_ADDRESS = "tcp://127.0.0.1:1"
    client.force_login(world["member"])
    response = client.post(case_upload_url(world), form_data(world, upload()))
    assert response.status_code == 200
    assert "probeer het later" in response.content.decode()
    assert count_documents() == 0
    assert stored_files(settings) == []


def test_download_is_logged_with_the_resident(client, world):
    with scope(municipality=world["municipality"]):
        document = DocumentFactory(municipality=world["municipality"], case=world["case"])
    client.force_login(world["expert"])  # reads the case, does not work on it
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "advies.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    with scopes_disabled():
        entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.DOWNLOAD)
        assert entry.resident_id == world["case"].resident_id


def test_another_municipality_s_case_and_document_do_not_exist(client, world):
    other = MunicipalityFactory()
    with scope(municipality=other):
        case = CaseFactory(municipality=other)
        document = DocumentFactory(municipality=other, case=case)
    client.force_login(world["member"])
    assert client.get(reverse("documents:case_upload", args=[case.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:withdraw", args=[document.pk])).status_code == 404


def test_withdraw_with_a_reason_keeps_the_document_listed(client, world):
    with scope(municipality=world["municipality"]):
        document = DocumentFactory(
            municipality=world["municipality"],
            case=world["case"],
            uploaded_by=staff_of(world["member"], world["municipality"]),
        )
    client.force_login(world["member"])
    url = reverse("documents:withdraw", args=[document.pk])
    data = {"reason": "Verkeerde inwoner", "version": document.version}
    assert client.post(url, data).status_code == 302
    document.refresh_from_db()
    assert document.withdrawn_reason == "Verkeerde inwoner"
    assert document.withdrawn_by == staff_of(world["member"], world["municipality"])
    page = client.get(reverse("cases:detail", args=[world["case"].pk])).content.decode()
    assert "ingetrokken" in page and "Verkeerde inwoner" in page
    # The uploader may still open it (they may withdraw it); a reader may not.
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 200
    client.force_login(world["expert"])
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 403


def test_withdraw_without_a_reason_is_refused(client, world):
    with scope(municipality=world["municipality"]):
        document = DocumentFactory(municipality=world["municipality"], case=world["case"])
    client.force_login(world["director"])
    url = reverse("documents:withdraw", args=[document.pk])
    response = client.post(url, {"reason": "  ", "version": document.version})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["reason"]
    document.refresh_from_db()
    assert document.withdrawn_at is None


def test_a_concurrent_withdraw_is_a_version_conflict(client, world):
    with scope(municipality=world["municipality"]):
        document = DocumentFactory(municipality=world["municipality"], case=world["case"])
    read_version = document.version
    client.force_login(world["director"])
    url = reverse("documents:withdraw", args=[document.pk])
    assert client.post(url, {"reason": "Dubbel", "version": read_version}).status_code == 302
    client.force_login(world["coordinator"])
    response = client.post(url, {"reason": "Ook dubbel", "version": read_version})
    assert response.status_code == 200
    assert "intussen gewijzigd" in response.content.decode()
    document.refresh_from_db()
    assert document.withdrawn_reason == "Dubbel"


def test_a_document_is_never_deleted(world):
    with scope(municipality=world["municipality"]):
        document = DocumentFactory(municipality=world["municipality"], case=world["case"])
        with pytest.raises(DocumentDeleteError):
            document.delete()
        with pytest.raises(DocumentDeleteError):
            Document.objects.filter(pk=document.pk).delete()
        assert Document.objects.filter(pk=document.pk).exists()


def test_the_case_page_reads_documents_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["director"])
    url = reverse("cases:detail", args=[world["case"].pk])
    with scope(municipality=world["municipality"]):
        DocumentFactory(municipality=world["municipality"], case=world["case"])
    client.get(url)
    with django_assert_max_num_queries(200) as few:
        client.get(url)
    with scope(municipality=world["municipality"]):
        for _ in range(5):
            DocumentFactory(municipality=world["municipality"], case=world["case"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("/bestand/") == 6
