"""The content check: by the bytes, not the name; the extension must match."""

import pytest
from django.core.exceptions import ValidationError

from apps.documents.content import check_file
from tests.documents.conftest import (
    EXE_BYTES,
    HTML_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    upload,
)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("advies.pdf", PDF_BYTES, "application/pdf"),
        ("Foto.PNG", PNG_BYTES, "image/png"),
        (
            "plan.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_files_are_accepted_with_their_detected_type(name, data, expected, settings):
    assert check_file(upload(name, data, "application/octet-stream")) == expected


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("advies.pdf", HTML_BYTES),  # a web page behind a PDF's name
        ("advies.pdf", EXE_BYTES),  # a program behind a PDF's name
        ("advies.png", PDF_BYTES),  # a PDF behind a PNG's name: no match
        ("advies", PDF_BYTES),  # no extension at all
        ("archief.zip", docx_bytes()[:4] + b"\x00" * 40),
    ],
)
def test_a_wrong_type_behind_a_right_extension_is_refused(name, data, settings):
    with pytest.raises(ValidationError) as caught:
        check_file(upload(name, data, "application/pdf"))
    assert list(caught.value.message_dict) == ["file"]


def test_a_file_over_the_limit_is_refused_on_the_file_field(settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    big = PDF_BYTES + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        check_file(upload("groot.pdf", big))
    assert "1 MB" in caught.value.message_dict["file"][0]


def test_an_empty_file_is_refused(settings):
    with pytest.raises(ValidationError):
        check_file(upload("leeg.pdf", b""))
