import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form without a valid CSRF token (expired, or sent from
    another site) is refused with a page in the portal's own words, not Django's
    English one. Django has logged the refusal already (`django.security.csrf`)."""
    return render(request, "403_csrf.html", status=403)


# --- error pages ---------------------------------------------------------------
# Errors raised outside DRF's views (a URL that matches no route, an exception
# Django itself turns into 400/403/500) get a page for people and, under /api/,
# the JSON body the API gives everywhere else: {"detail": "..."}.


def _is_api(request):
    return request.path.startswith(reverse("api:me").rsplit("me/", 1)[0])


def _api_error(status, message):
    return JsonResponse({"detail": str(message)}, status=status)


def bad_request(request, exception):
    if _is_api(request):
        return _api_error(400, _("Ongeldig verzoek."))
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return _api_error(403, _("U heeft geen toegang tot deze actie."))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return _api_error(404, _("Niet gevonden."))
    return defaults.page_not_found(request, exception)


# The database is away for a moment (restarted, failed over, out of connections)
# or a query was cancelled: nothing is wrong with the request, so the answer is
# a 503 with Retry-After, not a 500. Django logs it as it logs any server error
# ("Service Unavailable: <path>", with the exception) and drops the broken
# connection at the end of the request; with CONN_HEALTH_CHECKS the next
# request opens a new one.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(request):
    message = _("De toegang is even niet bereikbaar. Probeer het over een minuut opnieuw.")
    if _is_api(request):
        response = _api_error(503, message)
    else:
        # No context processors: they would ask the database that is away.
        body = loader.get_template("503.html").render({"message": message})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    # Django calls this handler while it handles the exception: it is the one
    # place that sees errors of the views, DRF's views and the middleware alike.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    if _is_api(request):
        return _api_error(500, _("Er ging iets mis op de server."))
    return defaults.server_error(request)
