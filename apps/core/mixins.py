"""The base of every page that acts in the active municipality."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from apps.core.http import is_htmx
from apps.core.registry import has_action, require_action

MUNICIPALITY_FIELD = "_municipality"


class MunicipalityRequiredMixin:
    """For pages that act in the active municipality: the user must be logged
    in, have an active municipality, and hold `required_action` there.

    Objects are then looked up through the scoped managers, so an id of another
    municipality simply does not exist (404)."""

    required_action: str | None = "start.view"  # Action.START_VIEW (apps.tenants.permissions)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
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
        return has_action(self.request.user, self.request.municipality, action)
