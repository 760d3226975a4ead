"""Pages of a provision's lifecycle (#21 part 2): the provisions of a resident,
one provision with its events, and suspending and resuming it (the mandated
loket). A withdrawal or change is proposed on the case (`cases:proposal_create`
with `herziet`) and decided by the loket through `proposal_decide`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.access import rules
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access, log_list
from apps.core.edit_views import ServiceFormView
from apps.core.mixins import MunicipalityRequiredMixin
from apps.decisions import selectors, services
from apps.decisions.models import Proposal, Provision
from apps.decisions.provision_forms import (
    ProvisionResumeForm,
    ProvisionSuspendForm,
    WithdrawalForm,
)
from apps.decisions.views import refusal
from apps.intake.models import Resident
from apps.tenants.permissions import Action

A = AccessLogEntry.Action


class ResidentProvisionsView(MunicipalityRequiredMixin, TemplateView):
    """Voorzieningen van <inwoner>: every provision, current and past."""

    model = Resident
    required_action = Action.CASE_VIEW
    template_name = "decisions/resident_provisions.html"

    def get_context_data(self, **kwargs):
        resident = get_object_or_404(Resident.objects.all(), pk=self.kwargs["pk"])
        if not rules.may_see_resident_provisions(self.request.user, resident):
            raise Http404
        provisions = selectors.resident_provisions(self.request.user, resident)
        log_list(
            request=self.request,
            objects=provisions,
            object_type="decisions.provision",
            object_label=_("voorzieningen van een inwoner, %(count)s getoond")
            % {"count": len(provisions)},
            resident_id=resident.pk,
        )
        return super().get_context_data(
            resident=resident, provisions=provisions, limit=selectors.LIST_LIMIT, **kwargs
        )


class ProvisionMixin(MunicipalityRequiredMixin):
    """Loads the provision: 404 outside the municipality and for whoever may
    not see its case."""

    model = Provision
    required_action = Action.CASE_VIEW

    @cached_property
    def provision(self):
        provision = get_object_or_404(
            selectors.provisions_with_history().select_related("case__team"),
            pk=self.kwargs["pk"],
        )
        if not rules.can_view_provision(self.request.user, provision):
            raise Http404
        return provision


class ProvisionDetailView(ProvisionMixin, TemplateView):
    template_name = "decisions/provision_detail.html"

    def get_context_data(self, **kwargs):
        provision, user = self.provision, self.request.user
        log_access(request=self.request, action=A.VIEW, obj=provision)
        pending = (
            Proposal.objects.filter(revises=provision)
            .exclude(status__in=(Proposal.Status.DECIDED, Proposal.Status.WITHDRAWN))
            .order_by("pk")
        )
        return super().get_context_data(
            provision=provision,
            events=list(provision.events.all()),
            pending=list(pending),
            may_suspend=provision.is_running and rules.may_suspend_provision(user, provision),
            # The team proposes; the mandated loket withdraws on its own initiative.
            may_propose=provision.is_running
            and (
                rules.is_case_worker(user, provision.case)
                or rules.may_suspend_provision(user, provision)
            ),
            **kwargs,
        )


class ProvisionChangeView(ProvisionMixin, ServiceFormView):
    """Suspend or resume: a form posted to the service, whose refusal (no
    mandate) is the refusal page (403)."""

    template_name = "core/edit_form.html"
    required_action = Action.PROPOSAL_DECIDE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and getattr(request, "municipality", None):
            try:
                self.provision  # noqa: B018 - the 404 before the 403
                services.require_provision_mandate(request.user, self.provision)
            except PermissionDenied as exc:
                return refusal(request, str(exc))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"version": self.provision.version}

    def get_success_url(self):
        return reverse("decisions:provision_detail", args=[self.provision.pk])

    def get(self, request, *args, **kwargs):
        # The title names the provision and so its resident: showing the form
        # is a logged read (its return with errors shows what was just logged).
        log_access(request=request, action=A.VIEW, obj=self.provision)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title % {"provision": self.provision},
            cancel_url=self.get_success_url(),
            **kwargs,
        )


class ProvisionSuspendView(ProvisionChangeView):
    form_class = ProvisionSuspendForm

    @property
    def title(self):
        return _("%(provision)s opschorten")

    def call(self, form, data):
        return services.provision_suspend(
            actor=self.request.user,
            provision=self.provision,
            date=data["date"],
            reason=data["reason"],
            expected_version=data["version"],
        )

    def get_success_message(self, result):
        return _("De voorziening is opgeschort vanaf %(date)s.") % {
            "date": date_format(result.suspended_since, "SHORT_DATE_FORMAT")
        }


class ProvisionResumeView(ProvisionChangeView):
    form_class = ProvisionResumeForm

    @property
    def title(self):
        return _("%(provision)s hervatten")

    def call(self, form, data):
        return services.provision_resume(
            actor=self.request.user,
            provision=self.provision,
            date=data["date"],
            reason=data["reason"],
            expected_version=data["version"],
        )

    success_message = gettext_lazy("De voorziening loopt weer.")


class ProvisionWithdrawView(ProvisionMixin, ServiceFormView):
    """Voorstel tot intrekking on the provision's case, by who works on it (the
    team as voorwerk, or the loket on its own path); the loket decides it."""

    template_name = "core/edit_form.html"
    form_class = WithdrawalForm
    required_action = Action.CASE_WORK

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and getattr(request, "municipality", None):
            # Who works on the case proposes it; a mandated loket consultant
            # prepares it on the loket's own initiative, for any team's case.
            self.by_loket = not rules.is_case_worker(
                request.user, self.provision.case
            ) and rules.may_suspend_provision(request.user, self.provision)
            if not self.by_loket and not rules.is_case_worker(request.user, self.provision.case):
                return refusal(
                    request,
                    _(
                        "Alleen wie aan de casus werkt, of een consulent van het loket met "
                        "mandaat, kan een intrekking voorstellen."
                    ),
                )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        log_access(request=request, action=A.VIEW, obj=self.provision)  # as ProvisionChangeView
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Intrekking voorstellen van %(provision)s") % {"provision": self.provision},
            cancel_url=reverse("decisions:provision_detail", args=[self.provision.pk]),
            **kwargs,
        )

    def call(self, form, data):
        if getattr(self, "by_loket", False):
            return services.withdrawal_by_loket(
                actor=self.request.user,
                provision=self.provision,
                end_date=data["end_date"],
                motivation=data["motivation"],
            )
        return services.withdrawal_draft(
            actor=self.request.user,
            case=self.provision.case,
            revises=self.provision,
            end_date=data["end_date"],
            motivation=data["motivation"],
        )

    success_message = gettext_lazy(
        "Het voorstel tot intrekking is opgeslagen als concept; dien het in bij het loket."
    )

    def get_success_message(self, result):
        if getattr(self, "by_loket", False):
            return _("De intrekking ligt klaar in de wachtrij van het loket: neem het besluit.")
        return self.success_message

    def get_success_url(self):
        if getattr(self, "by_loket", False):
            return reverse("decisions:review", args=[self.result.pk])
        return reverse("cases:proposal_detail", args=[self.result.pk])
