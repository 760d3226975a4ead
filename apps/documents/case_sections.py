"""The documents app's part of the case page (`apps.cases.registry`): the
case's documents with what the user may do with each, and the upload form.
Registered in `DocumentsConfig.ready()`."""

from apps.access import rules
from apps.cases.registry import register_case_section
from apps.documents.forms import DocumentUploadForm
from apps.documents.selectors import documents_of


def with_permissions(user, documents, **target) -> list:
    """The documents, each with `may_download` and `may_withdraw` (the rules
    asked once for the list)."""
    allowed = rules.document_permissions(user, documents, **target)
    for document in documents:
        document.may_download, document.may_withdraw = allowed[document.pk]
    return documents


def case_documents(case, user) -> dict:
    """`documents` of the case (one query, plus the rules' fixed few), whether
    the user may add one, and the empty upload form. Whoever sees the case
    sees its documents (docs/permissions.md, Documents)."""
    documents = with_permissions(user, documents_of(case=case), case=case)
    may_add = not case.is_closed and rules.may_add_document(user, case=case)
    return {
        "documents": documents,
        "may_add_document": may_add,
        "document_form": DocumentUploadForm(auto_id="id_document_%s") if may_add else None,
    }


def register() -> None:
    register_case_section("documents", case_documents)
