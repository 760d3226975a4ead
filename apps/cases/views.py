"""Pages of cases on the team side: the case list, a case with its activities,
assessments (ZRM), support plan, voorwerk, decisions and follow-up, the forms
that change them (each through a service), and the household page.

Access: `case.view` to read (404 for a case one may not see, whatever the
municipality), `case.work` and working on the case (`is_case_worker`, checked
again by the services) to change. Every read of a case is in the access log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from apps.access import rules
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access, log_list
from apps.cases import selectors, services
from apps.cases.forms import (
    ActivityForm,
    AssessmentForm,
    CaseFilterForm,
    CaseTitleForm,
    CloseCaseForm,
    FollowUpForm,
    GoalForm,
    HandOverForm,
    PlanAgreeForm,
    PlanSummaryForm,
    ProposalForm,
    ShareForm,
    SolutionForm,
    VersionOnlyForm,
)
from apps.cases.models import (
    Activity,
    Assessment,
    AssessmentScore,
    Case,
    CaseUserObjectPermission,
    DirectorChange,
    FollowUp,
    Goal,
    Solution,
    SupportPlan,
)
from apps.core.exceptions import DomainError
from apps.core.forms import REFUSED, call_service
from apps.core.http import parse_id
from apps.core.pagination import BoundedPaginator
from apps.core.views import MunicipalityRequiredMixin
from apps.decisions import services as decision_services
from apps.decisions.models import Decision, Proposal, Provision, ProvisionType
from apps.intake.models import Household, LifeDomain, Question, Resident
from apps.intake.selectors import visible_questions
from apps.intake.services import staff_member_of
from apps.teams.models import Team
from apps.tenants.permissions import Action, has_action

A = AccessLogEntry.Action
PAGE_SIZE = 50
FOLLOW_UPS_SHOWN = 25


def _worker_flags(user, case) -> dict:
    """What the user may do on the case page (the services check it again)."""
    worker = rules.is_case_worker(user, case)
    staff = staff_member_of(user, case.municipality)
    records = worker or rules.is_linked_consultant(user, case)
    steer = rules.may_steer_case(user, case)
    return {"may_work": worker, "may_steer": steer, "may_record": records, "staff": staff}


# --- the list ------------------------------------------------------------------------


class CaseListView(MunicipalityRequiredMixin, TemplateView):
    """Mijn casussen and the caseload of my teams, with the follow-up check-ins
    that are due."""

    required_action = Action.CASE_VIEW
    template_name = "cases/case_list.html"

    def get_context_data(self, **kwargs):
        user, municipality = self.request.user, self.request.municipality
        teams = Team.objects.filter(
            pk__in=rules.team_ids(user, municipality, rules.CASE_VIEWING_FUNCTIONS)
        ).order_by("name")
        form = CaseFilterForm(self.request.GET or None, teams=teams)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        qs = selectors.case_list_qs(user, municipality)
        if data.get("scope", "mine" if not form.is_bound else "") == "mine":
            qs = qs.filter(director__user=user)
        if data.get("team"):
            qs = qs.filter(team=data["team"])
        status = data.get("status", "")
        if status == "":
            qs = qs.filter(status__in=Case.OPEN_STATUSES)
        elif status != "any":
            qs = qs.filter(status=status)
        term = (data.get("q") or "").strip()
        if term:
            qs = qs.filter(
                Q(household__name__icontains=term)
                | Q(resident__surname__icontains=term)
                | Q(resident__first_names__icontains=term)
                | Q(household__members__surname__icontains=term)
            ).distinct()
        qs = qs.annotate(
            next_follow_up=FollowUp.objects.filter(case=OuterRef("pk"), done_on__isnull=True)
            .order_by("due_on")
            .values("due_on")[:1]
        )
        page = BoundedPaginator(qs, PAGE_SIZE).get_page(self.request.GET.get("pagina"))
        cases = list(page.object_list)
        follow_ups = due_follow_ups(user, municipality)
        # One entry for the page: the cases listed and those of the check-ins due.
        shown = list({case.pk: case for case in [*cases, *(f.case for f in follow_ups)]}.values())
        if term:
            log_list(
                request=self.request,
                objects=shown,
                action=A.SEARCH,
                always=True,
                object_type="cases.case",
                object_label=_("casussen, zoekterm '%(term)s'") % {"term": term},
            )
        else:
            log_list(
                request=self.request,
                objects=shown,
                object_type="cases.case",
                object_label=_("lijst van casussen, %(count)s getoond") % {"count": len(shown)},
            )
        query = self.request.GET.copy()
        query.pop("pagina", None)
        return super().get_context_data(
            form=form,
            page=page,
            cases=cases,
            follow_ups=follow_ups,
            filter_query=query.urlencode(),
            today=timezone.localdate(),
            **kwargs,
        )


def due_follow_ups(user, municipality):
    """Check-ins that are due (today or earlier, not done) on closed cases the user
    directs or that belong to their teams: one query."""
    team_ids = rules.team_ids(user, municipality, rules.CASE_VIEWING_FUNCTIONS)
    cases = selectors.visible_cases(user, municipality).filter(
        Q(director__user=user) | Q(team_id__in=team_ids)
    )
    return list(
        FollowUp.objects.filter(
            case__in=cases, done_on__isnull=True, due_on__lte=timezone.localdate()
        )
        .select_related("case__household", "case__team", "case__director__user")
        .order_by("due_on", "pk")[:FOLLOW_UPS_SHOWN]
    )


# --- one case ------------------------------------------------------------------------


class CaseMixin(MunicipalityRequiredMixin):
    """Loads the case of the URL: 404 unless the user may see it. With
    `work = True` the user must also work on it (403)."""

    model = Case
    required_action = Action.CASE_VIEW
    work = False
    case_kwarg = "pk"

    def case_queryset(self):
        return selectors.visible_cases(self.request.user, self.request.municipality)

    @cached_property
    def case(self):
        case = get_object_or_404(
            self.case_queryset().select_related("household", "resident", "team", "director__user"),
            pk=self.kwargs[self.case_kwarg],
        )
        if self.work and not self.may_work_on(case):
            raise PermissionDenied(_("U werkt niet aan deze casus."))
        return case

    # The team's linked loket consultant records activities (a joint home visit),
    # nothing else.
    linked_consultant_may = False

    def may_work_on(self, case) -> bool:
        user = self.request.user
        return rules.is_case_worker(user, case) or (
            self.linked_consultant_may and rules.is_linked_consultant(user, case)
        )

    def before_handler(self, request):
        self.case  # noqa: B018 (404/403 before anything else)
        return super().before_handler(request)

    def case_url(self):
        return reverse("cases:detail", args=[self.case.pk])


class CaseChildMixin(CaseMixin):
    """A page about an object of a case (a plan, goal, solution, follow-up,
    proposal): 404 when the object does not exist here or its case is not
    visible."""

    child_path = "case"

    def child_queryset(self):
        return self.model.objects.all()

    @cached_property
    def obj(self):
        return get_object_or_404(self.child_queryset(), pk=self.kwargs["pk"])

    @cached_property
    def case(self):
        obj = self.obj
        case_id = obj
        for part in self.child_path.split("__"):
            case_id = getattr(case_id, part)
        case = get_object_or_404(
            self.case_queryset().select_related("household", "resident", "team", "director__user"),
            pk=case_id.pk,
        )
        if self.work and not self.may_work_on(case):
            raise PermissionDenied(_("U werkt niet aan deze casus."))
        return case

    def before_handler(self, request):
        self.obj  # noqa: B018
        return super().before_handler(request)


def case_page_data(case, user):
    """Everything the case page shows, in a fixed number of queries."""
    members = list(Resident.objects.filter(household_id=case.household_id).order_by("pk"))
    questions = list(
        Question.objects.filter(case=case)
        .select_related("team", "resident")
        .order_by("received_at")
    )
    changes = list(
        DirectorChange.objects.filter(case=case).select_related(
            "from_director__user", "to_director__user", "by__user"
        )
    )
    activities = list(
        Activity.objects.filter(case=case)
        .select_related("recorded_by__user")
        .prefetch_related("participants__user")
        .order_by("-date", "-pk")
    )
    scores = (
        AssessmentScore.objects.filter(assessment__case=case)
        .select_related("assessment", "life_domain")
        .order_by("-assessment__assessed_on", "-assessment__pk")
    )
    latest, seen = {}, {}
    for score in scores:
        domain = score.life_domain_id
        if domain not in latest:
            latest[domain] = {"domain": score.life_domain, "score": score, "previous": None}
        elif latest[domain]["previous"] is None and seen.get(domain) != score.assessment_id:
            latest[domain]["previous"] = score
        seen.setdefault(domain, score.assessment_id)
    zrm = sorted(latest.values(), key=lambda row: (row["domain"].position, row["domain"].name))
    for row in zrm:
        prev = row["previous"]
        row["change"] = row["score"].score - prev.score if prev else None
    assessments = list(
        Assessment.objects.filter(case=case)
        .select_related("assessed_by__user")
        .order_by("-assessed_on", "-pk")
    )
    plans = list(SupportPlan.objects.filter(case=case).order_by("-number"))
    current_plan = next((p for p in plans if p.status != SupportPlan.Status.SUPERSEDED), None)
    proposals = list(
        Proposal.objects.filter(case=case)
        .select_related("provision_type", "resident", "assigned_consultant__user")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("consultant__user", "letter").order_by(
                    "decided_at", "pk"
                ),
            )
        )
        .order_by("-created_at", "-pk")
    )
    provisions = list(
        Provision.objects.filter(case=case).select_related("provision_type", "resident")
    )
    follow_ups = list(FollowUp.objects.filter(case=case).select_related("done_by__user"))
    shares = list(
        CaseUserObjectPermission.objects.filter(content_object=case).select_related(
            "user", "granted_by__user"
        )
    )
    addable = list(
        visible_questions(user, case.municipality)
        .filter(resident__household_id=case.household_id, case__isnull=True)
        .exclude(status=Question.Status.CLOSED)
        .select_related("resident")
        .order_by("received_at")
    )
    # Questions one may not open (of another team, for a colleague the case was
    # shared with) are shown without a link that would end on "Geen toegang".
    openable = set(
        visible_questions(user, case.municipality).filter(case=case).values_list("pk", flat=True)
    )
    for question in questions:
        question.openable = question.pk in openable
    return {
        "members": members,
        "questions": questions,
        "director_changes": changes,
        "activities": activities,
        "zrm": zrm,
        "assessments": assessments,
        "plans": plans,
        "current_plan": current_plan,
        "proposals": proposals,
        "provisions": provisions,
        "follow_ups": follow_ups,
        "shares": shares,
        "addable_questions": addable,
    }


class CaseDetailView(CaseMixin, TemplateView):
    template_name = "cases/case_detail.html"

    def get_context_data(self, **kwargs):
        case, user = self.case, self.request.user
        log_access(request=self.request, action=A.VIEW, obj=case, resident=case.resident)
        return super().get_context_data(
            case=case,
            today=timezone.localdate(),
            **case_page_data(case, user),
            **_worker_flags(user, case),
            **kwargs,
        )


class CaseFormView(CaseMixin, FormView):
    """A form on a case, saved through a service; a GET shows it on its own page."""

    required_action = Action.CASE_WORK
    work = True
    template_name = "cases/case_form.html"
    title = ""
    success_message = ""
    log_action = A.CHANGE

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case, title=self.get_title(), cancel_url=self.case_url(), **kwargs
        )

    def get_title(self):
        return self.title % {"case": self.case}

    def get_initial(self):
        initial = super().get_initial()
        initial["version"] = self.case.version
        return initial

    def call(self, form):
        raise NotImplementedError

    def get_success_url(self):
        return self.case_url()

    rename: dict = {}

    def renamed(self, exc):
        """A service's error about a field the form names otherwise."""
        if not hasattr(exc, "error_dict"):
            return exc
        return ValidationError(
            {self.rename.get(key, key): value for key, value in exc.error_dict.items()}
        )

    def form_valid(self, form):
        result = call_service(form, lambda: self.call(form), errors=self.renamed)
        if result is REFUSED:
            return self.form_invalid(form)
        log_access(
            request=self.request, action=self.log_action, obj=self.case, resident=self.case.resident
        )
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


class CaseTitleView(CaseFormView):
    form_class = CaseTitleForm
    title = _("Omschrijving van %(case)s wijzigen")
    success_message = _("De omschrijving is opgeslagen.")

    def get_initial(self):
        return {**super().get_initial(), "title": self.case.title}

    def call(self, form):
        return services.case_update(
            actor=self.request.user,
            case=self.case,
            title=form.cleaned_data["title"],
            expected_version=form.cleaned_data["version"],
        )


class CaseHandOverView(CaseFormView):
    form_class = HandOverForm
    title = _("Regie van %(case)s overdragen")
    success_message = _("De regie is overgedragen.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def call(self, form):
        data = form.cleaned_data
        return services.case_hand_over(
            actor=self.request.user,
            case=self.case,
            to_director=data["to_director"],
            reason=data["reason"],
            expected_version=data["version"],
        )


class ActivityCreateView(CaseFormView):
    form_class = ActivityForm
    title = _("Activiteit vastleggen bij %(case)s")
    success_message = _("De activiteit is vastgelegd.")
    log_action = A.CREATE
    linked_consultant_may = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def get_initial(self):
        initial = super().get_initial()
        if self.request.method == "GET" and self.request.GET.get("soort") in Activity.Kind.values:
            initial["kind"] = self.request.GET["soort"]
        staff = staff_member_of(self.request.user, self.request.municipality)
        if staff is not None:
            initial["participants"] = [staff.pk]
        return initial

    def call(self, form):
        data = form.cleaned_data
        return services.activity_record(
            actor=self.request.user,
            case=self.case,
            kind=data["kind"],
            date=data["date"],
            participants=list(data["participants"]),
            other_participants=data["other_participants"],
            note=data["note"],
        )


class AssessmentCreateView(CaseFormView):
    form_class = AssessmentForm
    title = _("Zelfredzaamheid meten (ZRM) bij %(case)s")
    success_message = _("De meting is vastgelegd.")
    log_action = A.CREATE

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "domains": LifeDomain.objects.filter(is_active=True),
        }

    def call(self, form):
        return services.assessment_record(
            actor=self.request.user,
            case=self.case,
            assessed_on=form.cleaned_data["assessed_on"],
            scores=form.scores(),
            note=form.cleaned_data["note"],
        )


class CaseCloseView(CaseFormView):
    form_class = CloseCaseForm
    title = _("%(case)s afsluiten")
    success_message = _("De casus is afgesloten.")

    rename = {"follow_up_dates": "follow_up_1"}

    def call(self, form):
        return services.case_close(
            actor=self.request.user,
            case=self.case,
            note=form.cleaned_data["note"],
            follow_up_dates=form.follow_up_dates(),
            expected_version=form.cleaned_data["version"],
        )


class CaseShareView(CaseFormView):
    form_class = ShareForm
    title = _("%(case)s delen met een collega")
    success_message = _("De casus is gedeeld.")
    log_action = None  # the service logs the share

    def form_valid(self, form):
        data = form.cleaned_data
        result = call_service(
            form,
            lambda: services.case_share(
                actor=self.request.user,
                case=self.case,
                staff_member=data["staff_member"],
                reason=data["reason"],
            ),
        )
        if result is REFUSED:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("De casus is gedeeld met %(name)s.") % {"name": data["staff_member"].user.full_name},
        )
        return redirect(self.case_url())


class CasePostView(CaseMixin, View):
    """A button on the case page (no form page of its own)."""

    required_action = Action.CASE_WORK
    work = True

    def post(self, request, *args, **kwargs):
        try:
            message = self.act()
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            log_access(request=request, action=A.CHANGE, obj=self.case, resident=self.case.resident)
            messages.success(request, message)
        return redirect(self.next_url())

    def next_url(self):
        return self.case_url()

    def version(self):
        return parse_id(self.request.POST.get("version"))


class CaseReopenView(CasePostView):
    def act(self):
        services.case_reopen(
            actor=self.request.user, case=self.case, expected_version=self.version()
        )
        return _("De casus is heropend.")


class CaseUnshareView(CasePostView):
    def post(self, request, *args, **kwargs):
        grant = (
            CaseUserObjectPermission.objects.filter(
                content_object=self.case, pk=parse_id(request.POST.get("grant"))
            )
            .select_related("user")
            .first()
        )
        if grant is None:
            raise Http404
        services.case_unshare(actor=request.user, case=self.case, grant=grant)
        messages.success(
            request, _("%(name)s kan de casus niet meer inzien.") % {"name": grant.user.full_name}
        )
        return redirect(self.case_url())


class CaseAddQuestionView(CasePostView):
    """Add another question of the household to the case."""

    def post(self, request, *args, **kwargs):
        question = get_object_or_404(
            visible_questions(request.user, request.municipality), pk=self.kwargs["question_pk"]
        )
        try:
            services.case_add_question(actor=request.user, case=self.case, question=question)
        except DomainError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            log_access(request=request, action=A.CHANGE, obj=question)
            messages.success(request, _("De vraag hoort nu bij deze casus."))
        return redirect(self.case_url())


class CaseOpenView(MunicipalityRequiredMixin, View):
    """Casus starten: turn a question into a case; the actor becomes director."""

    model = Question
    required_action = Action.CASE_WORK

    def post(self, request, pk):
        question = get_object_or_404(visible_questions(request.user, request.municipality), pk=pk)
        try:
            case = services.case_open(actor=request.user, question=question)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("intake:question_detail", pk=question.pk)
        log_access(request=request, action=A.CREATE, obj=case, resident=case.resident)
        messages.success(request, _("%(case)s is gestart; u bent de regisseur.") % {"case": case})
        return redirect("cases:detail", pk=case.pk)


# --- follow-up -----------------------------------------------------------------------


class FollowUpRecordView(CaseChildMixin, FormView):
    model = FollowUp
    required_action = Action.CASE_WORK
    work = True
    form_class = FollowUpForm
    template_name = "cases/case_form.html"

    def get_initial(self):
        return {**super().get_initial(), "version": self.obj.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case,
            title=_("Uitkomst van het vervolgcontact van %(date)s")
            % {"date": date_format(self.obj.due_on, "SHORT_DATE_FORMAT")},
            cancel_url=self.case_url(),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        result = call_service(
            form,
            lambda: services.follow_up_record(
                actor=self.request.user,
                follow_up=self.obj,
                outcome=data["outcome"],
                done_on=data["done_on"],
                expected_version=data["version"],
            ),
        )
        if result is REFUSED:
            return self.form_invalid(form)
        log_access(
            request=self.request, action=A.CHANGE, obj=self.case, resident=self.case.resident
        )
        messages.success(self.request, _("De uitkomst van het vervolgcontact is vastgelegd."))
        return redirect(self.case_url())


# --- the support plan ----------------------------------------------------------------


class PlanView(CaseMixin, TemplateView):
    """The support plan: the draft (editable) or the agreed version, and the
    older versions read-only."""

    template_name = "cases/plan.html"

    def get_context_data(self, **kwargs):
        case, user = self.case, self.request.user
        log_access(
            request=self.request,
            action=A.VIEW,
            obj=case,
            resident=case.resident,
            object_label=_("%(case)s (ondersteuningsplan)") % {"case": case},
        )
        plans = list(
            SupportPlan.objects.filter(case=case)
            .select_related("created_by__user", "updated_by__user")
            .prefetch_related(
                Prefetch(
                    "goals",
                    queryset=Goal.objects.select_related("life_domain").prefetch_related(
                        Prefetch("solutions", queryset=Solution.objects.order_by("level", "pk"))
                    ),
                )
            )
            .order_by("-number")
        )
        current = next((p for p in plans if p.status != SupportPlan.Status.SUPERSEDED), None)
        flags = _worker_flags(user, case)
        editable = current is not None and current.is_draft and flags["may_work"]
        forms = {}
        if editable:
            # Several forms on one page: ids of their own (the names stay plain).
            forms = {
                "summary_form": PlanSummaryForm(
                    initial={"summary": current.summary, "version": current.version},
                    auto_id="samenvatting-%s",
                ),
                "goal_form": GoalForm(initial={"version": current.version}, auto_id="doel-%s"),
                "agree_form": PlanAgreeForm(
                    initial={"version": current.version, "agreed_on": timezone.localdate()},
                    auto_id="afspraak-%s",
                ),
            }
            for goal in current.goals.all():
                goal.solution_form = SolutionForm(
                    initial={"version": current.version}, auto_id=f"oplossing-{goal.pk}-%s"
                )
        return super().get_context_data(
            case=case,
            plan=current,
            older=[p for p in plans if p is not current],
            editable=editable,
            **forms,
            **flags,
            **kwargs,
        )


class PlanStartView(CasePostView):
    def act(self):
        plan = services.plan_start(actor=self.request.user, case=self.case)
        return _("%(plan)s staat klaar om te bewerken.") % {"plan": plan}

    def next_url(self):
        return reverse("cases:plan", args=[self.case.pk])


class PlanFormView(CaseChildMixin, FormView):
    """A form of the plan page, posted to its own URL; errors show the form on a
    page of its own, with the plan's link to go back."""

    model = SupportPlan
    required_action = Action.CASE_WORK
    work = True
    template_name = "cases/case_form.html"
    title = ""
    success_message = ""

    def plan(self):
        return self.obj

    def get(self, request, *args, **kwargs):
        return redirect(self.plan_url())

    def plan_url(self):
        return reverse("cases:plan", args=[self.case.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case, title=self.title, cancel_url=self.plan_url(), **kwargs
        )

    def form_valid(self, form):
        result = call_service(form, lambda: self.call(form, form.cleaned_data))
        if result is REFUSED:
            return self.form_invalid(form)
        log_access(
            request=self.request, action=A.CHANGE, obj=self.case, resident=self.case.resident
        )
        messages.success(self.request, self.success_message)
        return redirect(self.plan_url())


class PlanSummaryView(PlanFormView):
    form_class = PlanSummaryForm
    title = _("Samenvatting van het plan")
    success_message = _("De samenvatting is opgeslagen.")

    def call(self, form, data):
        return services.plan_update(
            actor=self.request.user,
            plan=self.obj,
            summary=data["summary"],
            expected_version=data["version"],
        )


class GoalAddView(PlanFormView):
    form_class = GoalForm
    title = _("Doel toevoegen")
    success_message = _("Het doel is toegevoegd.")

    def call(self, form, data):
        return services.goal_add(
            actor=self.request.user,
            plan=self.obj,
            life_domain=data["life_domain"],
            description=data["description"],
            expected_version=data["version"],
        )


class PlanAgreeView(PlanFormView):
    form_class = PlanAgreeForm
    title = _("Plan afspreken met de inwoner")
    success_message = _("Het plan is vastgesteld met de inwoner.")

    def call(self, form, data):
        return services.plan_agree(
            actor=self.request.user,
            plan=self.obj,
            agreed_on=data["agreed_on"],
            expected_version=data["version"],
        )


class GoalRemoveView(PlanFormView):
    model = Goal
    child_path = "plan__case"
    form_class = VersionOnlyForm
    title = _("Doel verwijderen")
    success_message = _("Het doel is verwijderd.")

    def child_queryset(self):
        return Goal.objects.select_related("plan")

    def call(self, form, data):
        return services.goal_remove(
            actor=self.request.user, goal=self.obj, expected_version=data["version"]
        )


class SolutionAddView(GoalRemoveView):
    form_class = SolutionForm
    title = _("Oplossing toevoegen")
    success_message = _("De oplossing is toegevoegd.")

    def call(self, form, data):
        return services.solution_add(
            actor=self.request.user,
            goal=self.obj,
            level=data["level"],
            description=data["description"],
            expected_version=data["version"],
        )


class SolutionRemoveView(PlanFormView):
    model = Solution
    child_path = "goal__plan__case"
    form_class = VersionOnlyForm
    title = _("Oplossing verwijderen")
    success_message = _("De oplossing is verwijderd.")

    def child_queryset(self):
        return Solution.objects.select_related("goal__plan")

    def call(self, form, data):
        return services.solution_remove(
            actor=self.request.user, solution=self.obj, expected_version=data["version"]
        )


# --- voorwerk (proposals), team side -----------------------------------------------------


class ProposalCreateView(CaseFormView):
    form_class = ProposalForm
    template_name = "cases/proposal_form.html"
    title = _("Voorstel maatwerkvoorziening bij %(case)s")
    log_action = A.CREATE

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

    def form_valid(self, form):
        data = form.cleaned_data
        proposal = call_service(
            form,
            lambda: decision_services.proposal_draft(
                actor=self.request.user,
                case=self.case,
                provision_type=data["provision_type"],
                **form.values(),
            ),
        )
        if proposal is REFUSED:
            return self.form_invalid(form)
        log_access(request=self.request, action=A.CREATE, obj=proposal, resident=proposal.resident)
        messages.success(self.request, _("Het voorstel is opgeslagen als concept."))
        return redirect("cases:proposal_detail", pk=proposal.pk)


class ProposalMixin(CaseChildMixin):
    model = Proposal

    def child_queryset(self):
        return Proposal.objects.select_related(
            "provision_type",
            "resident",
            "assigned_consultant__user",
            "plan",
            "case",
            "revises__provision_type",
        )

    def proposal_url(self):
        return reverse("cases:proposal_detail", args=[self.obj.pk])


class ProposalDetailView(ProposalMixin, TemplateView):
    template_name = "cases/proposal_detail.html"

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
        flags = _worker_flags(user, self.case)
        return super().get_context_data(
            case=self.case,
            proposal=proposal,
            decisions=decisions,
            return_question=returned if proposal.status == Proposal.Status.RETURNED else None,
            days_left=proposal.days_left(),
            **flags,
            **kwargs,
        )


class ProposalEditView(ProposalMixin, FormView):
    required_action = Action.CASE_WORK
    work = True
    form_class = ProposalForm
    template_name = "cases/proposal_form.html"

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

    def form_valid(self, form):
        data = form.cleaned_data
        result = call_service(
            form,
            lambda: decision_services.proposal_update(
                actor=self.request.user,
                proposal=self.obj,
                expected_version=data["version"],
                provision_type=data["provision_type"],
                **form.values(),
            ),
        )
        if result is REFUSED:
            return self.form_invalid(form)
        log_access(request=self.request, action=A.CHANGE, obj=self.obj, resident=self.obj.resident)
        messages.success(self.request, _("Het voorstel is opgeslagen."))
        return redirect(self.proposal_url())


class ProposalPostView(ProposalMixin, View):
    required_action = Action.CASE_WORK
    work = True

    def post(self, request, *args, **kwargs):
        try:
            message = self.act(parse_id(request.POST.get("version")))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            log_access(request=request, action=A.CHANGE, obj=self.obj, resident=self.obj.resident)
            messages.success(request, message)
        return redirect(self.proposal_url())


class ProposalSubmitView(ProposalPostView):
    def act(self, version):
        proposal = decision_services.proposal_submit(
            actor=self.request.user, proposal=self.obj, expected_version=version
        )
        if proposal.assigned_consultant_id:
            return _("Het voorstel is ingediend bij %(name)s.") % {
                "name": proposal.assigned_consultant.user.full_name
            }
        return _("Het voorstel is ingediend in de wachtrij van het loket.")


class ProposalWithdrawView(ProposalPostView):
    def act(self, version):
        decision_services.proposal_withdraw(
            actor=self.request.user, proposal=self.obj, expected_version=version
        )
        return _("Het voorstel is ingetrokken.")


# --- the household -------------------------------------------------------------------


class HouseholdView(MunicipalityRequiredMixin, TemplateView):
    """All members' questions, cases, plans and provisions, as far as the user
    may see them. Without a question or case of the household in view, the
    household does not exist for them (404)."""

    model = Household
    required_action = Action.CASE_VIEW
    template_name = "cases/household.html"

    def get_context_data(self, **kwargs):
        user, municipality = self.request.user, self.request.municipality
        household = get_object_or_404(Household.objects.all(), pk=self.kwargs["pk"])
        cases = list(
            selectors.visible_cases(user, municipality)
            .filter(household=household)
            .select_related("resident", "team", "director__user")
            .prefetch_related(
                Prefetch(
                    "plans",
                    queryset=SupportPlan.objects.exclude(
                        status=SupportPlan.Status.SUPERSEDED
                    ).order_by("-number"),
                    to_attr="current_plans",
                )
            )
            .order_by("-opened_on", "-pk")
        )
        questions = list(
            visible_questions(user, municipality)
            .filter(resident__household=household)
            .select_related("resident", "team", "case")
            .order_by("-received_at")
        )
        if not cases and not questions:
            raise Http404
        members = list(Resident.objects.filter(household=household).order_by("date_of_birth", "pk"))
        provisions = list(
            Provision.objects.filter(household=household, case__in=[c.pk for c in cases])
            .select_related("provision_type", "resident", "case")
            .order_by("-start_date", "-pk")
        )
        log_access(
            request=self.request,
            action=A.VIEW,
            obj=household,
            object_label=_("%(household)s (huishoudoverzicht)") % {"household": household},
        )
        for member in members:
            log_access(
                request=self.request,
                action=A.VIEW,
                obj=member,
                object_label=_("%(name)s (als lid van %(household)s)")
                % {"name": member, "household": household},
            )
        return super().get_context_data(
            household=household,
            members=members,
            cases=cases,
            questions=questions,
            provisions=provisions,
            may_read_residents=has_action(user, municipality, Action.QUESTION_VIEW),
            **kwargs,
        )


# For the question page: whether the 'Casus starten' button is offered.
may_open_case = rules.may_open_case
