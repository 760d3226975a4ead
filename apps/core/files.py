"""Generated and uploaded files (decision letters, reports) are private: they
live in MEDIA_ROOT, which no URL serves, and reach a browser only through a
view that has checked the permission and writes the access log
(`serve_private_file`)."""

from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404

from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access


class PrivateStorage(FileSystemStorage):
    """The default storage: files have no public address. A template or
    serializer that asks for `file.url` fails loudly instead of leaking a link."""

    def url(self, name):
        raise NotImplementedError(
            "Private files have no URL: serve them with apps.core.files.serve_private_file "
            "from a view that checks the permission."
        )


def serve_private_file(
    request,
    fieldfile,
    *,
    filename: str,
    obj,
    content_type: str | None = None,
    resident=None,
    inline: bool = False,
) -> FileResponse:
    """Send a stored file to the user, after the caller checked that they may
    have it, and log the download. Never cached by the browser or a proxy."""
    if not fieldfile or not fieldfile.storage.exists(fieldfile.name):
        raise Http404
    log_access(
        request=request,
        action=AccessLogEntry.Action.DOWNLOAD,
        obj=obj,
        resident=resident,
        object_label=f"{obj} ({filename})",
    )
    response = FileResponse(
        fieldfile.open("rb"),
        as_attachment=not inline,
        filename=filename,
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
