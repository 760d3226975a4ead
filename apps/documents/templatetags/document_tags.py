"""The documents section of the question page and of the resident's file.

The intake app (below documents in the layers) does not know documents: its
templates include `documents/_question_documents.html` /
`documents/_resident_documents.html`, which ask these tags for the section's
context. The case page gets its section through `apps.cases.registry`
instead; intake has no such registry, and a template tag reaches the same
without intake importing anything of documents."""

from django import template

from apps.access import rules
from apps.documents.case_sections import with_permissions
from apps.documents.forms import DocumentUploadForm
from apps.documents.selectors import documents_of

register = template.Library()


def _section(user, **target) -> dict:
    if user is None or not rules.may_see_documents(user, **target):
        return {"documents_visible": False}
    may_add = rules.may_add_document(user, **target)
    return {
        "documents_visible": True,
        "documents": with_permissions(user, documents_of(**target), **target),
        "may_add_document": may_add,
        "document_form": DocumentUploadForm(auto_id="id_document_%s") if may_add else None,
    }


@register.simple_tag(takes_context=True)
def question_documents(context, question) -> dict:
    """The documents of `question` for the page's user, with the upload form
    when they may add one."""
    return _section(getattr(context.get("request"), "user", None), question=question)


@register.simple_tag(takes_context=True)
def resident_documents(context, resident) -> dict:
    """The documents on `resident`'s file (not those of their cases and
    questions, which are on those pages)."""
    return _section(getattr(context.get("request"), "user", None), resident=resident)
