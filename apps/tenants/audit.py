"""What the access log records about the person acting (`acted_as`), worked out
here because the roles and teams live here; the kernel's audit app asks through
the provider registered in TenantsConfig.ready (apps.audit.services.acted_as
caches it per request)."""

from django_scopes import scopes_disabled

from apps.audit.services import register_acted_as_provider
from apps.teams.models import Membership
from apps.tenants.permissions import Role, roles_for


def acted_as(user, municipality) -> dict:
    """What `user` is in `municipality` now: {"roles": [role codes besides
    staff], "memberships": [{"team", "team_kind", "function", "organisation"}]},
    names as text. One query (the roles are cached per request already)."""
    roles = sorted(r for r in roles_for(user, municipality) if r != Role.STAFF)
    # Explicit: the municipality passed in, whichever scope is active (as roles_for).
    with scopes_disabled():
        rows = (
            Membership.objects.active()
            .filter(
                municipality=municipality,
                team__municipality=municipality,
                staff_member__municipality=municipality,
                staff_member__user=user,
            )
            .order_by("team__name", "function", "pk")
            .values_list("team__name", "team__kind", "function", "organisation__name")
        )
        memberships = [
            {"team": team, "team_kind": kind, "function": function, "organisation": org or ""}
            for team, kind, function, org in rows
        ]
    return {"roles": roles, "memberships": memberships}


def register():
    register_acted_as_provider(acted_as)
