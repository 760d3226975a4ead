from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication


class MunicipalityTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>`. The key was already resolved (and the
    municipality scope entered) by `MunicipalityScopeMiddleware`; this class
    hands the result to DRF and refuses a key that did not resolve."""

    keyword = "Token"

    def authenticate(self, request):
        django_request = request._request
        if getattr(django_request, "api_token_invalid", False):
            raise exceptions.AuthenticationFailed(
                _("De API-sleutel is onbekend, verlopen of ingetrokken.")
            )
        token = getattr(django_request, "api_token", None)
        if token is None:
            return None
        return (token.staff_member.user, token)

    def authenticate_header(self, request):
        return self.keyword


class MunicipalityTokenScheme(OpenApiAuthenticationExtension):
    target_class = "apps.tenants.api.authentication.MunicipalityTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: a key of one municipality, issued by its admin.",
        }
