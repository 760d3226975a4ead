"""Pages of cases on the team side: the case list, a case with its activities,
assessments (ZRM), support plan, voorwerk, decisions and follow-up, the forms
that change them (each through a service), and the household page.

Access: `case.view` to read (404 for a case one may not see, whatever the
municipality), `case.work` and working on the case (`is_case_worker`, checked
again by the services) to change. Every read of a case is in the access log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from apps.access import rules
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access, log_list
from apps.cases import selectors, services
from apps.cases.forms import (
    ActivityForm,
    AssessmentForm,
    CaseFilterForm,
    CaseJoinForm,
    CaseTitleForm,
    CloseCaseForm,
    FollowUpForm,
    GoalForm,
    HandOverForm,
    PlanAgreeForm,
    PlanSummaryForm,
    ShareForm,
    SolutionForm,
    VersionOnlyForm,
)
from apps.cases.models import (
    Activity,
    CaseJoin,
    CaseUserObjectPermission,
    FollowUp,
    Goal,
    Solution,
    SupportPlan,
)
from apps.cases.pages import CaseChildFormView, CaseFormView, CaseMixin, worker_flags
from apps.core.exceptions import DomainError
from apps.core.forms import TextCorrectionForm
from apps.core.http import parse_id, posted_version
from apps.core.mixins import MunicipalityRequiredMixin
from apps.core.pagination import BoundedPaginator, filter_query
from apps.intake.models import Household, LifeDomain, Question
from apps.intake.selectors import visible_questions
from apps.intake.services import staff_member_of
from apps.teams.models import Team
from apps.tenants.permissions import Action, has_action

A = AccessLogEntry.Action
PAGE_SIZE = 50


# --- the list ------------------------------------------------------------------------


class CaseListView(MunicipalityRequiredMixin, TemplateView):
    """Mijn casussen and the caseload of my teams, with the follow-up check-ins
    that are due."""

    required_action = Action.CASE_VIEW
    template_name = "cases/case_list.html"

    def get_context_data(self, **kwargs):
        user, municipality = self.request.user, self.request.municipality
        form, filters = self.filters()
        qs = selectors.case_list(user, municipality, next_follow_up=True, **filters)
        page = BoundedPaginator(qs, PAGE_SIZE).get_page(self.request.GET.get("pagina"))
        cases = list(page.object_list)
        follow_ups = selectors.due_follow_ups(user, municipality)
        self.log_shown(cases, follow_ups, filters["term"])
        return super().get_context_data(
            form=form,
            page=page,
            cases=cases,
            follow_ups=follow_ups,
            filter_query=filter_query(self.request, "pagina"),
            today=timezone.localdate(),
            coordinated_teams=self.coordinated_teams(),
            **kwargs,
        )

    def coordinated_teams(self) -> list:
        """The teams whose work the user divides (a link to each one's work page)."""
        ids = rules.team_ids(self.request.user, self.request.municipality, (rules.F.COORDINATOR,))
        return list(Team.objects.filter(pk__in=ids).order_by("name")) if ids else []

    def filters(self) -> tuple[CaseFilterForm, dict]:
        """The filter form and what it asks of `selectors.case_list`: without a
        choice, the running cases the user directs."""
        user, municipality = self.request.user, self.request.municipality
        teams = Team.objects.filter(
            pk__in=rules.team_ids(user, municipality, rules.CASE_VIEWING_FUNCTIONS)
        ).order_by("name")
        form = CaseFilterForm(self.request.GET or None, teams=teams)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        status = data.get("status", "")
        return form, {
            "mine": data.get("scope", "mine" if not form.is_bound else "") == "mine",
            "team": data.get("team") or None,
            "status": "" if status in ("", "any") else status,
            "running": True if status == "" else None,
            "term": (data.get("q") or "").strip(),
        }

    def log_shown(self, cases, follow_ups, term) -> None:
        """One access-log entry for the page: the cases listed and those of the
        check-ins due (a search is logged as such, even when it finds nothing)."""
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


# --- one case ------------------------------------------------------------------------


class CaseDetailView(CaseMixin, TemplateView):
    template_name = "cases/case_detail.html"

    def get_context_data(self, **kwargs):
        case, user = self.case, self.request.user
        contents = selectors.case_contents(case, user)
        log_access(
            request=self.request,
            action=A.VIEW,
            obj=case,
            resident=case.resident,
            resident_ids=contents.resident_ids(),
        )
        flags = worker_flags(user, case)
        for activity in contents.activities:
            # The user sees the case: who may correct needs no further query.
            activity.may_correct = rules.corrects_activity_note(user, activity, case)
        return super().get_context_data(
            case=case,
            today=timezone.localdate(),
            case_joins=selectors.case_joins(case),
            **contents.as_context(),
            **flags,
            **kwargs,
        )


class CaseTitleView(CaseFormView):
    form_class = CaseTitleForm
    title = gettext_lazy("Omschrijving van %(case)s wijzigen")
    success_message = gettext_lazy("De omschrijving is opgeslagen.")

    service = staticmethod(services.case_update)
    service_fields = ("title",)

    def get_initial(self):
        return {**super().get_initial(), "title": self.case.title}


class CaseHandOverView(CaseFormView):
    form_class = HandOverForm
    title = gettext_lazy("Regie van %(case)s overdragen")
    success_message = gettext_lazy("De regie is overgedragen.")

    service = staticmethod(services.case_hand_over)
    service_fields = ("to_director", "reason")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}


class ActivityCreateView(CaseFormView):
    form_class = ActivityForm
    title = gettext_lazy("Activiteit vastleggen bij %(case)s")
    success_message = gettext_lazy("De activiteit is vastgelegd.")
    linked_consultant_may = True
    service = staticmethod(services.activity_record)
    service_fields = ("kind", "date", "other_participants", "note")
    service_versioned = False

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

    def service_values(self, form):
        return {"participants": list(form.cleaned_data["participants"])}


class ActivityCorrectView(CaseChildFormView):
    """Correct an activity's note (its author or the case's director): the earlier
    note is kept and shown on the case page."""

    model = Activity
    form_class = TextCorrectionForm
    required_action = Action.CASE_VIEW
    service = staticmethod(services.activity_note_correct)
    service_object = "activity"
    service_fields = ("text", "reason")
    success_message = gettext_lazy("Het verslag is gecorrigeerd; de eerdere versie is bewaard.")

    def child_queryset(self):
        return Activity.objects.select_related("case", "recorded_by__user")

    def may_work_on(self, case) -> bool:
        return rules.corrects_activity_note(self.request.user, self.obj, case)

    def get(self, request, *args, **kwargs):
        # The form shows the note: a read of the case's file.
        log_access(request=request, action=A.VIEW, obj=self.obj, resident=self.case.resident)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "text_label": _("Verslag"),
            "text_required": False,
        }

    def get_initial(self):
        return {**super().get_initial(), "text": self.obj.note, "version": self.obj.version}

    def get_title(self):
        return _("Verslag van %(activity)s corrigeren") % {"activity": self.obj}


class AssessmentCreateView(CaseFormView):
    form_class = AssessmentForm
    title = gettext_lazy("Zelfredzaamheid meten (ZRM) bij %(case)s")
    success_message = gettext_lazy("De meting is vastgelegd.")
    service = staticmethod(services.assessment_record)
    service_fields = ("assessed_on", "note")
    service_versioned = False

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "domains": LifeDomain.objects.filter(is_active=True),
        }

    def service_values(self, form):
        return {"scores": form.scores()}


class CaseCloseView(CaseFormView):
    form_class = CloseCaseForm
    title = gettext_lazy("%(case)s afsluiten")
    success_message = gettext_lazy("De casus is afgesloten.")

    rename = {"follow_up_dates": "follow_up_1"}
    service = staticmethod(services.case_close)
    service_fields = ("note",)

    def service_values(self, form):
        return {"follow_up_dates": form.follow_up_dates()}


class CaseShareView(CaseFormView):
    form_class = ShareForm
    title = gettext_lazy("%(case)s delen met een collega")
    success_message = gettext_lazy("De casus is gedeeld.")

    service = staticmethod(services.case_share)
    service_fields = ("staff_member", "reason")
    service_versioned = False

    def get_success_message(self, result):
        return _("De casus is gedeeld met %(name)s.") % {"name": result.user.full_name}


class CaseJoinView(CaseFormView):
    """Schilpartner laten aansluiten: the director or the team's coordinator asks
    a shell partner of the team to join this case."""

    form_class = CaseJoinForm
    title = gettext_lazy("Schilpartner laten aansluiten bij %(case)s")

    service = staticmethod(services.case_join)
    service_fields = ("staff_member", "reason")
    service_versioned = False

    def may_work_on(self, case) -> bool:
        return rules.may_steer_case(self.request.user, case)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def get_success_message(self, result):
        return _("%(name)s is aangesloten bij de casus.") % {
            "name": result.staff_member.user.full_name
        }


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
            messages.success(request, message)
        return redirect(self.next_url())

    def next_url(self):
        return self.case_url()


class CaseReopenView(CasePostView):
    def act(self):
        services.case_reopen(
            actor=self.request.user, case=self.case, expected_version=posted_version(self.request)
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


class CaseJoinRevokeView(CasePostView):
    def post(self, request, *args, **kwargs):
        join = (
            CaseJoin.objects.filter(case=self.case, pk=parse_id(request.POST.get("join")))
            .select_related("staff_member__user")
            .first()
        )
        if join is None:
            raise Http404
        try:
            services.case_join_revoke(actor=request.user, case=self.case, join=join)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(name)s werkt niet meer aan de casus.")
                % {"name": join.staff_member.user.full_name},
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
        messages.success(request, _("%(case)s is gestart; u bent de regisseur.") % {"case": case})
        return redirect("cases:detail", pk=case.pk)


# --- follow-up -----------------------------------------------------------------------


class FollowUpRecordView(CaseChildFormView):
    model = FollowUp
    form_class = FollowUpForm
    service = staticmethod(services.follow_up_record)
    service_object = "follow_up"
    service_fields = ("outcome", "done_on")
    success_message = gettext_lazy("De uitkomst van het vervolgcontact is vastgelegd.")

    def get_initial(self):
        return {**super().get_initial(), "version": self.obj.version}

    def get_title(self):
        return _("Uitkomst van het vervolgcontact van %(date)s") % {
            "date": date_format(self.obj.due_on, "SHORT_DATE_FORMAT")
        }


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
        current, older = selectors.plan_versions(case)
        flags = worker_flags(user, case)
        editable = current is not None and current.is_draft and flags["may_work"]
        return super().get_context_data(
            case=case,
            plan=current,
            older=older,
            editable=editable,
            **(self.plan_forms(current) if editable else {}),
            **flags,
            **kwargs,
        )

    @staticmethod
    def plan_forms(current) -> dict:
        """The draft's forms. Several forms on one page: ids of their own (the
        names stay plain)."""
        for goal in current.goals.all():
            goal.solution_form = SolutionForm(
                initial={"version": current.version}, auto_id=f"oplossing-{goal.pk}-%s"
            )
        return {
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


class PlanStartView(CasePostView):
    def act(self):
        plan = services.plan_start(actor=self.request.user, case=self.case)
        return _("%(plan)s staat klaar om te bewerken.") % {"plan": plan}

    def next_url(self):
        return reverse("cases:plan", args=[self.case.pk])


class PlanFormView(CaseChildFormView):
    """A form of the plan page, posted to its own URL; errors show the form on a
    page of its own, with the plan's link to go back. Each form is a subclass made
    by `on()`."""

    # What a form is posted on, and the way from there to the case.
    PARTS = {
        "plan": (SupportPlan, "case"),
        "goal": (Goal, "plan__case"),
        "solution": (Solution, "goal__plan__case"),
    }

    def get(self, request, *args, **kwargs):
        return redirect(self.return_url())

    def return_url(self):
        return reverse("cases:plan", args=[self.case.pk])

    @classmethod
    def on(cls, name, part, form_class, service, fields, title, success_message):
        """The page `name` of the form `form_class` posted on `part` (the plan, a
        goal or a solution), saved by `service` with the form's `fields`."""
        model, child_path = cls.PARTS[part]
        attrs = {
            "__module__": cls.__module__,
            "__qualname__": name,
            "model": model,
            "child_path": child_path,
            "service_object": part,
            "form_class": form_class,
            "service": staticmethod(service),
            "service_fields": fields,
            "title": title,
            "success_message": success_message,
        }
        return type(name, (cls,), attrs)


# The forms of the plan page: posted on, form, service and the fields it takes, title,
# success message.
PlanSummaryView = PlanFormView.on(
    "PlanSummaryView",
    "plan",
    PlanSummaryForm,
    services.plan_update,
    ("summary",),
    gettext_lazy("Samenvatting van het plan"),
    gettext_lazy("De samenvatting is opgeslagen."),
)
GoalAddView = PlanFormView.on(
    "GoalAddView",
    "plan",
    GoalForm,
    services.goal_add,
    ("life_domain", "description"),
    gettext_lazy("Doel toevoegen"),
    gettext_lazy("Het doel is toegevoegd."),
)
PlanAgreeView = PlanFormView.on(
    "PlanAgreeView",
    "plan",
    PlanAgreeForm,
    services.plan_agree,
    ("agreed_on",),
    gettext_lazy("Plan afspreken met de inwoner"),
    gettext_lazy("Het plan is vastgesteld met de inwoner."),
)
GoalRemoveView = PlanFormView.on(
    "GoalRemoveView",
    "goal",
    VersionOnlyForm,
    services.goal_remove,
    (),
    gettext_lazy("Doel verwijderen"),
    gettext_lazy("Het doel is verwijderd."),
)
SolutionAddView = PlanFormView.on(
    "SolutionAddView",
    "goal",
    SolutionForm,
    services.solution_add,
    ("level", "description"),
    gettext_lazy("Oplossing toevoegen"),
    gettext_lazy("De oplossing is toegevoegd."),
)
SolutionRemoveView = PlanFormView.on(
    "SolutionRemoveView",
    "solution",
    VersionOnlyForm,
    services.solution_remove,
    (),
    gettext_lazy("Oplossing verwijderen"),
    gettext_lazy("De oplossing is verwijderd."),
)


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
        overview = selectors.household_overview(user, municipality, household)
        if overview is None:
            raise Http404
        log_access(
            request=self.request,
            action=A.VIEW,
            obj=household,
            object_label=_("%(household)s (huishoudoverzicht)") % {"household": household},
        )
        for member in overview.members:
            log_access(
                request=self.request,
                action=A.VIEW,
                obj=member,
                object_label=_("%(name)s (als lid van %(household)s)")
                % {"name": member, "household": household},
            )
        return super().get_context_data(
            household=household,
            members=overview.members,
            cases=overview.cases,
            questions=overview.questions,
            provisions=overview.provisions,
            may_read_residents=has_action(user, municipality, Action.QUESTION_VIEW),
            **kwargs,
        )
