"""Pages of the loket's side: the review queue, deciding on a proposal, the
decision and its letter, the deadlines, and the provision catalogue (in
`config_views`). Every write goes through `apps.decisions.services`; deciding
only through `proposal_decide`, which holds rule 1 (only a loket consultant
mandated for the law decides)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from apps.access import rules
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access, log_list
from apps.core.edit_views import ServiceFormView
from apps.core.files import serve_private_file
from apps.core.forms import REFUSED, call_service
from apps.core.mixins import MunicipalityRequiredMixin
from apps.decisions import selectors, services
from apps.decisions.forms import (
    DeadlineChangeForm,
    DecideForm,
    ObjectionDecideForm,
    ObjectionDecisionFindForm,
    ObjectionExtendForm,
    ObjectionForm,
    ObjectionWithdrawForm,
    PersonalPlanForm,
)
from apps.decisions.models import (
    Decision,
    DecisionLetter,
    Objection,
    ObjectionDecision,
    ObjectionLetter,
    Proposal,
)
from apps.intake import services as intake_services
from apps.intake.mixins import QuestionObjectMixin
from apps.teams.models import Law
from apps.tenants.permissions import Action, require_action

A = AccessLogEntry.Action


class QueueView(MunicipalityRequiredMixin, TemplateView):
    """The loket's review queue: proposals offered to me, to the loket, and to
    colleagues, each by decision deadline."""

    required_action = Action.PROPOSAL_DECIDE
    template_name = "decisions/queue.html"

    def get_context_data(self, **kwargs):
        staff = selectors.staff_of(self.request.user, self.request.municipality)
        my_laws = rules.mandated_laws(self.request.user, self.request.municipality)
        queue = selectors.review_queue(staff)
        shown = [*queue.mine, *queue.unassigned, *queue.colleagues]
        log_list(
            request=self.request,
            objects=shown,
            resident_of=lambda proposal: proposal.resident_id,
            object_type="decisions.proposal",
            object_label=_("wachtrij van het loket, %(count)s getoond") % {"count": len(shown)},
        )
        return super().get_context_data(
            queue=queue,
            my_laws=my_laws,
            my_law_labels=[law.label for law in Law if law in my_laws],
            limit=selectors.LIST_LIMIT,
            today=timezone.localdate(),
            **kwargs,
        )


def refusal(request, message):
    """The page of a refused decision (rule 1), with the service's own words."""
    return render(request, "decisions/refused.html", {"message": message}, status=403)


class ProposalMixin(MunicipalityRequiredMixin):
    """Loads the proposal: 404 outside the municipality or before it was offered
    to the loket."""

    model = Proposal

    @cached_property
    def proposal(self):
        proposal = get_object_or_404(
            Proposal.objects.select_related(
                "case__team",
                "case__household",
                "case__director__user",
                "resident",
                "provision_type",
                "provider",
                "plan",
                "drafted_by__user",
                "submitted_by__user",
                "assigned_consultant__user",
                "updated_by__user",
            ),
            pk=self.kwargs["pk"],
        )
        # Before it is offered to the loket only those who see its case (the
        # linked consultant) find it here; else it does not exist for the loket.
        if not rules.reviewable_by_loket(proposal) and not rules.can_view_case(
            self.request.user, proposal.case
        ):
            raise Http404
        return proposal


class ReviewView(ProposalMixin, TemplateView):
    """The proposal in full and the decide form. Reading needs proposal.decide;
    a decision posted by anyone goes to the service, whose refusal is shown."""

    required_action = None  # GET checks below; POST is the service's to refuse
    template_name = "decisions/review.html"

    def get(self, request, *args, **kwargs):
        require_action(request.user, request.municipality, Action.PROPOSAL_DECIDE)
        log_access(request=request, action=A.VIEW, obj=self.proposal)
        return self.render_to_response(self.get_context_data(form=self._form()))

    def _form(self, data=None):
        return DecideForm(data, proposal=self.proposal)

    def post(self, request, *args, **kwargs):
        try:
            # The service's own check first (proposal_decide repeats it): whoever may
            # not decide gets its refusal, whatever they typed.
            services.require_mandate(request.user, self.proposal)
            form = self._form(request.POST)
            decision = self._decide(form) if form.is_valid() else REFUSED
        except PermissionDenied as exc:
            return refusal(request, str(exc))
        if decision is REFUSED:
            return self.render_to_response(self.get_context_data(form=form))
        if decision.outcome == Decision.Outcome.RETURNED:
            messages.success(
                request,
                _("Het voorstel is met uw vraag teruggestuurd naar %(team)s.")
                % {"team": self.proposal.case.team},
            )
            return redirect("decisions:queue")
        messages.success(
            request,
            _("Besloten: %(outcome)s. De besluitbrief wordt gemaakt.")
            % {"outcome": decision.outcome_label},
        )
        return redirect("decisions:detail", pk=decision.pk)

    def _decide(self, form):
        """The decision the valid form asks for, through `proposal_decide`; REFUSED
        (with the service's messages on the form) when the service refuses it."""
        data = form.cleaned_data
        return call_service(
            form,
            lambda: services.proposal_decide(
                actor=self.request.user,
                proposal=self.proposal,
                outcome=data["outcome"],
                reasons=data["reasons"],
                expected_version=data["version"],
                **form.changes(),
            ),
        )

    def get_context_data(self, **kwargs):
        proposal = self.proposal
        request = self.request
        return super().get_context_data(
            proposal=proposal,
            **selectors.proposal_review(proposal),
            mandated=proposal.provision_type.law
            in rules.mandated_laws(request.user, request.municipality),
            may_view_case=rules.can_view_case(request.user, proposal.case),
            today=timezone.localdate(),
            **kwargs,
        )


class DeadlineChangeView(ServiceFormView):
    """Suspend or extend a statutory deadline, with the reason and the new date:
    the page of a proposal's decision deadline and of a question's
    investigation deadline. A subclass names the subject, its deadline and the
    texts."""

    template_name = "core/edit_form.html"
    form_class = DeadlineChangeForm
    title = ""  # with %(n)s and %(date)s
    done = ""  # with %(kind)s and %(date)s
    subject_name = ""  # "proposal" or "question": the view's attribute and the service's
    deadline_field = ""  # the subject's deadline
    success_url_name = ""  # the subject's page, with its pk

    def subject(self) -> dict:
        """The `proposal=` or `question=` of the service call."""
        return {self.subject_name: getattr(self, self.subject_name)}

    def deadline(self):
        return getattr(getattr(self, self.subject_name), self.deadline_field)

    def get_success_url(self):
        return reverse(self.success_url_name, args=[getattr(self, self.subject_name).pk])

    def get_context_data(self, **kwargs):
        deadline = self.deadline()
        return super().get_context_data(
            title=self.title
            % {
                "n": next(iter(self.subject().values())).pk,
                "date": date_format(deadline, "SHORT_DATE_FORMAT") if deadline else "—",
            },
            cancel_url=self.get_success_url(),
            **kwargs,
        )

    def call(self, form, data):
        return services.deadline_change(
            actor=self.request.user,
            kind=data["kind"],
            new_date=data["new_date"],
            reason=data["reason"],
            **self.subject(),
        )

    def get_success_message(self, result):
        return self.done % {
            "kind": result.get_kind_display(),
            "date": date_format(result.new_date, "SHORT_DATE_FORMAT"),
        }


class ProposalDeadlineView(ProposalMixin, DeadlineChangeView):
    """The decision deadline of a submitted proposal (the loket)."""

    required_action = Action.PROPOSAL_DECIDE
    title = gettext_lazy("Beslistermijn van voorstel %(n)s opschorten of verlengen (nu: %(date)s)")
    done = gettext_lazy("De beslistermijn is %(kind)s tot %(date)s.")
    subject_name = "proposal"
    deadline_field = "decision_deadline"
    success_url_name = "decisions:review"


class DecisionMixin(MunicipalityRequiredMixin):
    """Loads the decision: 404 outside the municipality and for whoever may not
    see its case."""

    model = Decision
    required_action = Action.CASE_VIEW

    @cached_property
    def decision(self):
        decision = get_object_or_404(
            Decision.objects.select_related(
                "case__team",
                "resident",
                "provision_type",
                "provider",
                "consultant__user",
                "mandate__team",
                "proposal",
            ),
            pk=self.kwargs["pk"],
        )
        if not rules.can_view_case(self.request.user, decision.case):
            raise Http404
        return decision


class DecisionDetailView(DecisionMixin, TemplateView):
    """A decision as issued: never editable (a change is a new decision)."""

    template_name = "decisions/decision_detail.html"

    def get_context_data(self, **kwargs):
        decision = self.decision
        log_access(request=self.request, action=A.VIEW, obj=decision)
        return super().get_context_data(
            decision=decision,
            letter=DecisionLetter.objects.filter(decision=decision).first(),
            provision=getattr(decision, "provision", None) if decision.is_grant else None,
            decided_on=timezone.localdate(decision.decided_at),
            # Objections (#21 part 3): against this decision, and who registers one.
            objections=list(
                decision.objections.select_related("result").order_by("received_on", "pk")
            ),
            may_register_objection=decision.is_final
            and rules.may_handle_objections(self.request.user, self.request.municipality),
            **kwargs,
        )


class DecisionLetterView(DecisionMixin, View):
    """Download the letter (logged by serve_private_file); 404 until it is built."""

    def get(self, request, pk):
        decision = self.decision
        letter = get_object_or_404(DecisionLetter.objects.all(), decision=decision)
        return serve_private_file(
            request,
            letter.file,
            filename=f"besluit-{decision.pk}.pdf",
            obj=decision,
            resident=decision.resident,
            content_type="application/pdf",
        )


class DeadlinesView(MunicipalityRequiredMixin, TemplateView):
    """What is overdue or due within a week, for the user's teams and the loket."""

    required_action = Action.CASE_VIEW
    template_name = "decisions/deadlines.html"

    def get_context_data(self, **kwargs):
        deadlines = selectors.deadlines_for(self.request.user, self.request.municipality)
        # Four lists of different things on one page: one entry, naming the
        # residents shown (the ids of each kind are not one object type).
        residents = [
            *(q.resident_id for q in deadlines.investigations),
            *(p.resident_id for p in deadlines.decisions),
            *(p.resident_id for p in deadlines.reassessments),
            *(f.case.resident_id for f in deadlines.follow_ups),
        ]
        # Objections due (#21 part 3), logged with their residents.
        objections, more_objections = selectors.objection_deadlines(
            self.request.user, self.request.municipality
        )
        residents += [o.decision.resident_id for o in objections]
        if residents:
            log_access(
                request=self.request,
                action=A.VIEW,
                object_type="decisions.deadlines",
                object_label=_("termijnen, %(count)s getoond") % {"count": len(residents)},
                resident_ids=residents,
            )
        return super().get_context_data(
            objections=objections,
            more_objections=more_objections,
            deadlines=deadlines,
            limit=selectors.LIST_LIMIT,
            **kwargs,
        )


# --- on a question: the Wmo personal plan and the investigation deadline ------------


class QuestionPersonalPlanView(QuestionObjectMixin, ServiceFormView):
    required_action = Action.QUESTION_HANDLE
    template_name = "core/edit_form.html"
    form_class = PersonalPlanForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Persoonlijk plan bij vraag %(n)s vastleggen") % {"n": self.question.pk},
            cancel_url=reverse("intake:question_detail", args=[self.question.pk]),
            **kwargs,
        )

    success_message = gettext_lazy("Het persoonlijk plan is vastgelegd.")

    def call(self, form, data):
        return intake_services.personal_plan_record(
            actor=self.request.user, question=self.question, received_on=data["received_on"]
        )

    def get_success_url(self):
        return reverse("intake:question_detail", args=[self.question.pk])


class QuestionDeadlineView(QuestionObjectMixin, DeadlineChangeView):
    """Suspend or extend the investigation deadline of a Wmo report."""

    required_action = Action.QUESTION_HANDLE
    title = gettext_lazy("Onderzoekstermijn van vraag %(n)s opschorten of verlengen (nu: %(date)s)")
    done = gettext_lazy("De onderzoekstermijn is %(kind)s tot %(date)s.")
    subject_name = "question"
    deadline_field = "investigation_deadline"
    success_url_name = "intake:question_detail"


# --- objections (bezwaar, #21 part 3) ---------------------------------------------------


class ObjectionRegisterView(DecisionMixin, ServiceFormView):
    """Register an objection against the decision (the loket)."""

    required_action = None  # the loket's staff: `rules.may_handle_objections`
    template_name = "core/edit_form.html"
    form_class = ObjectionForm

    def before_handler(self, request):
        if not rules.may_handle_objections(request.user, request.municipality):
            raise PermissionDenied(_("Alleen het loket registreert en behandelt bezwaren."))
        return None

    @cached_property
    def decision(self):
        # The loket staff register against any decision of the municipality.
        return get_object_or_404(
            Decision.objects.select_related("resident", "provision_type"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Bezwaar registreren tegen besluit %(n)s") % {"n": self.decision.pk},
            cancel_url=reverse("decisions:objection_list"),
            **kwargs,
        )

    def call(self, form, data):
        return services.objection_register(actor=self.request.user, decision=self.decision, **data)

    def get_success_message(self, result):
        return _("Het bezwaar is geregistreerd; beslissen uiterlijk %(date)s.") % {
            "date": date_format(result.deadline, "SHORT_DATE_FORMAT")
        }

    def get_success_url(self):
        return reverse("decisions:objection_detail", args=[self.result.pk])


class ObjectionMixin(MunicipalityRequiredMixin):
    """Loads the objection: 404 outside the municipality and for whoever may not
    see it (`rules.can_see_objection`)."""

    model = Objection
    required_action = None  # `rules.can_see_objection`

    @cached_property
    def objection(self):
        objection = get_object_or_404(
            Objection.objects.select_related(
                "decision__resident",
                "decision__provision_type",
                "decision__consultant__user",
                "decision__case__team",
                "registered_by__user",
                "extended_by__user",
                "new_proposal",
            ),
            pk=self.kwargs["pk"],
        )
        if not rules.can_see_objection(self.request.user, objection):
            raise Http404
        return objection


class ObjectionListView(MunicipalityRequiredMixin, TemplateView):
    """The open objections the user sees, by deadline."""

    required_action = None  # the list shows what `rules.visible_objections` gives
    template_name = "decisions/objection_list.html"

    def get(self, request, *args, **kwargs):
        """With `?decision=<number>` (the loket): on to that decision's
        registration page, when it is a final decision of the municipality."""
        self.find_form = None
        if rules.may_handle_objections(request.user, request.municipality):
            self.find_form = ObjectionDecisionFindForm(
                request.GET if "decision" in request.GET else None
            )
            if self.find_form.is_bound and self.find_form.is_valid():
                decision = Decision.objects.filter(
                    pk=self.find_form.cleaned_data["decision"],
                    outcome__in=Decision.FINAL_OUTCOMES,
                ).first()
                if decision is not None:
                    return redirect("decisions:objection_register", pk=decision.pk)
                self.find_form.add_error(
                    "decision",
                    _("Er is geen toekenning of afwijzing met dit nummer in deze gemeente."),
                )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        rows, more = selectors.open_objections(self.request.user, self.request.municipality)
        log_list(
            request=self.request,
            objects=rows,
            resident_of=lambda objection: objection.decision.resident_id,
            object_type="decisions.objection",
            object_label=_("open bezwaren, %(count)s getoond") % {"count": len(rows)},
        )
        return super().get_context_data(
            objections=rows,
            more=more,
            limit=selectors.LIST_LIMIT,
            may_handle=self.find_form is not None,
            form=self.find_form,
            **kwargs,
        )


class ObjectionDetailView(ObjectionMixin, TemplateView):
    template_name = "decisions/objection_detail.html"

    def get_context_data(self, **kwargs):
        objection = self.objection
        log_access(
            request=self.request,
            action=A.VIEW,
            obj=objection,
            resident=objection.decision.resident,
        )
        result = ObjectionDecision.objects.filter(objection=objection).first()
        new_decision = None
        if objection.new_proposal_id:
            new_decision = Decision.objects.filter(
                proposal_id=objection.new_proposal_id, outcome__in=Decision.FINAL_OUTCOMES
            ).first()
        user, municipality = self.request.user, self.request.municipality
        return super().get_context_data(
            objection=objection,
            decision=objection.decision,
            result=result,
            letter=ObjectionLetter.objects.filter(objection_decision=result).first()
            if result
            else None,
            new_decision=new_decision,
            may_handle=rules.may_handle_objections(user, municipality),
            may_decide=objection.decision.law in rules.mandated_laws(user, municipality)
            and rules.for_user(user, municipality).staff_id != objection.decision.consultant_id,
            **kwargs,
        )


class ObjectionActionView(ObjectionMixin, ServiceFormView):
    """An action on an open objection (extend, withdraw, decide): the form on its
    own page, the service's refusal shown (403 for whoever may not)."""

    template_name = "core/edit_form.html"
    title = ""

    def before_handler(self, request):
        self.require(request)
        return None

    def require(self, request):
        services.require_objection_handler(request.user, self.objection.municipality)

    def get_initial(self):
        return {"version": self.objection.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title % {"n": self.objection.pk},
            cancel_url=self.get_success_url(),
            **kwargs,
        )

    def get_success_url(self):
        return reverse("decisions:objection_detail", args=[self.objection.pk])


class ObjectionExtendView(ObjectionActionView):
    form_class = ObjectionExtendForm
    title = gettext_lazy("Beslistermijn van bezwaar %(n)s verdagen")

    def call(self, form, data):
        return services.objection_extend(
            actor=self.request.user,
            objection=self.objection,
            weeks=data["weeks"],
            reason=data["reason"],
            expected_version=data["version"],
        )

    def get_success_message(self, result):
        return _("De beslistermijn is verdaagd tot %(date)s.") % {
            "date": date_format(result.deadline, "SHORT_DATE_FORMAT")
        }


class ObjectionWithdrawView(ObjectionActionView):
    form_class = ObjectionWithdrawForm
    title = gettext_lazy("Intrekking van bezwaar %(n)s vastleggen")
    success_message = gettext_lazy("De intrekking van het bezwaar is vastgelegd.")

    def call(self, form, data):
        return services.objection_withdraw(
            actor=self.request.user,
            objection=self.objection,
            withdrawn_on=data["withdrawn_on"],
            expected_version=data["version"],
        )


class ObjectionDecideView(ObjectionActionView):
    form_class = ObjectionDecideForm
    title = gettext_lazy("Beslissen op bezwaar %(n)s")

    def require(self, request):
        services.require_objection_mandate(request.user, self.objection)

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exc:
            if not request.user.is_authenticated or request.municipality is None:
                raise
            return refusal(request, str(exc))

    def call(self, form, data):
        return services.objection_decide(
            actor=self.request.user,
            objection=self.objection,
            outcome=data["outcome"],
            reasons=data["reasons"],
            expected_version=data["version"],
        )

    def get_success_message(self, result):
        if result.outcome == ObjectionDecision.Outcome.WELL_FOUNDED:
            return _(
                "Het bezwaar is gegrond verklaard. Bereid nu het nieuwe besluit voor; de "
                "brief wordt gemaakt."
            )
        return _("Beslist op het bezwaar: %(outcome)s. De brief wordt gemaakt.") % {
            "outcome": result.get_outcome_display()
        }


class ObjectionLetterView(ObjectionMixin, View):
    """Download the letter of the decision on the objection (logged)."""

    def get(self, request, pk):
        objection = self.objection
        letter = get_object_or_404(
            ObjectionLetter.objects.all(), objection_decision__objection=objection
        )
        return serve_private_file(
            request,
            letter.file,
            filename=f"beslissing-op-bezwaar-{objection.pk}.pdf",
            obj=objection,
            resident=objection.decision.resident,
            content_type="application/pdf",
        )
