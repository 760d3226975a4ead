from django.utils.functional import SimpleLazyObject

from apps.core.registry import has_action, nav_counts_registered


def _nav_counts(request) -> dict:
    """The counts beside the menu items, as the domain apps register them
    (apps.core.registry; intake: new questions in the user's inboxes, decisions:
    proposals in the loket's queue). One aggregate query each, only for the
    people who hold the item's action."""
    user, municipality = request.user, request.municipality
    return {
        counter.key: counter.count(user, municipality)
        for counter in nav_counts_registered()
        if has_action(user, municipality, counter.action)
    }


def nav_counts(request):
    """`nav_counts`: computed only when a page shows the menu (lazily)."""
    user = getattr(request, "user", None)
    if getattr(request, "municipality", None) is None or user is None or not user.is_authenticated:
        return {"nav_counts": {}}
    return {"nav_counts": SimpleLazyObject(lambda: _nav_counts(request))}
