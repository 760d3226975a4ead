"""The OpenAPI description of the documents API (drf-spectacular), kept apart
from the behaviour in `views.py`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view

from apps.core.api import CONFLICT_EXAMPLES, error_responses
from apps.core.api_schema import read_list, read_one
from apps.documents.api.serializers import (
    DocumentSerializer,
    DocumentUploadSerializer,
    DocumentWithdrawSerializer,
)
from apps.documents.api.views import DocumentViewSet
from apps.documents.content import ALLOWED_TYPES

extend_schema_view(
    list=read_list(
        DocumentSerializer,
        "The documents one may see",
        description="Of the cases and questions one may open and of the residents' files one "
        "works on; filter by `case`, `question` or `resident` (all of a resident's), and "
        "`kind`. Withdrawn documents are listed too (`is_withdrawn`). The page shown is "
        "recorded in the access log.",
    ),
    retrieve=read_one(DocumentSerializer, "A document"),
    create=extend_schema(
        summary="Add a document",
        description="multipart/form-data (the only endpoint that takes it): exactly one of "
        "`case`, `question` or `resident`, with `title`, `kind`, `document_date` and `file`. "
        "The file is checked by its content, not its name: PDF, PNG, JPEG, TIFF, GIF, "
        "DOCX/XLSX/PPTX, ODT/ODS and DOC/XLS, with an extension that matches the content, "
        "up to DOCUMENT_MAX_UPLOAD_MB. When a virus scanner is configured, an infected file "
        "is refused (400 on `file`) and, while the scanner does not answer, every upload "
        "(400). A case one may not see is a 404, a question or file one may not open a 403. "
        "Nothing is saved on a refusal.",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer, **error_responses(400, 403, 404)},
    ),
    content=extend_schema(
        summary="The document's file",
        description="The file as uploaded, with its detected content type; recorded in the "
        "access log. A withdrawn document's file only for those who may withdraw it (403).",
        responses={
            **{
                (200, media_type): OpenApiResponse(response=OpenApiTypes.BINARY)
                for media_type in ALLOWED_TYPES
            },
            **error_responses(403, 404),
        },
    ),
    withdraw=extend_schema(
        summary="Withdraw a document",
        description="With a reason and the version read. The document stays listed as "
        "withdrawn (who, when, why); it is never deleted.",
        request=DocumentWithdrawSerializer,
        responses={
            200: DocumentSerializer,
            **error_responses(400, 403, 404, 409, examples=CONFLICT_EXAMPLES),
        },
    ),
)(DocumentViewSet)
