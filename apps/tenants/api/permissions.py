from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.tenants.permissions import has_action


class HasMunicipalityAction(BasePermission):
    """The API's permission check, the same table as the pages.

    A view declares `read_action` (GET/HEAD/OPTIONS) and `write_action` (other
    methods). A view that declares nothing is closed to everyone."""

    def has_permission(self, request, view):
        user = request.user
        municipality = getattr(request._request, "municipality", None)
        if not user or not user.is_authenticated or municipality is None:
            return False
        action = getattr(
            view, "read_action" if request.method in SAFE_METHODS else "write_action", None
        )
        if action is None:
            return False
        return has_action(user, municipality, action)
