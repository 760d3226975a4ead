"""A body larger than its view accepts is refused before anything reads it
(apps.core.middleware.RequestBodyLimitMiddleware): Django's own limit leaves
files out and the CSRF check reads a page's body first, so without it any page
would spool a file of any size to disk. A document upload accepts twice its file
limit (so a file just over it still gets its message on the field)."""

import logging

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import api_key_for
from tests.documents.conftest import PDF_BYTES, stored_files, upload
from tests.documents.test_pages import case_upload_url, count_documents, form_data

MB = 1024 * 1024


def test_a_page_refuses_a_large_file_unread(client, world, settings, caplog):
    settings.REQUEST_BODY_MAX_BYTES = MB
    client.force_login(world["member"])
    caplog.set_level(logging.ERROR, logger="django.security")
    big = SimpleUploadedFile("groot.bin", b"0" * (2 * MB))
    response = client.post(reverse("intake:question_register"), {"description": "x", "f": big})
    assert response.status_code == 400
    assert "Verzoek niet verwerkt" in response.content.decode()
    assert any(r.name == "django.security.RequestDataTooBig" for r in caplog.records)


def test_the_api_refuses_a_large_body_unread_with_a_413(world, settings, caplog):
    settings.REQUEST_BODY_MAX_BYTES = MB
    _token, key = api_key_for(world["member"], world["municipality"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    caplog.set_level(logging.ERROR, logger="django.security")
    response = api.post("/api/v1/questions/", {"description": "x" * (2 * MB)}, format="json")
    assert response.status_code == 413
    assert response.json()["detail"]
    assert any(r.name == "django.security.RequestDataTooBig" for r in caplog.records)


def test_a_document_just_over_its_limit_gets_the_field_message(client, world, settings):
    settings.REQUEST_BODY_MAX_BYTES = MB
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    client.force_login(world["member"])
    over = upload("groot.pdf", PDF_BYTES + b"0" * (MB + MB // 2))
    response = client.post(case_upload_url(world), form_data(world, over))
    assert response.status_code == 200
    assert "te groot" in response.context["form"].errors["file"][0]
    assert count_documents() == 0


def test_a_document_far_over_its_limit_is_refused_unread(client, world, settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    client.force_login(world["member"])
    huge = upload("groot.pdf", PDF_BYTES + b"0" * (4 * MB))
    response = client.post(case_upload_url(world), form_data(world, huge))
    assert response.status_code == 400
    assert count_documents() == 0
    assert stored_files(settings) == []


def test_the_document_endpoint_refuses_a_body_far_over_its_limit_with_a_413(world, settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    _token, key = api_key_for(world["member"], world["municipality"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    huge = upload("groot.pdf", PDF_BYTES + b"0" * (4 * MB))
    response = api.post(
        "/api/v1/documents/",
        {
            "case": world["case"].pk,
            "title": "x",
            "kind": "other",
            "document_date": "2026-01-05",
            "file": huge,
        },
        format="multipart",
    )
    assert response.status_code == 413
    assert count_documents() == 0
