"""What a document hangs on, and the check of who may see it, shared by the
pages and the API (so both answer 403 and 404 alike): a case's documents are
for `case.view` (a case one may not see: 404, as the case pages and API do),
a question's and a resident file's for `question.view` (not one's question or
file: 403, as the question pages do). The object rules themselves are in
`apps.access.rules` (documents section)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from apps.access import rules
from apps.tenants.permissions import Action, has_action


def target_of(document) -> dict:
    """`{"case": …}`, `{"question": …}` or `{"resident": …}`: what it hangs on."""
    if document.case_id:
        return {"case": document.case}
    if document.question_id:
        return {"question": document.question}
    return {"resident": document.resident}


def target_action(target: dict) -> str:
    """The role action behind the documents of a case, a question or a file."""
    return Action.CASE_VIEW if "case" in target else Action.QUESTION_VIEW


def require_visible(user, municipality, target: dict) -> None:
    """403 without the role; a case one may not see is 404, a question or file
    one may not open 403."""
    if not has_action(user, municipality, target_action(target)):
        raise PermissionDenied(_("U mag deze documenten niet zien."))
    if not rules.may_see_documents(user, **target):
        if "case" in target:
            raise Http404
        raise PermissionDenied(_("U mag deze documenten niet zien."))
