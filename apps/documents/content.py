"""What an uploaded file is, read from its bytes (not its name), and the limit
on its size while it streams in.

A file is accepted when the type detected from its content (the `filetype`
library: magic numbers, and for the office formats the parts of the zip) is
one of ALLOWED_TYPES and the file's extension is one of that type's. So a
program or a web page renamed to `.pdf` is refused, and so is a PDF named
`.png` (the two do not match).

The first bytes are not enough for the office formats: `filetype` calls any
zip with a `word/` entry near its start a .docx. So an OOXML or ODF file is
also opened as a zip (read in memory, nothing extracted to disk) and must have
the structure of one (`[Content_Types].xml`, or ODF's `mimetype`), and none of
its entries may be a program, a script, a web page, a nested archive (by name
or by its first bytes), a macro project or other binary part under
`word/`, `xl/` or `ppt/`, encrypted, or named outside the archive; nor may it
have too many entries or unpack to too much (a zip bomb). A legacy OLE
.doc/.xls is refused when it carries a VBA project: its directory names the
stream `_VBA_PROJECT` in UTF-16LE, found with a plain byte search (a macro-free
file has no such name; a false hit only refuses a file, it never lets one in)."""

import hashlib
import re
import zipfile
from pathlib import PurePath, PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

# Detected MIME type -> the extensions a file of that type may have.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/tiff": ("tif", "tiff"),
    "image/gif": ("gif",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
    "application/msword": ("doc",),
    "application/vnd.ms-excel": ("xls",),
}
ALLOWED_EXTENSIONS = sorted({ext for exts in ALLOWED_TYPES.values() for ext in exts})
# Enough for every signature `filetype` knows (it reads at most 8 KB itself).
HEAD_BYTES = 8192


def max_upload_bytes() -> int:
    return settings.DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024


def max_request_body() -> int:
    """The largest body an upload request may have: twice the file limit and
    1 MB for the form, so a file just over the limit still gets its message on
    the field; anything larger is refused unread (apps.core.middleware)."""
    return 2 * max_upload_bytes() + 1024 * 1024


def too_large_message() -> str:
    return _("Het bestand is te groot: ten hoogste %(mb)s MB.") % {
        "mb": settings.DOCUMENT_MAX_UPLOAD_MB
    }


def refused_type_message() -> str:
    return _(
        "Dit soort bestand wordt niet aangenomen. Voeg een PDF, afbeelding (PNG, JPEG, TIFF, "
        "GIF) of kantoordocument (Word, Excel, PowerPoint, OpenDocument) toe."
    )


def extension_of(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def detect(uploaded) -> str | None:
    """The MIME type read from the first bytes of `uploaded`, or None."""
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind is not None else None


OOXML_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
}
OLE_TYPES = {"application/msword", "application/vnd.ms-excel"}
OFFICE_MAX_ENTRIES = 10_000
OFFICE_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
OFFICE_MAX_RATIO = 100
# How much of each entry is read to look at its magic bytes.
ENTRY_HEAD_BYTES = 262
# Entry names refused by their extension: programs, scripts, web pages, archives.
REFUSED_ENTRY_EXTENSIONS = frozenset(
    {
        # programs
        "exe",
        "dll",
        "com",
        "scr",
        "msi",
        "msp",
        "pif",
        "cpl",
        "sys",
        "drv",
        "ocx",
        # scripts
        "bat",
        "cmd",
        "ps1",
        "psm1",
        "vbs",
        "vbe",
        "js",
        "jse",
        "mjs",
        "wsf",
        "wsh",
        "wsc",
        "hta",
        "sh",
        "bash",
        "py",
        "pl",
        "rb",
        "php",
        "jar",
        "class",
        "lnk",
        "reg",
        # web pages
        "inf",
        "html",
        "htm",
        "xhtml",
        "shtml",
        "mht",
        "mhtml",
        # archives
        "zip",
        "rar",
        "7z",
        "gz",
        "tgz",
        "bz2",
        "xz",
        "tar",
        "cab",
        "iso",
        "arj",
        "lzh",
        "z",
        "zst",
        # office files
        "docx",
        "docm",
        "xlsx",
        "xlsm",
        "xlsb",
        "pptx",
        "pptm",
        "odt",
        "ods",
        "odp",
    }
)
# Binary parts under word/, xl/ or ppt/ are macro projects (vbaProject.bin) or
# embedded OLE objects; Excel's printer settings are the one harmless kind.
MACRO_PART = re.compile(
    r"^(word|xl|ppt)/(?!printerSettings/printerSettings\d+\.bin$).*\.bin$", re.I
)
# Magic bytes that only a program or an archive starts with.
REFUSED_HEADS = (b"MZ", b"\x7fELF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"#!")
HTML_HEAD = re.compile(rb"^\s*<(!doctype\s+html|html|script|body|iframe)\b", re.I)
VBA_PROJECT_NAME = "_VBA_PROJECT".encode("utf-16-le")


def unsafe_office_message() -> str:
    return _(
        "Dit kantoordocument wordt niet aangenomen: het is beschadigd of bevat iets dat er "
        "niet in hoort (macro's, programma's, webpagina's, andere archieven of versleutelde "
        "delen). Sla het opnieuw op als gewoon document zonder macro's en voeg het dan toe."
    )


def _entry_is_dangerous(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    name = info.filename
    path = PurePosixPath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or ".." in path.parts or ":" in name:
        return True
    if info.flag_bits & 0x1:
        return True
    if MACRO_PART.match(name):
        return True
    if path.suffix.lower().lstrip(".") in REFUSED_ENTRY_EXTENSIONS:
        return True
    if info.is_dir() or info.file_size == 0:
        return False
    with archive.open(info) as entry:
        head = entry.read(ENTRY_HEAD_BYTES)
    if head.startswith(REFUSED_HEADS) or HTML_HEAD.match(head):
        return True
    kind = filetype.guess(head)
    return kind is not None and (
        filetype.application_match(head) is not None
        or (filetype.archive_match(head) is not None and kind.mime != "application/pdf")
    )


def office_is_safe(uploaded, detected: str) -> bool:
    """Whether an office file has its format's structure and nothing dangerous in it."""
    uploaded.seek(0)
    try:
        if detected in OLE_TYPES:
            # Read in overlapping chunks so a name across a chunk border is found.
            tail = b""
            for chunk in uploaded.chunks():
                if VBA_PROJECT_NAME in tail + chunk:
                    return False
                tail = chunk[-len(VBA_PROJECT_NAME) :]
            return True
        try:
            archive = zipfile.ZipFile(uploaded)
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        with archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if detected in OOXML_TYPES and "[Content_Types].xml" not in names:
                return False
            if detected in ODF_TYPES and "mimetype" not in names:
                return False
            if len(infos) > OFFICE_MAX_ENTRIES:
                return False
            total = sum(info.file_size for info in infos)
            compressed = sum(info.compress_size for info in infos)
            if total > OFFICE_MAX_UNCOMPRESSED_BYTES or total > OFFICE_MAX_RATIO * max(
                compressed, 1
            ):
                return False
            try:
                return not any(_entry_is_dangerous(archive, info) for info in infos)
            except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
                return False
    finally:
        uploaded.seek(0)


def sha256_of(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def check_file(uploaded) -> str:
    """The detected content type of an acceptable file; else a ValidationError
    on `file` (too large, empty, a refused type, or a type that does not match
    the name)."""
    if uploaded is None:
        raise ValidationError({"file": _("Kies een bestand.")})
    if uploaded.size > max_upload_bytes():
        raise ValidationError({"file": too_large_message()})
    if uploaded.size == 0:
        raise ValidationError({"file": _("Het bestand is leeg.")})
    detected = detect(uploaded)
    if detected not in ALLOWED_TYPES:
        raise ValidationError({"file": refused_type_message()})
    if extension_of(uploaded.name) not in ALLOWED_TYPES[detected]:
        raise ValidationError(
            {
                "file": _(
                    "De inhoud van het bestand past niet bij de naam: het is een %(type)s-"
                    "bestand. Geef het de juiste extensie (%(extensions)s)."
                )
                % {
                    "type": ALLOWED_TYPES[detected][0].upper(),
                    "extensions": ", ".join(f".{e}" for e in ALLOWED_TYPES[detected]),
                }
            }
        )
    if detected in OOXML_TYPES | ODF_TYPES | OLE_TYPES and not office_is_safe(uploaded, detected):
        raise ValidationError({"file": unsafe_office_message()})
    return detected


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops keeping a file past the limit while the upload streams in (nothing
    of it is kept) and remembers which field it was, so the serializer can name
    it. Put first in `request.upload_handlers` by the API's upload only (a
    page's body is read by the CSRF check before its view runs)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.limit = max_upload_bytes()

    def new_file(self, field_name, *args, **kwargs):
        self.received = 0
        super().new_file(field_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            too_large = getattr(self.request, "upload_too_large", set())
            too_large.add(self.field_name)
            self.request.upload_too_large = too_large
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_uploads(request) -> None:
    """Set the size-limiting handler before the body is read (call before
    anything touches request.POST / FILES, the CSRF check included)."""
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
