"""The documents API: list (of a case, question or resident), add a document
(`POST /documents/`, multipart/form-data: the only endpoint of the API that
reads anything but JSON), read one, download its file (`…/content/`, in the
access log) and withdraw it with a reason (`…/withdraw/`, with the version).
The OpenAPI description of these views is in `schema.py`."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.access import rules
from apps.core.api import LoggedListMixin, logged_object_response, municipality_of
from apps.core.files import serve_private_file
from apps.core.pagination import NewestFirstPagination
from apps.documents import services
from apps.documents.api.serializers import (
    DocumentSerializer,
    DocumentUploadSerializer,
    DocumentWithdrawSerializer,
)
from apps.documents.content import limit_uploads, max_request_body, too_large_message
from apps.documents.models import Document
from apps.documents.selectors import documents_qs, visible_documents
from apps.documents.targets import require_visible, target_of
from apps.tenants.permissions import Action


class DocumentViewSet(
    LoggedListMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """Documents on a case, a question or a resident's file. Reading needs
    `question.view` (every role that reads cases holds it too) and then the
    object rules: a case's documents for who may open the case, a question's
    for who may open the question, a resident file's for who works on it.
    Adding and withdrawing need `question.handle` (the same roles as
    `case.work`) and the rules for adding and withdrawing."""

    serializer_class = DocumentSerializer
    read_action = Action.QUESTION_VIEW
    write_action = Action.QUESTION_HANDLE
    pagination_class = NewestFirstPagination
    filterset_fields = ["case", "question", "resident", "kind"]
    list_log_what = gettext_lazy("lijst van documenten")
    list_log_resident_of = staticmethod(lambda document: document.resident_id)
    # The body an upload may have (apps.core.middleware.RequestBodyLimitMiddleware).
    max_request_body = staticmethod(max_request_body)

    def initialize_request(self, request, *args, **kwargs):
        creating = request.method == "POST" and self.action_map.get("post") == "create"
        if creating:
            # Before anything reads the body: the size limit while it streams in.
            limit_uploads(request)
        drf_request = super().initialize_request(request, *args, **kwargs)
        if creating:
            # multipart for the file; JSON still parses (and is refused for want
            # of a file), so the CSRF check and the body limits answer first.
            drf_request.parsers = [MultiPartParser(), JSONParser()]
        return drf_request

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return Document.objects.none()
        if self.action == "list":
            return (
                visible_documents(self.request.user, municipality_of(self.request))
                .select_related("resident")
                .order_by("-id")
            )
        return documents_qs()

    def get_object(self):
        document = super().get_object()  # another municipality's: 404
        # As on the pages: 403 without the role behind it, 404 for a case one may
        # not see, 403 for a question or file one may not open.
        require_visible(self.request.user, municipality_of(self.request), target_of(document))
        return document

    def retrieve(self, request, *args, **kwargs):
        return logged_object_response(self, DocumentSerializer, resident_of=_resident_of)

    def create(self, request, *args, **kwargs):
        body = request.data  # parsed here: the size handler marks a file it stopped
        if "file" in getattr(request._request, "upload_too_large", ()):
            raise serializers.ValidationError({"file": [too_large_message()]})
        serializer = DocumentUploadSerializer(data=body, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = {name: data[name] for name in ("case", "question", "resident") if data.get(name)}
        require_visible(request.user, municipality_of(request), target)
        try:
            document = services.document_upload(
                actor=request.user,
                file=data["file"],
                title=data["title"],
                kind=data["kind"],
                document_date=data["document_date"],
                **target,
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def content(self, request, pk=None):
        document = self.get_object()
        if not rules.may_download_document(request.user, document):
            raise PermissionDenied(_("Dit document is ingetrokken."))
        return serve_private_file(
            request._request,
            document.file,
            filename=document.original_filename,
            obj=document,
            resident=document.resident,
            content_type=document.content_type,
        )

    @action(detail=True, methods=["post"], serializer_class=DocumentWithdrawSerializer)
    def withdraw(self, request, pk=None):
        document = self.get_object()
        if not rules.may_withdraw_document(request.user, document):
            raise PermissionDenied(_("U mag dit document niet intrekken."))
        serializer = DocumentWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            document = services.document_withdraw(
                actor=request.user,
                document=document,
                reason=serializer.validated_data["reason"],
                expected_version=serializer.validated_data["version"],
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response(DocumentSerializer(documents_qs().get(pk=document.pk)).data)


def _resident_of(document):
    return document.resident
