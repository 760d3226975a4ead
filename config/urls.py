from csp.constants import NONCE, SELF
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from apps.accounts.views import platform_admin_login
from apps.cases import urls as cases_urls
from apps.core.health import healthz, readyz
from apps.decisions import team_urls as voorwerk_urls
from apps.tenants.api import schema as me_schema  # noqa: F401 - applies the OpenAPI description
from apps.tenants.api.views import MeView

# The API docs pages run drf-spectacular's inline set-up code: their templates
# (templates/drf_spectacular/) mark it with the request's nonce, which these
# two views add to script-src and style-src. ReDoc also adds its styles at
# runtime (with the nonce passed to it) and runs its search in a worker from a
# blob: URL. Still no 'unsafe-inline' or 'unsafe-eval'; the portal's own pages
# use no nonce at all.
docs_csp = csp_update({"script-src": [NONCE], "style-src": [NONCE]})
redoc_csp = csp_update({"script-src": [NONCE], "style-src": [NONCE], "worker-src": [SELF, "blob:"]})

api_v1 = [
    path("me/", MeView.as_view(), name="me"),
    path("", include("apps.teams.api.urls")),
    path("", include("apps.intake.api.urls")),
    path("", include("apps.cases.api.urls")),
    path("", include("apps.decisions.api.urls")),
    path("", include("apps.reporting.api.urls")),
    path("", include("apps.documents.api.urls")),
    path("", include("apps.agenda.api.urls")),
    path("", include("apps.letters.api.urls")),
    # The schema and its docs describe the API; they contain no municipality data.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "docs/",
        docs_csp(
            SpectacularSwaggerView.as_view(url_name="api:schema", permission_classes=[AllowAny])
        ),
        name="docs",
    ),
    path(
        "redoc/",
        redoc_csp(
            SpectacularRedocView.as_view(url_name="api:schema", permission_classes=[AllowAny])
        ),
        name="redoc",
    ),
]

urlpatterns = [
    # Liveness and readiness (apps.core.health): no login, no municipality data.
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Before the admin's own URLs: its login page would skip the second factor.
    path("platformbeheer/login/", platform_admin_login, name="platform_admin_login"),
    path("platformbeheer/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("apps.accounts.urls")),
    path("", include("apps.tenants.urls")),
    path("", include("apps.teams.urls")),
    path("", include("apps.intake.urls")),
    path("", include("apps.intake.config_urls")),
    # The voorwerk pages (decisions) keep their place under the case: one
    # `cases` namespace for both.
    path("", include((cases_urls.urlpatterns + voorwerk_urls.urlpatterns, "cases"))),
    path("", include("apps.decisions.urls")),
    path("", include("apps.reporting.urls")),
    path("", include("apps.documents.urls")),
    path("", include("apps.agenda.urls")),
    path("", include("apps.letters.urls")),
    path("", include("apps.portal.audit_urls")),
    path("", include("apps.portal.urls")),
]

handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
