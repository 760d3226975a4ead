from django_scopes import scopes_disabled

from apps.accounts import access_version
from apps.tenants.models import Municipality, StaffMember


def municipalities_for_user(user) -> list[Municipality]:
    """The active municipalities `user` may act in (an active StaffMember
    record). Crosses municipalities on purpose: it decides which scope a request
    may enter, so it runs before any scope exists."""
    if not user.is_authenticated or not user.is_active:
        return []

    def read():
        with scopes_disabled():
            return list(
                Municipality.objects.filter(
                    is_active=True,
                    staff__user=user,
                    staff__is_active=True,
                ).order_by("name")
            )

    # Shared between requests under the person's access version, when it was
    # loaded with them (apps.accounts.access_version); a municipality or staff
    # record that changes bumps it.
    return access_version.cached(user, "municipalities", read)


def integration_user_ids(users_qs=None) -> set[int]:
    """Users who are an integration account in any municipality. Such an
    account never logs in, resets a password or gets an invitation, anywhere."""
    with scopes_disabled():
        qs = StaffMember.objects.filter(is_integration=True)
        if users_qs is not None:
            qs = qs.filter(user__in=users_qs)
        return set(qs.values_list("user_id", flat=True))


def is_integration_user(user) -> bool:
    return bool(user.pk) and user.pk in integration_user_ids([user.pk])
