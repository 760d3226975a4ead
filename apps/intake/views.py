"""Pages of the intake: register a question, the inboxes, a question with its
history, taking and forwarding, finding a resident."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.access import rules
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.core.edit_views import ScopedEditView, ServiceFormView
from apps.core.exceptions import ConcurrentEditError, DomainError
from apps.core.forms import REFUSED, TextCorrectionForm, call_service
from apps.core.http import is_htmx, parse_id, posted_version
from apps.core.mixins import MunicipalityRequiredMixin
from apps.intake import selectors, services
from apps.intake.access_log import log_questions_shown, log_resident_search
from apps.intake.forms import (
    AccessReasonForm,
    CloseForm,
    ForwardForm,
    HouseholdMemberForm,
    InboxFilterForm,
    QuestionEditForm,
    QuestionRegisterForm,
    ResidentEditForm,
    ResidentSearchForm,
)
from apps.intake.mixins import QuestionObjectMixin
from apps.intake.models import LifeDomain, Question, Resident
from apps.teams.models import Area, Team
from apps.tenants.permissions import Action, has_action

A = AccessLogEntry.Action


class IntakeHomeView(MunicipalityRequiredMixin, View):
    """/intake/: the inbox of the user's first team."""

    required_action = Action.QUESTION_VIEW

    def get(self, request):
        team = selectors.my_inbox_teams(request.user, request.municipality).first()
        if team is None and rules.for_request(request).sees_all_questions:
            team = Team.objects.filter(is_active=True, kind=Team.Kind.LOKET).first()
        if team is None:
            messages.info(request, _("U bent geen lid van een team en heeft dus geen inbox."))
            return redirect("intake:resident_search")
        return redirect("intake:inbox", team_pk=team.pk)


class InboxView(MunicipalityRequiredMixin, TemplateView):
    required_action = Action.QUESTION_VIEW
    template_name = "intake/inbox.html"

    def get_context_data(self, **kwargs):
        request = self.request
        user, municipality = request.user, request.municipality
        team = self.get_team()
        form = InboxFilterForm(request.GET or None)
        filters = selectors.InboxFilters()
        if form.is_bound and form.is_valid():
            filters = selectors.InboxFilters.from_data(form.cleaned_data)
        page = selectors.team_inbox(team, filters=filters, cursor=request.GET.get("na", ""))
        # One entry per page shown, naming its questions and residents.
        log_questions_shown(
            request=request,
            page=page,
            search_label=_("inbox %(team)s, zoekterm '%(term)s'"),
            list_label=_("inbox %(team)s, %(count)s getoond"),
            team=team,
        )
        return super().get_context_data(
            team=team,
            teams=selectors.inbox_teams_with(user, municipality, team),
            form=form,
            page=page,
            today=timezone.localdate(),
            filter_query=_without_cursor(request.GET),
            may_handle=has_action(user, municipality, Action.QUESTION_HANDLE)
            and rules.is_member_of(user, team),
            next_url=request.get_full_path(),
            htmx=is_htmx(request),
            **kwargs,
        )

    def get_team(self):
        """The team of the inbox: 404 outside the municipality, 403 when the
        user may not open its inbox."""
        request = self.request
        team = get_object_or_404(Team.objects.all(), pk=self.kwargs["team_pk"])
        if not rules.may_open_inbox(request.user, request.municipality, team):
            raise PermissionDenied(_("Dit is niet de inbox van een van uw teams."))
        return team

    def render_to_response(self, context, **response_kwargs):
        """The whole page; for the filter form's htmx request only the results
        (the page around them stays, with the focus where it was)."""
        if context["htmx"]:
            form = context["form"]
            if form.is_bound and not form.is_valid():
                # The error summary belongs to the form: load the whole page.
                response = HttpResponse(headers={"HX-Redirect": self.request.get_full_path()})
            else:
                self.template_name = "intake/_inbox_results.html"
                response = super().render_to_response(context, **response_kwargs)
        else:
            response = super().render_to_response(context, **response_kwargs)
        # One URL, two answers: a cache must not give the fragment for the page.
        patch_vary_headers(response, ["HX-Request"])
        return response


def _without_cursor(query) -> str:
    """The inbox's filters as a query string, for the links to its pages."""
    query = query.copy()
    query.pop("na", None)
    return query.urlencode()


class QuestionRegisterView(MunicipalityRequiredMixin, FormView):
    required_action = Action.QUESTION_REGISTER
    template_name = "intake/question_register.html"
    form_class = QuestionRegisterForm

    def dispatch(self, request, *args, **kwargs):
        self.resident = None
        return super().dispatch(request, *args, **kwargs)

    def get_resident(self):
        given = self.request.GET.get("inwoner") or self.request.POST.get("inwoner")
        if given and self.resident is None:
            pk = parse_id(given)
            if pk is None:
                raise Http404
            self.resident = get_object_or_404(Resident.objects.all(), pk=pk)
        return self.resident

    def before_handler(self, request):
        resident = self.get_resident()
        if resident is not None:
            if access_reason(request, resident) is None:
                return redirect("intake:resident_detail", pk=resident.pk)
            if request.method == "GET":
                log_access(
                    request=request,
                    action=A.VIEW,
                    obj=resident,
                    object_label=_("%(name)s (registratieformulier)") % {"name": resident},
                    reason=access_reason(request, resident),
                )
        return super().before_handler(request)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["resident"] = self.get_resident()
        if "data" not in kwargs:
            gate = selectors.my_inbox_teams(self.request.user, self.request.municipality).first()
            kwargs.setdefault("initial", {})["gate"] = gate
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(resident=self.get_resident(), **kwargs)

    def _access_reason(self, form) -> str:
        """The reason of inzage: given before opening a chosen resident (kept in
        the session), or typed on the form for a known BSN one has no relation with."""
        resident = self.get_resident()
        if resident is not None:
            return access_reason(self.request, resident) or ""
        return (form.cleaned_data.get("reason") or "").strip()

    def form_valid(self, form):
        new = self.new_question(form)
        registration = call_service(
            form,
            logging_failed_bsn_checks(
                self.request,
                lambda: services.question_register(
                    actor=self.request.user, municipality=self.request.municipality, new=new
                ),
            ),
            errors=_strip_prefix,
        )
        if registration is REFUSED:
            return self.form_invalid(form)
        self.tell(registration)
        return HttpResponseRedirect(
            reverse("intake:question_detail", args=[registration.question.pk])
        )

    def new_question(self, form) -> services.NewQuestion:
        """The question to register, from the form (the resident chosen before,
        or the one described on it)."""
        return services.NewQuestion.from_data(
            form.cleaned_data,
            resident=self.get_resident(),
            resident_data=form.resident_data(),
            access_reason=self._access_reason(form),
            resident_is_aware=form.aware(),
        )

    def tell(self, registration) -> None:
        """The messages after a registration: made before (the form came in
        twice), or made, and whether the BSN found a known resident."""
        question = registration.question
        if registration.repeated:
            messages.info(
                self.request,
                _("Deze vraag was al geregistreerd (het formulier kwam twee keer binnen)."),
            )
            return
        if registration.found_known_resident:
            messages.info(
                self.request,
                _(
                    "Dit BSN hoort bij een bekende inwoner, %(name)s: de vraag is aan die "
                    "inwoner gekoppeld."
                )
                % {"name": question.resident.full_name},
            )
        messages.success(
            self.request,
            _("De vraag is geregistreerd en staat bij %(team)s.") % {"team": question.team},
        )


def logging_failed_bsn_checks(request, call):
    """`call`, with a refused BSN check written to the access log (after the
    service has rolled back, so the entry stays)."""

    def run():
        try:
            return call()
        except services.BsnCheckFailed as exc:
            services.log_failed_bsn_check(request=request, resident=exc.resident)
            raise

    return run


def _strip_prefix(exc: ValidationError) -> ValidationError:
    """Resident errors come as 'resident.<field>'; the form has the plain names."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {key.removeprefix("resident."): value for key, value in exc.error_dict.items()}
    )


class TriagePreviewView(MunicipalityRequiredMixin, View):
    """htmx: where the triage rules would send the question being typed."""

    required_action = Action.QUESTION_REGISTER

    def get(self, request):
        params = request.GET
        resident = self.resident(request, parse_id(params.get("inwoner")))
        area = resident.area if resident else None
        area_id = parse_id(params.get("area"))
        if resident is None and area_id is not None:
            area = Area.objects.filter(pk=area_id).first()
        domain_ids = [pk for pk in map(parse_id, params.getlist("life_domains")) if pk is not None]
        outcome = services.triage(
            municipality=request.municipality,
            channel=params.get("channel", ""),
            is_youth=self.is_youth(params, resident),
            laws=params.getlist("laws"),
            life_domains=list(LifeDomain.objects.filter(pk__in=domain_ids)),
            area=area,
        )
        return render(request, "intake/_triage_outcome.html", {"outcome": outcome})

    @staticmethod
    def resident(request, resident_id):
        """The resident chosen, if any and if the user may open their file (the
        preview says nothing about a file one may not open)."""
        if resident_id is None:
            return None
        resident = Resident.objects.filter(pk=resident_id).first()
        if resident is not None and access_reason(request, resident) is None:
            return None
        return resident

    @staticmethod
    def is_youth(params, resident) -> bool:
        """From the date of birth (the resident's, or the one typed) when known,
        else as stated on the form."""
        born = resident.date_of_birth if resident else None
        if resident is None and params.get("date_of_birth"):
            try:
                born = date.fromisoformat(params["date_of_birth"])
            except ValueError:
                born = None
        if born is None:
            return params.get("stated_is_youth") == "on"
        return Resident(date_of_birth=born).age_on(timezone.localdate()) < 18


class QuestionDetailView(QuestionObjectMixin, TemplateView):
    template_name = "intake/question_detail.html"

    def get_context_data(self, **kwargs):
        question = self.get_question()
        log_access(request=self.request, action=A.VIEW, obj=question)
        user, municipality = self.request.user, self.request.municipality
        may_handle = _may_handle(user, municipality, question)
        return super().get_context_data(
            question=question,
            forwards=list(question.forwards.all()),
            may_handle=may_handle and question.status != Question.Status.CLOSED,
            may_edit=question.status != Question.Status.CLOSED
            and (may_handle or question.received_by.user_id == user.pk),
            forward_form=ForwardForm(question=question) if may_handle else None,
            may_correct_description=rules.may_correct_question_description(user, question),
            today=timezone.localdate(),
            **kwargs,
        )


def _may_handle(user, municipality, question) -> bool:
    return has_action(user, municipality, Action.QUESTION_HANDLE) and rules.is_member_of(
        user, question.team
    )


class QuestionAssignView(QuestionObjectMixin, View):
    """Take a question, from its page or from an inbox row. Without htmx a POST
    and a redirect (back to the inbox it came from, or to the question); with
    htmx the answer is the part of the page that changed — the inbox row or the
    question's status and actions — with the message for the live region."""

    required_action = Action.QUESTION_HANDLE

    def post(self, request, pk):
        question = self.get_question()
        taken = False
        try:
            question = services.question_assign(
                actor=request.user,
                question=question,
                expected_version=posted_version(request),
            )
        except ConcurrentEditError as exc:
            messages.error(request, self.conflict_message(exc))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            taken = True
            messages.success(request, _("U heeft de vraag opgepakt."))
        if is_htmx(request):
            if not taken:
                # The service wrote (and logged) nothing, but the fragment shows
                # the question as it is now: a read.
                log_access(request=request, action=A.VIEW, obj=self.question)
            return self.fragment(request)
        next_url = self.next_url()
        if next_url:
            return HttpResponseRedirect(next_url)
        return redirect("intake:question_detail", pk=question.pk)

    def conflict_message(self, exc) -> str:
        """The page was out of date: most likely a colleague took the question
        first, which the message then says."""
        current = Question.objects.select_related("assigned_to__user").get(pk=self.question.pk)
        taker = current.assigned_to
        if taker is None:
            return exc.message
        if taker.user_id == self.request.user.pk:
            return _("U had deze vraag al opgepakt.")
        return _("%(name)s heeft deze vraag al opgepakt.") % {"name": taker.user.full_name}

    def next_url(self) -> str | None:
        given = self.request.POST.get("next", "")
        if given.startswith("/") and url_has_allowed_host_and_scheme(
            given, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return given
        return None

    def fragment(self, request):
        user, municipality = request.user, request.municipality
        question = selectors.question_detail_qs().get(pk=self.question.pk)
        may_handle = _may_handle(user, municipality, question)
        if request.POST.get("part") == "row":
            template = "intake/_inbox_row.html"
            context = {"q": question, "next_url": self.next_url() or "", "focus_row": True}
        else:
            template = "intake/_question_handling.html"
            may_handle = may_handle and question.status != Question.Status.CLOSED
            context = {"question": question, "focus_part": True}
        context.update(may_handle=may_handle, today=timezone.localdate(), htmx=True)
        return render(request, "intake/_taken.html", {"template": template, **context})


class QuestionForwardView(QuestionObjectMixin, ServiceFormView):
    required_action = Action.QUESTION_HANDLE
    template_name = "intake/question_forward.html"
    form_class = ForwardForm

    def get(self, request, *args, **kwargs):
        # The page names the resident and shows where the question is: a read.
        log_access(request=request, action=A.VIEW, obj=self.question)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "question": self.question}

    def get_context_data(self, **kwargs):
        return super().get_context_data(question=self.question, **kwargs)

    def call(self, form, data):
        return services.question_forward(
            actor=self.request.user,
            question=self.question,
            to_team=data["to_team"],
            reason=data["reason"],
            expected_version=data["version"],
        )

    def get_success_message(self, result):
        return _("De vraag is doorgestuurd naar %(team)s.") % {"team": result.to_team}

    def get_success_url(self):
        return reverse("intake:question_detail", args=[self.question.pk])


class QuestionFormView(QuestionObjectMixin, ServiceFormView):
    """A change of one question on the shared edit page: the title names the
    question (`title`, with %(n)s for its number); cancel and success lead back
    to the question."""

    template_name = "core/edit_form.html"
    title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title % {"n": self.question.pk},
            cancel_url=self.get_success_url(),
            **kwargs,
        )

    def get_success_url(self):
        return reverse("intake:question_detail", args=[self.question.pk])


class QuestionEditView(QuestionFormView):
    """Correct what was registered (handlers of the question and its registrar;
    the service checks)."""

    required_action = Action.QUESTION_VIEW
    form_class = QuestionEditForm
    title = gettext_lazy("Vraag %(n)s corrigeren")

    def get(self, request, *args, **kwargs):
        log_access(request=request, action=A.VIEW, obj=self.question)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "question": self.question}

    success_message = gettext_lazy("De vraag is gecorrigeerd.")

    def call(self, form, data):
        return services.question_update(
            actor=self.request.user,
            question=self.question,
            life_domains=data["life_domains"],
            stated_is_youth=data.get("stated_is_youth"),
            expected_version=data["version"],
            **form.changes(),
        )


class QuestionDescriptionCorrectView(QuestionFormView):
    """Correct the description of a question (its author, or the director of its
    case, or the team's coordinator while it has no case), also when it is
    closed: the earlier text is kept and shown on the question's page."""

    required_action = Action.QUESTION_VIEW
    form_class = TextCorrectionForm
    title = gettext_lazy("Omschrijving van vraag %(n)s corrigeren")
    success_message = gettext_lazy("De omschrijving is gecorrigeerd; de eerdere versie is bewaard.")

    def before_handler(self, request):
        if not rules.may_correct_question_description(request.user, self.question):
            raise PermissionDenied(services.MAY_NOT_CORRECT_DESCRIPTION)
        return super().before_handler(request)

    def get(self, request, *args, **kwargs):
        log_access(request=request, action=A.VIEW, obj=self.question)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "text_label": _("Omschrijving van de vraag")}

    def get_initial(self):
        question = self.question
        return {"text": question.description, "version": question.version}

    def call(self, form, data):
        return services.question_description_correct(
            actor=self.request.user,
            question=self.question,
            text=data["text"],
            reason=data["reason"],
            expected_version=data["version"],
        )


class QuestionCloseView(QuestionFormView):
    required_action = Action.QUESTION_HANDLE
    form_class = CloseForm
    title = gettext_lazy("Vraag %(n)s afsluiten")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.setdefault("initial", {})["version"] = self.question.version
        return kwargs

    success_message = gettext_lazy("De vraag is afgesloten.")

    def call(self, form, data):
        return services.question_close(
            actor=self.request.user,
            question=self.question,
            note=data["note"],
            expected_version=data["version"],
        )


SEARCH_LIMIT = 25


class ResidentSearchView(MunicipalityRequiredMixin, TemplateView):
    required_action = Action.QUESTION_VIEW
    template_name = "intake/resident_search.html"

    def get_context_data(self, **kwargs):
        form = ResidentSearchForm(self.request.GET or None)
        results, more = None, False
        if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
            term = form.cleaned_data["q"]
            results, more = selectors.resident_search_head(term, limit=SEARCH_LIMIT)
            log_resident_search(request=self.request, shown=results, term=term)
        return super().get_context_data(
            form=form,
            results=results,
            more=more,
            limit=SEARCH_LIMIT,
            may_register=has_action(
                self.request.user, self.request.municipality, Action.QUESTION_REGISTER
            ),
            **kwargs,
        )


REASONS_SESSION_KEY = "resident_access_reasons"


def access_reason(request, resident) -> str | None:
    """'' when the user works on the resident's file, the reason they gave
    earlier in this session, or None when a reason is still needed."""
    if rules.has_relationship(request.user, request.municipality, resident):
        return ""
    return request.session.get(REASONS_SESSION_KEY, {}).get(str(resident.pk))


class ResidentAccessMixin:
    """Pages of one resident: 404 outside the municipality; without a relation to
    the file, first the reason (asked on the resident's page)."""

    def get_resident(self):
        if not hasattr(self, "_resident"):
            self._resident = get_object_or_404(
                Resident.objects.select_related("area", "household"), pk=self.kwargs["pk"]
            )
        return self._resident

    def reason_needed(self) -> bool:
        return access_reason(self.request, self.get_resident()) is None


class ReasonFirstMixin:
    """Changing a resident's data or household needs the same relation to the
    file as reading it: without one, the resident's page asks the reason first."""

    def resident_for_reason(self):
        return get_object_or_404(Resident.objects.all(), pk=self.kwargs["pk"])

    def before_handler(self, request):
        return self._reason_first() or super().before_handler(request)

    def _reason_first(self):
        resident = self.resident_for_reason()
        if access_reason(self.request, resident) is None:
            return redirect("intake:resident_detail", pk=resident.pk)
        return None


class ResidentDetailView(ResidentAccessMixin, MunicipalityRequiredMixin, TemplateView):
    model = Resident
    required_action = Action.QUESTION_VIEW
    template_name = "intake/resident_detail.html"

    def get(self, request, *args, **kwargs):
        if self.reason_needed():
            return render(
                request,
                "intake/resident_reason.html",
                {"resident_pk": self.get_resident().pk, "form": AccessReasonForm()},
            )
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """The reason for opening a file one has no relation with."""
        resident = self.get_resident()
        form = AccessReasonForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                "intake/resident_reason.html",
                {"resident_pk": resident.pk, "form": form},
            )
        reasons = request.session.get(REASONS_SESSION_KEY, {})
        reasons[str(resident.pk)] = form.cleaned_data["reason"]
        request.session[REASONS_SESSION_KEY] = dict(list(reasons.items())[-50:])
        return redirect("intake:resident_detail", pk=resident.pk)

    def get_context_data(self, **kwargs):
        resident = self.get_resident()
        log_access(
            request=self.request,
            action=A.VIEW,
            obj=resident,
            reason=access_reason(self.request, resident) or "",
        )
        user, municipality = self.request.user, self.request.municipality
        household_members = selectors.household_members(resident)
        for member in household_members:
            log_access(
                request=self.request,
                action=A.VIEW,
                obj=member,
                object_label=_("%(name)s (als lid van %(household)s)")
                % {"name": member, "household": resident.household},
            )
        return super().get_context_data(
            resident=resident,
            household_members=household_members,
            questions=selectors.resident_questions(user, municipality, resident),
            today=timezone.localdate(),
            may_register=has_action(user, municipality, Action.QUESTION_REGISTER),
            **kwargs,
        )


class ResidentEditView(ReasonFirstMixin, ScopedEditView):
    model = Resident
    form_class = ResidentEditForm
    required_action = Action.QUESTION_REGISTER

    def get(self, request, *args, **kwargs):
        resident = self.get_object()
        log_access(
            request=request,
            action=A.VIEW,
            obj=resident,
            object_label=_("%(name)s (wijzigformulier)") % {"name": resident},
            reason=access_reason(request, resident) or "",
        )
        return super().get(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("intake:resident_detail", args=[self.get_object().pk])

    def save(self, form, instance):
        services.resident_save(
            actor=self.request.user, resident=instance, expected_version=form.expected_version
        )


class HouseholdCreateView(ReasonFirstMixin, MunicipalityRequiredMixin, View):
    """Start a household for a resident who has none yet."""

    model = Resident
    required_action = Action.QUESTION_REGISTER

    def post(self, request, pk):
        resident = get_object_or_404(Resident.objects.all(), pk=pk)
        try:
            household = services.household_create(actor=request.user, resident=resident)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(name)s is aangemaakt.") % {"name": household})
        return redirect("intake:resident_detail", pk=resident.pk)


class HouseholdMemberAddView(ReasonFirstMixin, MunicipalityRequiredMixin, ServiceFormView):
    model = Resident
    required_action = Action.QUESTION_REGISTER
    template_name = "core/edit_form.html"
    form_class = HouseholdMemberForm

    @cached_property
    def resident(self):
        resident = get_object_or_404(
            Resident.objects.select_related("household"), pk=self.kwargs["pk"]
        )
        if resident.household is None:
            raise Http404
        return resident

    def get_resident(self):
        return self.resident

    def get_context_data(self, **kwargs):
        resident = self.get_resident()
        return super().get_context_data(
            title=_("Lid toevoegen aan %(household)s") % {"household": resident.household},
            cancel_url=reverse("intake:resident_detail", args=[resident.pk]),
            **kwargs,
        )

    def call(self, form, data):
        return logging_failed_bsn_checks(
            self.request,
            lambda: services.household_add_member(
                actor=self.request.user,
                household=self.get_resident().household,
                relation=data["relation"],
                resident_data=form.resident_data(),
                reason=data["reason"],
            ),
        )()

    def renamed(self, exc):
        return _strip_prefix(exc)

    def get_success_message(self, result):
        return _("%(name)s hoort nu bij %(household)s.") % {
            "name": result.full_name,
            "household": self.get_resident().household,
        }

    def get_success_url(self):
        return reverse("intake:resident_detail", args=[self.get_resident().pk])


class HouseholdLeaveView(ReasonFirstMixin, MunicipalityRequiredMixin, View):
    """The resident no longer lives in their household."""

    model = Resident
    required_action = Action.QUESTION_REGISTER

    def post(self, request, pk):
        resident = get_object_or_404(Resident.objects.select_related("household"), pk=pk)
        if resident.household is None:
            raise Http404
        back_to = parse_id(request.POST.get("terug"))
        household_name = str(resident.household)
        services.household_remove_member(actor=request.user, resident=resident)
        messages.success(
            request,
            _("%(name)s hoort niet meer bij %(household)s.")
            % {"name": resident.full_name, "household": household_name},
        )
        if back_to is not None and Resident.objects.filter(pk=back_to).exists():
            return redirect("intake:resident_detail", pk=back_to)
        return redirect("intake:resident_detail", pk=resident.pk)
