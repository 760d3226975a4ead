"""What an uploaded file is, read from its bytes (not its name), and the limit
on its size while it streams in.

A file is accepted when the type detected from its content (the `filetype`
library: magic numbers, and for the office formats the parts of the zip) is
one of ALLOWED_TYPES and the file's extension is one of that type's. So a
program or a web page renamed to `.pdf` is refused, and so is a PDF named
`.png` (the two do not match)."""

import hashlib
from pathlib import PurePath

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
