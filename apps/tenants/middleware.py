"""Resolves the municipality a request acts in and activates its scope.

This is the one place where pages and the API enter a tenancy scope:
- a request to the API (/api/) with an API token acts in the token's
  municipality, as the token's staff member; tokens are not accepted on pages
  or the Django admin;
- a logged-in browser session acts in the user's active municipality (chosen
  with the switcher, kept in the session, and re-checked on every request so a
  deactivated access ends at once);
- a platform admin in the Django admin works across municipalities, visibly,
  with `scopes_disabled()`;
- anything else gets no scope at all: every scoped query raises, so a view that
  forgot to require a municipality fails closed instead of leaking.
"""

from django.urls import reverse
from django_scopes import scope, scopes_disabled

from apps.core import rls
from apps.core.http import client_ip
from apps.tenants.selectors import municipalities_for_user
from apps.tenants.tokens import token_from_header

SESSION_KEY = "active_municipality_id"


def resolve_session_municipality(request, available):
    if not available:
        return None
    by_id = {m.pk: m for m in available}
    chosen = by_id.get(request.session.get(SESSION_KEY))
    if chosen is None:
        chosen = by_id.get(request.user.last_municipality_id) or available[0]
        request.session[SESSION_KEY] = chosen.pk
    return chosen


class MunicipalityScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None
        self.api_prefix = None

    def __call__(self, request):
        # Code of a request that runs without a scope sees no municipality's
        # rows in the database either (apps/core/rls.py).
        with rls.application():
            return self._scoped(request)

    def _scoped(self, request):
        request.municipality = None
        request.available_municipalities = []
        request.api_token = None
        request.api_token_invalid = False

        if self.api_prefix is None:
            self.api_prefix = reverse("api:me").rsplit("me/", 1)[0]
            self.admin_prefix = reverse("admin:index")
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header and request.path.startswith(self.api_prefix):
            is_token, token = token_from_header(header, client=client_ip(request))
            if is_token:
                if token is None:
                    request.api_token_invalid = True
                else:
                    request.api_token = token
                    request.user = token.staff_member.user
                    request.municipality = token.municipality
                    request.available_municipalities = [token.municipality]
                    request._dont_enforce_csrf_checks = True

        if request.api_token is None and not request.api_token_invalid:
            user = request.user
            if user.is_authenticated:
                if user.is_superuser and request.path.startswith(self.admin_prefix):
                    with scopes_disabled():
                        return self.get_response(request)
                request.available_municipalities = municipalities_for_user(user)
                request.municipality = resolve_session_municipality(
                    request, request.available_municipalities
                )

        if request.municipality is None:
            return self.get_response(request)
        with scope(municipality=request.municipality):
            return self.get_response(request)
