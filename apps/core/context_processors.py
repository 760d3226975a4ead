from django.utils.functional import SimpleLazyObject

from apps.tenants.permissions import Action, has_action


def _nav_counts(request) -> dict:
    """The counts beside the menu items: new questions in the user's inboxes and
    proposals in the loket's queue. One aggregate query each, only for the roles
    that have those items."""
    user, municipality = request.user, request.municipality
    counts = {}
    if has_action(user, municipality, Action.QUESTION_VIEW):
        from apps.intake.selectors import new_question_count

        counts["inbox"] = new_question_count(user, municipality)
    if has_action(user, municipality, Action.PROPOSAL_DECIDE):
        from apps.decisions.selectors import submitted_count

        counts["queue"] = submitted_count()
    return counts


def nav_counts(request):
    """`nav_counts`: computed only when a page shows the menu (lazily)."""
    user = getattr(request, "user", None)
    if getattr(request, "municipality", None) is None or user is None or not user.is_authenticated:
        return {"nav_counts": {}}
    return {"nav_counts": SimpleLazyObject(lambda: _nav_counts(request))}
