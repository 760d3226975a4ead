"""Office files are opened and their structure checked, not only their first
bytes: a zip that merely looks like a .docx, a macro, a program or a web page
inside, an encrypted or traversing entry, too many entries or a zip bomb, and
a legacy .doc/.xls with a VBA project are refused on the `file` field."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from apps.documents import content
from apps.documents import services as docs
from apps.documents.content import check_file
from apps.documents.models import Document
from tests.documents.conftest import EXE_BYTES, HTML_BYTES, PNG_BYTES, stored_files, upload

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def office_zip(entries: dict, *, content_types=True, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def odt_bytes(entries: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
        for name, data in (entries or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def encrypted(data: bytes) -> bytes:
    """Set the 'encrypted' flag (bit 0x1) on every entry, in the local headers
    and the central directory (zipfile cannot write encrypted archives)."""
    raw = bytearray(data)
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := raw.find(signature, start)) != -1:
            raw[found + flag_at] |= 0x01
            start = found + 4
    return bytes(raw)


def ole_file(extra: bytes = b"") -> bytes:
    """A legacy Word file as `filetype` recognises it (OLE header, Word's
    signature at 512), with `extra` further on, where the directory would be."""
    data = OLE_MAGIC + b"\x00" * 504 + b"\xec\xa5\xc1\x00" + b"\x00" * 1500
    return data + extra + b"\x00" * 64


def refused(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check_file(upload(name, data, "application/octet-stream"))
    assert list(caught.value.message_dict) == ["file"]
    return caught.value.message_dict["file"][0]


def test_a_real_docx_and_odt_are_still_accepted(settings):
    docx = office_zip({"word/media/image1.png": PNG_BYTES, "docProps/core.xml": "<cp/>"})
    assert check_file(upload("plan.docx", docx, "application/octet-stream")) == DOCX
    assert check_file(upload("plan.odt", odt_bytes(), "application/octet-stream")) == (
        "application/vnd.oasis.opendocument.text"
    )


def test_a_zip_that_only_looks_like_a_docx_is_refused(settings):
    """The reviewer's file: a `word/` entry first, then a program and a web page."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
        archive.writestr("evil.exe", b"MZ" + b"\x90" * 200)
        archive.writestr("index.html", "<script>alert(1)</script>")
    assert "kantoordocument" in refused("plan.docx", buffer.getvalue())


def test_a_docx_without_content_types_is_refused(settings):
    refused("plan.docx", office_zip({}, content_types=False))


@pytest.mark.parametrize(
    "entries",
    [
        {"evil.exe": EXE_BYTES},  # a program, by name
        {"word/run.vbs": "MsgBox 1"},  # a script, by name
        {"word/page.html": HTML_BYTES},  # a web page, by name
        {"word/media/image2.png": EXE_BYTES},  # a program behind an image's name
        {"word/media/image3.png": HTML_BYTES},  # a web page behind an image's name
        {"word/embeddings/inner.zip": office_zip({})},  # a nested archive, by name
        {"word/media/image4.jpeg": office_zip({})},  # a nested archive, by magic
        {"word/vbaProject.bin": OLE_MAGIC + b"\x00" * 100},  # a macro project
        {"xl/macros/module.bin": b"\x00" * 100},  # a binary part under xl/
        {"../../etc/cron.d/x": "* * * * * root sh"},  # path traversal
        {"/etc/passwd": "root"},  # an absolute name
    ],
)
def test_a_docx_with_a_dangerous_entry_is_refused(entries, settings):
    refused("plan.docx", office_zip(entries))


def test_an_odt_with_a_program_inside_is_refused(settings):
    refused("plan.odt", odt_bytes({"Scripts/evil.exe": EXE_BYTES}))


def test_an_encrypted_entry_is_refused(settings):
    refused("plan.docx", encrypted(office_zip({})))


def test_too_many_entries_are_refused(settings, monkeypatch):
    monkeypatch.setattr(content, "OFFICE_MAX_ENTRIES", 20)
    entries = {f"word/media/part{n}.xml": "<x/>" for n in range(25)}
    refused("plan.docx", office_zip(entries))


def test_a_zip_bomb_is_refused_by_its_compression_ratio(settings):
    refused("plan.docx", office_zip({"word/media/big.xml": b"\x00" * (2 * 1024 * 1024)}))


def test_a_zip_bomb_is_refused_by_its_total_size(settings, monkeypatch):
    monkeypatch.setattr(content, "OFFICE_MAX_UNCOMPRESSED_BYTES", 1000)
    data = office_zip({"word/media/a.xml": bytes(range(256)) * 8}, compression=zipfile.ZIP_STORED)
    refused("plan.docx", data)


def test_a_legacy_doc_with_a_vba_project_is_refused(settings):
    plain = ole_file()
    assert check_file(upload("brief.doc", plain, "application/msword")) == "application/msword"
    with_macros = ole_file("_VBA_PROJECT".encode("utf-16-le"))
    assert "macro" in refused("brief.doc", with_macros)


def test_a_refused_office_file_is_not_saved(world, settings):
    data = office_zip({"word/vbaProject.bin": OLE_MAGIC + b"\x00" * 100})
    with scope(municipality=world["municipality"]):
        with pytest.raises(ValidationError) as caught:
            docs.document_upload(
                actor=world["director"],
                file=upload("plan.docx", data, "application/octet-stream"),
                title="Plan",
                kind="other",
                document_date="2026-01-01",
                case=world["case"],
            )
        assert "file" in caught.value.message_dict
        assert not Document.objects.exists()
    assert stored_files(settings) == []
