"""Voorwerk, the team side: drafting, changing, submitting and withdrawing a
proposal on a case. The pages keep their place under the case (URL names
`cases:proposal_*`, see `team_urls.py`); the loket's side is `views.py`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.cases.pages import CaseChildMixin, CaseFormView, worker_flags
from apps.core.edit_views import ServiceFormView
from apps.core.exceptions import DomainError
from apps.core.http import parse_id, posted_version
from apps.decisions import services
from apps.decisions.forms import ProposalForm
from apps.decisions.models import Decision, Proposal, Provision, ProvisionType
from apps.tenants.permissions import Action

A = AccessLogEntry.Action


class ProposalCreateView(CaseFormView):
    form_class = ProposalForm
    template_name = "decisions/proposal_form.html"
    title = gettext_lazy("Voorstel maatwerkvoorziening bij %(case)s")

    def get_form_kwargs(self):
        chosen = None
        pk = parse_id(self.request.GET.get("voorziening"))
        if pk is not None:
            chosen = ProvisionType.objects.filter(pk=pk, is_active=True).first()
        follows = None
        pk = parse_id(self.request.GET.get("herziet"))
        if pk is not None:
            follows = Provision.objects.filter(
                pk=pk, household_id=self.case.household_id, status=Provision.Status.ACTIVE
            ).first()
        kwargs = super().get_form_kwargs()
        kwargs["initial"].pop("version", None)
        return {**kwargs, "case": self.case, "chosen": chosen, "follows": follows}

    success_message = gettext_lazy("Het voorstel is opgeslagen als concept.")

    def call(self, form, data):
        return services.proposal_draft(
            actor=self.request.user,
            case=self.case,
            provision_type=data["provision_type"],
            **form.values(),
        )

    def get_success_url(self):
        return reverse("cases:proposal_detail", args=[self.result.pk])


class ProposalMixin(CaseChildMixin):
    model = Proposal

    def child_queryset(self):
        return Proposal.objects.select_related(
            "provision_type",
            "provider",
            "resident",
            "assigned_consultant__user",
            "plan",
            "case",
            "revises__provision_type",
        )

    def proposal_url(self):
        return reverse("cases:proposal_detail", args=[self.obj.pk])


class ProposalDetailView(ProposalMixin, TemplateView):
    template_name = "decisions/proposal_detail.html"

    def get_context_data(self, **kwargs):
        proposal, user = self.obj, self.request.user
        log_access(request=self.request, action=A.VIEW, obj=proposal, resident=proposal.resident)
        decisions = list(
            Decision.objects.filter(proposal=proposal)
            .select_related("consultant__user", "letter")
            .order_by("decided_at", "pk")
        )
        returned = next(
            (d for d in reversed(decisions) if d.outcome == Decision.Outcome.RETURNED),
            None,
        )
        flags = worker_flags(user, self.case)
        return super().get_context_data(
            case=self.case,
            proposal=proposal,
            decisions=decisions,
            return_question=returned if proposal.status == Proposal.Status.RETURNED else None,
            days_left=proposal.days_left(),
            **flags,
            **kwargs,
        )


class ProposalEditView(ProposalMixin, ServiceFormView):
    required_action = Action.CASE_WORK
    work = True
    form_class = ProposalForm
    template_name = "decisions/proposal_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case, "proposal": self.obj}

    def get(self, request, *args, **kwargs):
        # The form shows the proposal's contents: a look at the resident's file.
        log_access(request=request, action=A.VIEW, obj=self.obj, resident=self.obj.resident)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case,
            proposal=self.obj,
            title=_("%(proposal)s wijzigen") % {"proposal": self.obj},
            cancel_url=self.proposal_url(),
            **kwargs,
        )

    success_message = gettext_lazy("Het voorstel is opgeslagen.")

    def call(self, form, data):
        return services.proposal_update(
            actor=self.request.user,
            proposal=self.obj,
            expected_version=data["version"],
            provision_type=data["provision_type"],
            **form.values(),
        )

    def get_success_url(self):
        return self.proposal_url()


class ProposalPostView(ProposalMixin, View):
    required_action = Action.CASE_WORK
    work = True

    def post(self, request, *args, **kwargs):
        try:
            message = self.act(posted_version(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, message)
        return redirect(self.proposal_url())


class ProposalSubmitView(ProposalPostView):
    def act(self, version):
        proposal = services.proposal_submit(
            actor=self.request.user, proposal=self.obj, expected_version=version
        )
        if proposal.assigned_consultant_id:
            return _("Het voorstel is ingediend bij %(name)s.") % {
                "name": proposal.assigned_consultant.user.full_name
            }
        return _("Het voorstel is ingediend in de wachtrij van het loket.")


class ProposalWithdrawView(ProposalPostView):
    def act(self, version):
        services.proposal_withdraw(
            actor=self.request.user, proposal=self.obj, expected_version=version
        )
        return _("Het voorstel is ingetrokken.")
