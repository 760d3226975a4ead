import sys
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.generic import TemplateView
from django_scopes import scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.core.exceptions import DomainError
from apps.core.http import is_htmx
from apps.tenants.models import Municipality
from apps.tenants.permissions import Action, require_action, roles_for
from apps.tenants.services import switch_municipality

MUNICIPALITY_FIELD = "_municipality"


class MunicipalityRequiredMixin:
    """For pages that act in the active municipality: the user must be logged
    in, have an active municipality, and hold `required_action` there.

    Objects are then looked up through the scoped managers, so an id of another
    municipality simply does not exist (404)."""

    required_action: str | None = Action.START_VIEW

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            if is_htmx(request):
                # htmx would follow the redirect and swap the login page into a
                # part of the page: have it load the login page instead, with the
                # page the person was on to come back to.
                came_from = urlsplit(request.headers.get("HX-Current-URL", ""))
                back = came_from.path + (f"?{came_from.query}" if came_from.query else "")
                login = redirect_to_login(back or request.get_full_path())
                return HttpResponse(status=401, headers={"HX-Redirect": login["Location"]})
            return redirect_to_login(request.get_full_path())
        if request.municipality is None:
            return redirect("core:no_municipality")
        if not self.posted_in_active_municipality(request):
            messages.error(
                request,
                _(
                    "Dit formulier hoorde bij een andere gemeente dan waarin u nu werkt "
                    "(u bent intussen van gemeente gewisseld). Er is niets opgeslagen."
                ),
            )
            return redirect("core:start")
        if self.required_action:
            require_action(request.user, request.municipality, self.required_action)
        return self.before_handler(request) or super().dispatch(request, *args, **kwargs)

    def before_handler(self, request):
        """After the checks above, before the handler: a response to send instead
        (e.g. a page that first asks for a reason), or None to go on."""
        return None

    @staticmethod
    def posted_in_active_municipality(request) -> bool:
        """Every form of ours carries the municipality it was rendered in
        (`includes/municipality_field.html`); a form from a tab opened before a
        switch must not save into the municipality switched to. A POST without
        the field (not one of our forms) acts in the active municipality like
        any request: this guards against mistakes, tenancy does not rest on it."""
        if request.method != "POST" or MUNICIPALITY_FIELD not in request.POST:
            return True
        return request.POST[MUNICIPALITY_FIELD] == str(request.municipality.pk)

    def has_action(self, action):
        from apps.tenants.permissions import has_action

        return has_action(self.request.user, self.request.municipality, action)


class StartView(MunicipalityRequiredMixin, TemplateView):
    """Start page: what this person does in the active municipality."""

    template_name = "core/start.html"

    def get_context_data(self, **kwargs):
        from apps.core.start import SHOWN, residents_shown, start_blocks
        from apps.teams.selectors import start_page_overview

        ctx = super().get_context_data(**kwargs)
        roles = roles_for(self.request.user, self.request.municipality)
        ctx["blocks"] = start_blocks(self.request.user, self.request.municipality, roles)
        residents = residents_shown(ctx["blocks"])
        if residents:
            log_access(
                request=self.request,
                action=AccessLogEntry.Action.VIEW,
                object_type="core.start",
                object_label=_("startpagina, %(count)s inwoners getoond")
                % {"count": len(residents)},
                resident_ids=residents,
            )
        ctx["shown"] = SHOWN
        ctx["today"] = timezone.localdate()
        if self.has_action(Action.QUESTION_VIEW):
            from apps.intake.selectors import inbox_summary

            ctx["inbox_summary"] = inbox_summary(self.request.user, self.request.municipality)
        ctx.update(
            start_page_overview(
                user=self.request.user,
                municipality=self.request.municipality,
                roles=roles,
            )
        )
        return ctx


class NoMunicipalityView(TemplateView):
    """Shown to a logged-in person without access to any active municipality."""

    template_name = "core/no_municipality.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        if request.municipality is not None:
            return redirect("core:start")
        if request.user.is_superuser:
            # A platform admin without a municipality of their own works in the admin.
            return redirect("admin:index")
        return super().dispatch(request, *args, **kwargs)


def switch_municipality_view(request):
    """POST municipality=<id>: work in another municipality from now on."""
    from apps.tenants.middleware import SESSION_KEY

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        raise PermissionDenied
    try:
        wanted = int(request.POST.get("municipality", ""))
    except ValueError:
        wanted = None
    available = request.available_municipalities
    with scopes_disabled():
        target = Municipality.objects.filter(pk=wanted).first() if wanted else None
    try:
        if target is None:
            raise DomainError(_("U heeft geen toegang tot deze gemeente."))
        switch_municipality(user=request.user, municipality=target, available=available)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("core:start")
    request.session[SESSION_KEY] = target.pk
    messages.success(request, _("U werkt nu in de gemeente %(name)s.") % {"name": target.name})
    # Back to the start page: a page of the previous municipality is not found here.
    return redirect("core:start")


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
