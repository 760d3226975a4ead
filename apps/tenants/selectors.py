from django_scopes import scopes_disabled

from apps.tenants.models import Municipality


def municipalities_for_user(user) -> list[Municipality]:
    """The active municipalities `user` may act in (an active StaffMember
    record). Crosses municipalities on purpose: it decides which scope a request
    may enter, so it runs before any scope exists."""
    if not user.is_authenticated or not user.is_active:
        return []
    with scopes_disabled():
        return list(
            Municipality.objects.filter(
                is_active=True,
                staff__user=user,
                staff__is_active=True,
            ).order_by("name")
        )
