"""What the access log records about the person acting (`acted_as`), worked out
here because the roles and teams live here; the kernel's audit app asks through
the provider registered in TenantsConfig.ready (apps.audit.services.acted_as
caches it per request)."""

from apps.audit.services import register_acted_as_provider
from apps.tenants.permissions import Role, identity_for


def acted_as(user, municipality) -> dict:
    """What `user` is in `municipality` now: {"roles": [role codes besides
    staff], "memberships": [{"team", "team_kind", "function", "organisation"}]},
    names as text; read with the roles, once per request (`identity_for`), in
    the order team name, function."""
    identity = identity_for(user, municipality)
    return {
        "roles": sorted(r for r in identity.roles if r != Role.STAFF),
        "memberships": [
            {
                "team": m.team_name,
                "team_kind": m.team_kind,
                "function": m.function,
                "organisation": m.organisation,
            }
            for m in identity.memberships
        ],
    }


def register():
    register_acted_as_provider(acted_as)
