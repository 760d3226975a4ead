"""What the intake's pages and API write to the access log about the lists they
show: the same entry for the same kind of read, whichever way it came in."""

from django.utils.translation import gettext as _

from apps.audit.models import AccessLogEntry
from apps.audit.services import log_list

A = AccessLogEntry.Action


def log_questions_shown(*, request, page, search_label: str, list_label: str, **names):
    """One entry per page of questions shown (`selectors.InboxPage`: an inbox
    page, a page of the API's list), naming the questions and their residents.
    With a search term it is a search, logged even when it finds nothing. The
    labels may name %(term)s, %(count)s and the `names` given."""
    search = page.filters.search
    label = (search_label if search else list_label) % {
        "term": search,
        "count": len(page.questions),
        **names,
    }
    as_search = {"action": A.SEARCH, "always": True} if search else {}
    return log_list(
        request=request,
        objects=page.questions,
        object_type="intake.question",
        object_label=label,
        **as_search,
    )


def log_resident_search(*, request, shown, term: str, **kwargs):
    """One entry per resident search, naming every resident shown (so each
    one's overview finds the search), also when it finds nobody."""
    return log_list(
        request=request,
        objects=shown,
        resident_of=lambda resident: resident.pk,
        action=A.SEARCH,
        always=True,
        object_type="intake.resident",
        object_label=_("zoekterm '%(term)s', %(count)s gevonden")
        % {"term": term, "count": len(shown)},
        **kwargs,
    )
