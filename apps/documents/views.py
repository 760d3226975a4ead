"""The documents pages: add a document to a case, a question or a resident's
file; download one (through the logged file view); withdraw one with a reason.

Which role may see what follows what the document hangs on: a case's documents
are for `case.view` (a case one may not see: 404, as the case pages do), a
question's and a resident file's for `question.view` (not one's question or
file: 403, as the question pages do). The object rules are in
`apps.access.rules` (documents section)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.access import rules
from apps.cases.models import Case
from apps.core.edit_views import ServiceFormView
from apps.core.files import serve_private_file
from apps.core.mixins import MunicipalityRequiredMixin
from apps.documents import services
from apps.documents.content import max_request_body
from apps.documents.forms import DocumentUploadForm, DocumentWithdrawForm
from apps.documents.models import Document
from apps.documents.selectors import documents_qs
from apps.documents.targets import require_visible, target_of
from apps.intake.models import Question, Resident
from apps.tenants.permissions import Action


def target_url(target: dict) -> str:
    if "case" in target:
        return reverse("cases:detail", args=[target["case"].pk]) + "#documents-heading"
    if "question" in target:
        return reverse("intake:question_detail", args=[target["question"].pk])
    return reverse("intake:resident_detail", args=[target["resident"].pk])


class DocumentUploadView(MunicipalityRequiredMixin, ServiceFormView):
    """Add a document. Django's CSRF check reads the body before any view runs,
    so on a page the size is checked once the file is in (a temporary file past
    FILE_UPLOAD_MAX_MEMORY_SIZE); the API stops it while it streams in. No page
    is exempt from the CSRF check (tests/security/test_csrf.py)."""

    # The body an upload may have (apps.core.middleware.RequestBodyLimitMiddleware).
    max_request_body = staticmethod(max_request_body)

    form_class = DocumentUploadForm
    template_name = "documents/document_upload.html"
    success_message = gettext_lazy("Het document is toegevoegd.")
    target_model = None
    target_name = ""

    @cached_property
    def target(self) -> dict:
        obj = get_object_or_404(
            self.target_model.objects.all(), pk=self.kwargs[f"{self.target_name}_pk"]
        )
        return {self.target_name: obj}

    def before_handler(self, request):
        require_visible(request.user, request.municipality, self.target)
        if not rules.may_add_document(request.user, **self.target):
            raise PermissionDenied(_("U mag hier geen document toevoegen."))
        return super().before_handler(request)

    def call(self, form, data):
        return services.document_upload(
            actor=self.request.user,
            file=data["file"],
            title=data["title"],
            kind=data["kind"],
            document_date=data["document_date"],
            **self.target,
        )

    def get_context_data(self, **kwargs):
        obj = self.target[self.target_name]
        return super().get_context_data(
            title=_("Document toevoegen aan %(what)s") % {"what": obj},
            cancel_url=target_url(self.target),
            **kwargs,
        )

    def get_success_url(self):
        return target_url(self.target)


class CaseDocumentUploadView(DocumentUploadView):
    required_action = Action.CASE_WORK
    target_model = Case
    target_name = "case"


class QuestionDocumentUploadView(DocumentUploadView):
    required_action = Action.QUESTION_HANDLE
    target_model = Question
    target_name = "question"


class ResidentDocumentUploadView(DocumentUploadView):
    required_action = Action.QUESTION_HANDLE
    target_model = Resident
    target_name = "resident"


class DocumentMixin(MunicipalityRequiredMixin):
    """The document of the URL: 404 in another municipality (and for a case
    one may not see), 403 without the role or for a question or file one may
    not open."""

    model = Document
    required_action = Action.START_VIEW

    @cached_property
    def document(self) -> Document:
        return get_object_or_404(documents_qs(), pk=self.kwargs["pk"])

    def before_handler(self, request):
        require_visible(request.user, request.municipality, target_of(self.document))
        return super().before_handler(request)


class DocumentDownloadView(DocumentMixin, View):
    """The file, through the logged file view (DOWNLOAD, with the resident). A
    withdrawn document's file only for those who may withdraw it."""

    def get(self, request, pk):
        document = self.document
        if not rules.may_download_document(request.user, document):
            raise PermissionDenied(_("Dit document is ingetrokken."))
        return serve_private_file(
            request,
            document.file,
            filename=document.original_filename,
            obj=document,
            resident=document.resident,
            content_type=document.content_type,
        )


class DocumentWithdrawView(DocumentMixin, ServiceFormView):
    form_class = DocumentWithdrawForm
    template_name = "documents/document_withdraw.html"
    success_message = gettext_lazy("Het document is ingetrokken.")

    def before_handler(self, request):
        response = super().before_handler(request)
        if not rules.may_withdraw_document(request.user, self.document):
            raise PermissionDenied(_("U mag dit document niet intrekken."))
        return response

    def get_initial(self):
        return {"version": self.document.version}

    def call(self, form, data):
        return services.document_withdraw(
            actor=self.request.user,
            document=self.document,
            reason=data["reason"],
            expected_version=data["version"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            document=self.document,
            title=_("Document %(title)s intrekken") % {"title": self.document.title},
            cancel_url=target_url(target_of(self.document)),
            **kwargs,
        )

    def get_success_url(self):
        return target_url(target_of(self.document))
