from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.accounts.services import has_two_factor
from apps.core.edit_views import ScopedEditView
from apps.core.exceptions import DomainError
from apps.core.forms import REFUSED, call_service
from apps.core.http import parse_id
from apps.core.mixins import MunicipalityRequiredMixin
from apps.teams.selectors import membership_list, role_history, staff_list
from apps.tenants import services
from apps.tenants.forms import (
    AccessLogRetentionForm,
    ApiTokenForm,
    OwnApiTokenForm,
    StaffInviteForm,
    StaffRolesForm,
)
from apps.tenants.models import ApiToken, StaffMember
from apps.tenants.permissions import Action


class StaffListView(MunicipalityRequiredMixin, TemplateView):
    required_action = Action.STAFF_MANAGE
    template_name = "tenants/staff_list.html"

    def get_context_data(self, **kwargs):
        show_inactive = self.request.GET.get("inactive") == "1"
        staff = staff_list()
        if not show_inactive:
            staff = staff.filter(is_active=True)
        return super().get_context_data(staff=staff, show_inactive=show_inactive, **kwargs)


class AccessLogRetentionView(MunicipalityRequiredMixin, FormView):
    """/beheer/toegangslog/bewaartermijn/: how long this municipality keeps its
    access log (apps.audit.services.access_log_purge removes what is older)."""

    required_action = Action.CONFIGURATION_MANAGE
    template_name = "core/edit_form.html"
    form_class = AccessLogRetentionForm
    extra_context = {"title": gettext_lazy("Bewaartermijn toegangslog")}

    def get_initial(self):
        return {"access_log_retention_years": self.request.municipality.access_log_retention_years}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=reverse("audit:log"), **kwargs)

    def form_valid(self, form):
        years = form.cleaned_data["access_log_retention_years"]
        done = call_service(
            form,
            lambda: services.access_log_retention_set(
                actor=self.request.user, municipality=self.request.municipality, years=years
            ),
        )
        if done is REFUSED:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Het toegangslog wordt voortaan %(years)s jaar bewaard.") % {"years": years},
        )
        return HttpResponseRedirect(reverse("audit:log"))


class StaffInviteView(MunicipalityRequiredMixin, FormView):
    required_action = Action.STAFF_MANAGE
    template_name = "core/edit_form.html"
    form_class = StaffInviteForm
    extra_context = {"title": gettext_lazy("Medewerker uitnodigen")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=reverse("tenants:staff_list"), **kwargs)

    def form_valid(self, form):
        staff = call_service(
            form,
            lambda: services.staff_invite(
                actor=self.request.user,
                municipality=self.request.municipality,
                **form.cleaned_data,
            ),
            domain_error_field="email",
        )
        if staff is REFUSED:
            return self.form_invalid(form)
        # Echo what was entered: an existing account's name as another
        # municipality stored it is not this admin's to see.
        if staff.is_integration:
            text = _(
                "Koppelingsaccount %(email)s is aangemaakt; geef er nu een API-sleutel voor uit."
            )
        else:
            text = _("%(email)s heeft toegang tot %(municipality)s en krijgt daarover een e-mail.")
        messages.success(
            self.request,
            text % {"email": form.cleaned_data["email"], "municipality": self.request.municipality},
        )
        return HttpResponseRedirect(reverse("tenants:staff_edit", args=[staff.pk]))


class StaffEditView(ScopedEditView):
    required_action = Action.STAFF_MANAGE
    model = StaffMember
    form_class = StaffRolesForm
    template_name = "tenants/staff_edit.html"
    success_url_name = "tenants:staff_list"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["memberships"] = membership_list().filter(staff_member=self.get_object())
        staff = self.get_object()
        # Only who may reset it sees the state: of someone who also works for
        # another municipality it is not this municipality's to see.
        refusal = services.two_factor_reset_refusal(actor=self.request.user, staff=staff)
        ctx["two_factor_reset_refusal"] = refusal
        ctx["has_two_factor"] = has_two_factor(staff.user) if refusal is None else None
        ctx["role_history"] = role_history(staff)
        ctx["is_self"] = staff.user_id == self.request.user.pk
        return ctx

    def save(self, form, instance):
        services.staff_update(
            actor=self.request.user,
            staff=instance,
            is_municipality_admin=form.cleaned_data["is_municipality_admin"],
            is_policy_advisor=form.cleaned_data["is_policy_advisor"],
            expected_version=form.expected_version,
        )


class StaffSetActiveView(MunicipalityRequiredMixin, View):
    """POST only: deactivate or reactivate a person's access to this municipality."""

    model = StaffMember
    required_action = Action.STAFF_MANAGE
    activate = False

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk):
        staff = get_object_or_404(StaffMember.objects.select_related("user"), pk=pk)
        version = parse_id(request.POST.get("version"))
        if version is None:
            messages.error(request, _("Het formulier mist de versie; laad de pagina opnieuw."))
            return redirect("tenants:staff_edit", pk=staff.pk)
        try:
            services.staff_set_active(
                actor=request.user,
                staff=staff,
                is_active=self.activate,
                expected_version=version,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("tenants:staff_edit", pk=staff.pk)
        if self.activate:
            messages.success(request, _("%(name)s heeft weer toegang.") % {"name": staff.user})
        else:
            messages.success(
                request, _("De toegang van %(name)s is ingetrokken.") % {"name": staff.user}
            )
        return redirect("tenants:staff_list")


class ApiTokenPageMixin:
    """A list of keys with a form to issue one. The key is shown once: after
    the POST that issued it (post/redirect/get, so a reload issues nothing)
    it waits in the session for the one page view that pops it. Issuing asks
    for the person's password again; a session whose account gets locked doing
    so (django-axes) is logged out, and axes shows the lock page."""

    SESSION_KEY = "new_api_key"
    success_url_name: str

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get(self, request, *args, **kwargs):
        new = request.session.pop(self.SESSION_KEY, None)
        context = self.get_context_data()
        if new:
            context.update(new_key=new["key"], new_token_name=new["name"])
        return self.no_store(self.render_to_response(context))

    @staticmethod
    def no_store(response):
        response["Cache-Control"] = "no-store"
        return response

    def form_invalid(self, form):
        if getattr(self.request, "axes_locked_out", False):
            logout(self.request)
        return self.no_store(super().form_invalid(form))

    def issue(self, form, staff_member):
        try:
            token, key = services.api_token_create(
                actor=self.request.user,
                municipality=self.request.municipality,
                staff_member=staff_member,
                name=form.cleaned_data["name"],
                expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        self.request.session[self.SESSION_KEY] = {"key": key, "name": token.name}
        return redirect(self.success_url_name)


class ApiTokenListView(ApiTokenPageMixin, MunicipalityRequiredMixin, FormView):
    """The municipality's API keys (`api_token.manage`): a key for the admin
    themselves or for an integration account."""

    required_action = Action.API_TOKEN_MANAGE
    template_name = "tenants/api_tokens.html"
    form_class = ApiTokenForm
    success_url_name = "tenants:api_tokens"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_context_data(self, **kwargs):
        tokens = ApiToken.objects.select_related("staff_member__user").order_by("-created_at")
        return super().get_context_data(tokens=tokens, now=timezone.now(), **kwargs)

    def form_valid(self, form):
        return self.issue(form, form.cleaned_data["staff_member"])


class ApiTokenRevokeView(MunicipalityRequiredMixin, View):
    model = ApiToken
    required_action = Action.API_TOKEN_MANAGE

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk):
        token = get_object_or_404(ApiToken.objects.all(), pk=pk)
        services.api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("De sleutel %(name)s is ingetrokken.") % {"name": token})
        return redirect("tenants:api_tokens")


class OwnApiTokenMixin:
    """Pages of one's own keys (`api_token.own`): `self.own_staff` is the
    person's access to the active municipality; an integration account gets
    403. Comes after MunicipalityRequiredMixin, which checks the view's
    `required_action` (api_token.own) first."""

    def dispatch(self, request, *args, **kwargs):
        self.own_staff = services.api_token_own_access(
            actor=request.user, municipality=request.municipality
        )
        return super().dispatch(request, *args, **kwargs)

    def own_tokens(self):
        # Only keys that act as this person here; a colleague's key id is not found (404).
        return ApiToken.objects.filter(staff_member=self.own_staff)


class OwnApiTokenListView(ApiTokenPageMixin, MunicipalityRequiredMixin, OwnApiTokenMixin, FormView):
    """Mijn API-sleutels: a person's own keys in the active municipality."""

    required_action = Action.API_TOKEN_OWN
    template_name = "tenants/own_api_tokens.html"
    form_class = OwnApiTokenForm
    success_url_name = "tenants:own_api_tokens"
    SESSION_KEY = "new_own_api_key"

    def get_context_data(self, **kwargs):
        tokens = self.own_tokens().order_by("-created_at")
        return super().get_context_data(tokens=tokens, now=timezone.now(), **kwargs)

    def form_valid(self, form):
        return self.issue(form, self.own_staff)


class OwnApiTokenRevokeView(MunicipalityRequiredMixin, OwnApiTokenMixin, View):
    model = ApiToken
    required_action = Action.API_TOKEN_OWN

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk):
        token = get_object_or_404(self.own_tokens(), pk=pk)
        services.api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("Uw sleutel %(name)s is ingetrokken.") % {"name": token})
        return redirect("tenants:own_api_tokens")


class StaffActionView(MunicipalityRequiredMixin, View):
    """POST only: one service call on a person's access (`act`), its refusal or
    `success_message` shown on the person's page."""

    model = StaffMember
    required_action = Action.STAFF_MANAGE

    def act(self, staff: StaffMember) -> None:
        raise NotImplementedError

    def success_message(self, staff: StaffMember) -> str:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk):
        staff = get_object_or_404(StaffMember.objects.select_related("user"), pk=pk)
        try:
            self.act(staff)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, self.success_message(staff))
        return redirect("tenants:staff_edit", pk=staff.pk)


class StaffResendInvitationView(StaffActionView):
    def act(self, staff):
        services.staff_resend_invitation(actor=self.request.user, staff=staff)

    def success_message(self, staff):
        return _("Er is een nieuwe uitnodiging verstuurd.")


class StaffTwoFactorResetView(StaffActionView):
    """POST only: remove a person's authenticator app, so they set up a new one
    at their next login (a lost phone)."""

    required_action = Action.TWO_FACTOR_RESET

    def act(self, staff):
        services.staff_two_factor_reset(actor=self.request.user, staff=staff)

    def success_message(self, staff):
        return _(
            "De tweestapsverificatie van %(name)s is gewist. Bij de volgende keer "
            "inloggen stelt deze persoon een nieuwe authenticator-app in."
        ) % {"name": staff.user}
