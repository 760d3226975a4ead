"""The portal's own pages: the start page, "no municipality" and the switcher."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_scopes import scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.core.exceptions import DomainError
from apps.core.mixins import MunicipalityRequiredMixin
from apps.intake.selectors import inbox_summary
from apps.portal.start import SHOWN, residents_shown, start_blocks
from apps.teams.selectors import start_page_overview
from apps.tenants.middleware import SESSION_KEY
from apps.tenants.models import Municipality
from apps.tenants.permissions import Action, roles_for
from apps.tenants.services import switch_municipality


class StartView(MunicipalityRequiredMixin, TemplateView):
    """Start page: what this person does in the active municipality."""

    template_name = "core/start.html"

    def get_context_data(self, **kwargs):
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
