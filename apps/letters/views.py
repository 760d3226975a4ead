"""Pages of the letters app: the letters section of a question's page (the
template tag `question_letters`), making a letter of each kind with a preview of
its text, the download, and the admin's letter texts (`/beheer/brieven/`).
Every write goes through `apps.letters.services`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from apps.access import rules
from apps.cases.pages import CaseMixin
from apps.core.edit_views import ScopedEditView, ServiceFormView
from apps.core.exceptions import DomainError
from apps.core.files import serve_private_file
from apps.core.forms import REFUSED, call_service
from apps.core.mixins import MunicipalityRequiredMixin
from apps.decisions.models import Proposal
from apps.intake.mixins import QuestionObjectMixin
from apps.letters import selectors, services
from apps.letters.forms import (
    AcknowledgementForm,
    InvitationForm,
    LetterTemplateCreateForm,
    LetterTemplateForm,
)
from apps.letters.models import Letter, LetterTemplate
from apps.letters.placeholders import PLACEHOLDERS, LetterKind
from apps.tenants.permissions import Action


class QuestionLetterCreateView(QuestionObjectMixin, ServiceFormView):
    """Make a letter of `kind` about the question: the filled-in text is shown
    before it is sent ("Voorbeeld bekijken" shows it again with what was typed)."""

    required_action = Action.QUESTION_HANDLE
    template_name = "letters/letter_form.html"
    kind = ""
    title = ""
    typed_fields = False  # the form has fields the text depends on

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not rules.may_write_question_letter(self.request.user, self.question):
            raise PermissionDenied(_("Alleen wie de vraag behandelt kan deze brief sturen."))
        return form

    def kind_data(self, data) -> dict:
        return {}

    def call(self, form, data):
        return services.letter_create(
            actor=self.request.user, kind=self.kind, question=self.question, **self.kind_data(data)
        )

    def form_valid(self, form):
        if "preview" in self.request.POST:
            preview = call_service(
                form,
                lambda: services.letter_preview(
                    actor=self.request.user,
                    kind=self.kind,
                    question=self.question,
                    **self.kind_data(form.cleaned_data),
                ),
            )
            if preview is REFUSED:
                return self.form_invalid(form)
            return self.render_to_response(self.get_context_data(form=form, preview=preview))
        return super().form_valid(form)

    def get_success_message(self, result):
        return _("De brief '%(subject)s' is gemaakt en opgeslagen voor verzending.") % {
            "subject": result.subject
        }

    def get_success_url(self):
        return reverse("intake:question_detail", args=[self.question.pk]) + "#letters-heading"

    def get_context_data(self, **kwargs):
        if "preview" not in kwargs and not self.typed_fields:
            # Nothing to type: the text is known before the form is sent.
            try:
                kwargs["preview"] = services.letter_preview(
                    actor=self.request.user, kind=self.kind, question=self.question
                )
            except DomainError as exc:
                kwargs["preview_refused"] = exc.message
        return super().get_context_data(
            question=self.question,
            recipient=self.question.resident,
            title=self.title % {"n": self.question.pk},
            cancel_url=self.get_success_url(),
            has_preview_button=self.typed_fields,
            **kwargs,
        )


class AcknowledgementCreateView(QuestionLetterCreateView):
    kind = LetterKind.ACKNOWLEDGEMENT
    form_class = AcknowledgementForm
    title = gettext_lazy("Ontvangstbevestiging van melding %(n)s")


class PostponementCreateView(QuestionLetterCreateView):
    kind = LetterKind.POSTPONEMENT
    form_class = AcknowledgementForm
    title = gettext_lazy("Brief over de verlenging van de onderzoekstermijn van vraag %(n)s")


class InvitationCreateView(QuestionLetterCreateView):
    kind = LetterKind.INVITATION
    form_class = InvitationForm
    typed_fields = True
    title = gettext_lazy("Uitnodiging keukentafelgesprek bij vraag %(n)s")

    def kind_data(self, data) -> dict:
        return {"meeting_at": data.get("meeting_at"), "place": data.get("place", "")}


class CaseReportCreateView(CaseMixin, ServiceFormView):
    """Make the report of the investigation (verslag) of a case: the filled-in
    text, the ZRM scores and the plan are shown before it is made. Only whoever
    works on the case (403 otherwise, 404 for a case one may not see)."""

    required_action = Action.CASE_WORK
    work = True
    form_class = AcknowledgementForm
    template_name = "letters/case_report_form.html"

    def call(self, form, data):
        return services.case_report_create(actor=self.request.user, case=self.case)

    def get_success_message(self, result):
        return _("Het verslag '%(subject)s' is gemaakt en opgeslagen voor verzending.") % {
            "subject": result.subject
        }

    def get_success_url(self):
        return reverse("cases:detail", args=[self.case.pk]) + "#case-letters-heading"

    def get_context_data(self, **kwargs):
        try:
            kwargs["preview"] = services.case_report_preview(
                actor=self.request.user, case=self.case
            )
        except DomainError as exc:
            kwargs["preview_refused"] = exc.message
        return super().get_context_data(
            case=self.case,
            title=_("Verslag van het onderzoek bij %(case)s") % {"case": self.case},
            cancel_url=self.get_success_url(),
            **kwargs,
        )


class ProposalLetterCreateView(MunicipalityRequiredMixin, ServiceFormView):
    """Make the notice (Awb 4:14) that the decision deadline of a proposal was
    extended, from the loket's proposal page after an extension. The proposal
    is 404 where the loket's page is (not offered to the loket, another
    municipality); whoever may not change its deadline gets 403."""

    model = Proposal
    required_action = Action.PROPOSAL_DECIDE
    form_class = AcknowledgementForm
    template_name = "letters/letter_form.html"

    @cached_property
    def proposal(self):
        proposal = get_object_or_404(
            Proposal.objects.select_related("resident", "provision_type", "case__team"),
            pk=self.kwargs["pk"],
        )
        if not rules.reviewable_by_loket(proposal) and not rules.can_view_case(
            self.request.user, proposal.case
        ):
            raise Http404
        return proposal

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not rules.may_write_proposal_letter(self.request.user, self.proposal):
            raise PermissionDenied(
                _("Alleen wie de beslistermijn mag wijzigen kan deze brief sturen.")
            )
        return form

    def call(self, form, data):
        return services.proposal_letter_create(actor=self.request.user, proposal=self.proposal)

    def get_success_message(self, result):
        return _("De brief '%(subject)s' is gemaakt en opgeslagen voor verzending.") % {
            "subject": result.subject
        }

    def get_success_url(self):
        return reverse("decisions:review", args=[self.proposal.pk]) + "#letters-heading"

    def get_context_data(self, **kwargs):
        try:
            kwargs["preview"] = services.proposal_letter_preview(
                actor=self.request.user, proposal=self.proposal
            )
        except DomainError as exc:
            kwargs["preview_refused"] = exc.message
        return super().get_context_data(
            recipient=self.proposal.resident,
            title=_("Brief over de verdaging van de beslistermijn van aanvraag %(n)s")
            % {"n": self.proposal.pk},
            cancel_url=self.get_success_url(),
            has_preview_button=False,
            **kwargs,
        )


class LetterDownloadView(MunicipalityRequiredMixin, View):
    """The PDF of a letter sent, for whoever may open its question or case (logged)."""

    model = Letter
    required_action = Action.QUESTION_VIEW

    def get(self, request, pk):
        letter = get_object_or_404(selectors.letter_list_qs(), pk=pk)
        if not rules.can_read_letter(request.user, letter):
            raise PermissionDenied(
                _("Deze brief hoort bij een vraag of casus die u niet mag zien.")
            )
        return serve_private_file(
            request,
            letter.file,
            filename=letter.filename,
            obj=letter,
            resident=letter.resident,
            content_type="application/pdf",
        )


# --- the admin's letter texts ----------------------------------------------------------


class LetterTemplateListView(MunicipalityRequiredMixin, TemplateView):
    required_action = Action.CONFIGURATION_MANAGE
    template_name = "letters/template_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rows=selectors.letter_templates(self.request.municipality), **kwargs
        )


class LetterTemplateCreateView(MunicipalityRequiredMixin, View):
    """Start the municipality's own text of a kind from the default (POST only)."""

    required_action = Action.CONFIGURATION_MANAGE
    form_class = LetterTemplateCreateForm

    def post(self, request):
        form = LetterTemplateCreateForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Kies een soort brief."))
            return HttpResponseRedirect(reverse("letters:template_list"))
        template = services.letter_template_create(
            actor=request.user, municipality=request.municipality, kind=form.cleaned_data["kind"]
        )
        return HttpResponseRedirect(reverse("letters:template_edit", args=[template.pk]))


class LetterTemplateEditView(ScopedEditView):
    """The text of one kind: placeholders from the kind's list only."""

    required_action = Action.CONFIGURATION_MANAGE
    model = LetterTemplate
    form_class = LetterTemplateForm
    template_name = "letters/template_form.html"
    success_url_name = "letters:template_list"

    def get_object(self):
        obj = super().get_object()
        if obj is None:
            raise Http404
        return obj

    def get_context_data(self, **kwargs):
        obj = self.get_object()
        return super().get_context_data(
            placeholders=PLACEHOLDERS[obj.kind].items(),
            title_text=_("Brieftekst: %(kind)s") % {"kind": obj.get_kind_display()},
            **kwargs,
        )

    def save(self, form, instance):
        services.letter_template_update(
            actor=self.request.user,
            template=instance,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            expected_version=form.expected_version,
        )
