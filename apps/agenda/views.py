"""The agenda pages: my agenda, a team's agenda, an appointment and its forms
(plan on a case or a question, reschedule, cancel, record as an activity), the
private address for one's own calendar and the calendar feed itself. Thin: the
services decide and write, `apps.access.rules` says who may."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django_scopes import scope

from apps.access import rules
from apps.agenda import feed, selectors, services
from apps.agenda.forms import (
    AppointmentCancelForm,
    AppointmentPlanForm,
    AppointmentRecordForm,
    AppointmentUpdateForm,
)
from apps.agenda.models import Appointment, CalendarFeed
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access, log_list
from apps.cases import selectors as cases_selectors
from apps.core.edit_views import ServiceFormView
from apps.core.exceptions import DomainError
from apps.core.http import parse_id
from apps.core.mixins import MunicipalityRequiredMixin
from apps.core.versioning import call_versioned
from apps.intake.models import Question
from apps.intake.services import staff_member_of
from apps.teams.models import Team
from apps.tenants.models import Municipality
from apps.tenants.permissions import Action, has_action

logger = logging.getLogger("portal.security")

A = AccessLogEntry.Action


def plans_appointments(user, municipality) -> bool:
    """The roles that plan appointments at all: on a case (`case.work`) or on a
    question (`question.handle`)."""
    return has_action(user, municipality, Action.CASE_WORK) or has_action(
        user, municipality, Action.QUESTION_HANDLE
    )


def resident_of(appointment) -> int | None:
    """Whose file an appointment is about, without a query (the list selects the
    case and the question)."""
    subject = appointment.case if appointment.case_id else appointment.question
    return subject.resident_id


def log_shown(request, appointments, label) -> None:
    log_list(
        request=request,
        objects=appointments,
        object_type="agenda.appointment",
        object_label=label,
        resident_of=resident_of,
    )


# --- the agendas ------------------------------------------------------------------------


class MyAgendaView(MunicipalityRequiredMixin, TemplateView):
    """Mijn agenda: the appointments one organises or takes part in."""

    required_action = Action.START_VIEW
    template_name = "agenda/my_agenda.html"

    def get_context_data(self, **kwargs):
        request = self.request
        staff = staff_member_of(request.user, request.municipality)
        lists = (
            selectors.personal_agenda(request.user, request.municipality, staff)
            if staff is not None
            else {"upcoming": [], "to_record": []}
        )
        shown = [*lists["upcoming"], *lists["to_record"]]
        log_shown(request, shown, _("mijn agenda, %(count)s getoond") % {"count": len(shown)})
        team_ids = rules.team_ids(request.user, request.municipality, rules.HANDLING_FUNCTIONS)
        teams = Team.objects.filter(pk__in=team_ids)
        return super().get_context_data(teams=list(teams.order_by("name")), **lists, **kwargs)


class TeamAgendaView(MunicipalityRequiredMixin, TemplateView):
    """The planned appointments on a team's cases and questions, for its members:
    the team of `?team=<id>` (another municipality's: 404; one the user is not a
    member of: 403), else the first of the user's teams."""

    required_action = Action.START_VIEW
    template_name = "agenda/team_agenda.html"

    def get_context_data(self, **kwargs):
        request = self.request
        team_ids = rules.team_ids(request.user, request.municipality, rules.HANDLING_FUNCTIONS)
        teams = list(Team.objects.filter(pk__in=team_ids).order_by("name"))
        given = request.GET.get("team")
        if given:
            pk = parse_id(given)
            if pk is None:
                raise Http404
            team = get_object_or_404(Team.objects.all(), pk=pk)
            if not rules.is_team_agenda_member(request.user, team):
                raise PermissionDenied(_("U bent geen lid van dit team."))
        else:
            team = teams[0] if teams else None
        appointments = (
            selectors.team_agenda(request.user, request.municipality, team) if team else []
        )
        if team is not None:
            log_shown(
                request,
                appointments,
                _("agenda van %(team)s, %(count)s getoond")
                % {"team": team, "count": len(appointments)},
            )
        return super().get_context_data(team=team, teams=teams, appointments=appointments, **kwargs)


# --- one appointment --------------------------------------------------------------------


class AppointmentMixin(MunicipalityRequiredMixin):
    """Loads the appointment of the URL: 404 of another municipality and when the
    user does not see its case or question (as the case page). With `plan = True`
    the user must also work on it (403)."""

    model = Appointment
    required_action = Action.START_VIEW
    plan = False

    @cached_property
    def appointment(self):
        appointment = get_object_or_404(
            selectors.with_details(Appointment.objects.all()), pk=self.kwargs["pk"]
        )
        if not rules.can_see_appointment(self.request.user, appointment):
            raise Http404
        if self.plan and not rules.may_plan_appointment(self.request.user, appointment):
            raise PermissionDenied(_("U werkt niet aan de casus of vraag van deze afspraak."))
        return appointment

    def before_handler(self, request):
        # The role first (403 for any id without it), then the object (404/403).
        if self.plan and not plans_appointments(request.user, request.municipality):
            raise PermissionDenied(_("U plant geen afspraken."))
        self.appointment  # noqa: B018 (404/403 before anything else)
        return super().before_handler(request)

    def detail_url(self):
        return reverse("agenda:detail", args=[self.appointment.pk])


class AppointmentDetailView(AppointmentMixin, TemplateView):
    template_name = "agenda/appointment_detail.html"

    def get_context_data(self, **kwargs):
        appointment = self.appointment
        log_access(
            request=self.request,
            action=A.VIEW,
            obj=appointment,
            resident=appointment.subject.resident,
        )
        return super().get_context_data(
            appointment=appointment,
            may_plan=rules.may_plan_appointment(self.request.user, appointment),
            is_planned=appointment.status == Appointment.Status.PLANNED,
            has_started=appointment.starts_at <= timezone.now(),
            **kwargs,
        )


class AgendaFormView(ServiceFormView):
    """A form of the agenda on its own page (`agenda/form.html`): a title, the
    way back, saved through a service."""

    template_name = "agenda/form.html"
    title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.get_title(), cancel_url=self.back_url(), **kwargs
        )

    def get_title(self):
        return self.title

    def back_url(self):
        return self.get_success_url()


class AppointmentFormView(AppointmentMixin, AgendaFormView):
    """A change of one appointment, with its version."""

    plan = True
    fields_taken: tuple[str, ...] = ()
    service = None

    def get_initial(self):
        return {"version": self.appointment.version}

    def get_success_url(self):
        return self.detail_url()

    def get_title(self):
        return self.title % {"appointment": self.appointment}

    def service_values(self, form) -> dict:
        return {}

    def call(self, form, data):
        return call_versioned(
            self.service,
            actor=self.request.user,
            data=data,
            fields=self.fields_taken,
            appointment=self.appointment,
            **self.service_values(form),
        )


class AppointmentUpdateView(AppointmentFormView):
    form_class = AppointmentUpdateForm
    title = gettext_lazy("Afspraak %(appointment)s verzetten")
    success_message = gettext_lazy("De afspraak is gewijzigd.")
    service = staticmethod(services.appointment_update)
    fields_taken = ("starts_at", "ends_at", "place", "other_participants")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "team": self.appointment.subject.team}

    def get_initial(self):
        a = self.appointment
        return {
            **super().get_initial(),
            "starts_at": timezone.localtime(a.starts_at),
            "ends_at": timezone.localtime(a.ends_at),
            "place": a.place,
            "other_participants": a.other_participants,
            "participants": list(a.participants.all()),
        }

    def service_values(self, form):
        return {"participants": list(form.cleaned_data["participants"])}


class AppointmentCancelView(AppointmentFormView):
    form_class = AppointmentCancelForm
    title = gettext_lazy("Afspraak %(appointment)s annuleren")
    success_message = gettext_lazy("De afspraak is geannuleerd.")
    service = staticmethod(services.appointment_cancel)
    fields_taken = ("reason",)


class AppointmentRecordView(AppointmentFormView):
    form_class = AppointmentRecordForm
    title = gettext_lazy("Afspraak %(appointment)s vastleggen als activiteit")
    success_message = gettext_lazy("De afspraak is vastgelegd als activiteit.")
    service = staticmethod(services.appointment_record_held)
    fields_taken = ("note",)


# --- planning -----------------------------------------------------------------------


class PlanFormView(MunicipalityRequiredMixin, AgendaFormView):
    """Plan an appointment on the case or question of the URL."""

    form_class = AppointmentPlanForm
    success_message = gettext_lazy("De afspraak is gepland.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "team": self.subject.team}

    def before_handler(self, request):
        self.subject  # noqa: B018 (404/403 before anything else)
        return super().before_handler(request)

    def get_success_url(self):
        return reverse("agenda:detail", args=[self.result.pk]) if self.result else self.back_url()

    def call(self, form, data):
        return services.appointment_plan(
            actor=self.request.user,
            kind=data["kind"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            participants=list(data["participants"]),
            other_participants=data["other_participants"],
            **{self.subject_name: self.subject},
        )


class PlanOnCaseView(PlanFormView):
    required_action = Action.CASE_WORK
    subject_name = "case"
    title = gettext_lazy("Afspraak plannen")

    @cached_property
    def subject(self):
        # A case one may not see is 404, as on the case pages.
        visible = cases_selectors.visible_cases(self.request.user, self.request.municipality)
        case = get_object_or_404(
            visible.select_related("team", "resident"), pk=self.kwargs["case_pk"]
        )
        if not rules.may_plan_on_case(self.request.user, case):
            raise PermissionDenied(_("U werkt niet aan deze casus."))
        return case

    def get_title(self):
        return _("Afspraak plannen bij %(case)s") % {"case": self.subject}

    def back_url(self):
        return reverse("cases:detail", args=[self.subject.pk])


class PlanOnQuestionView(PlanFormView):
    required_action = Action.QUESTION_HANDLE
    subject_name = "question"

    @cached_property
    def subject(self):
        question = get_object_or_404(
            Question.objects.select_related("team", "resident"), pk=self.kwargs["question_pk"]
        )
        if not rules.can_see_question(self.request.user, question):
            raise PermissionDenied(_("Deze vraag ligt niet bij een van uw teams."))
        if not rules.may_plan_on_question(self.request.user, question):
            raise PermissionDenied(_("U behandelt deze vraag niet."))
        return question

    def get_title(self):
        return _("Afspraak plannen bij %(question)s") % {"question": self.subject}

    def back_url(self):
        return reverse("intake:question_detail", args=[self.subject.pk])


# --- the calendar feed ----------------------------------------------------------------


class FeedSettingsView(MunicipalityRequiredMixin, TemplateView):
    """Agenda in je eigen kalender: make (or renew) and revoke the private
    address of one's agenda. The address is shown once, in the answer to the
    POST that made it; only its hash is kept."""

    required_action = Action.START_VIEW
    template_name = "agenda/feed_settings.html"

    def get_context_data(self, **kwargs):
        staff = staff_member_of(self.request.user, self.request.municipality)
        active = (
            CalendarFeed.objects.filter(staff_member=staff, revoked_at__isnull=True).first()
            if staff is not None
            else None
        )
        return super().get_context_data(active=active, **kwargs)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        context = {}
        try:
            if action == "create":
                _feed, key = services.calendar_feed_create(
                    actor=request.user, municipality=request.municipality
                )
                context["feed_url"] = feed.feed_url(key)
            elif action == "revoke":
                services.calendar_feed_revoke(actor=request.user, municipality=request.municipality)
                context["revoked"] = True
            else:
                context["error"] = _("Kies een actie.")
        except DomainError as exc:
            context["error"] = exc.message
        return render(request, self.template_name, self.get_context_data(**context))


def _unlogged(response):
    """A response Django's `django.request` logger leaves alone: its line names
    the path, which holds the feed's key. The view logs what it refused itself."""
    response._has_been_logged = True
    return response


@method_decorator(csrf_exempt, name="dispatch")  # GET only; a refused POST logs no path
class FeedView(View):
    """The calendar feed (text/calendar) of the key in the URL, without a login:
    the key's municipality scope, the person's appointments. A key that is
    unknown, revoked, of an inactive person or municipality: 404. The key is a
    secret in the URL, so no log line names the path: a refusal is answered
    without Django's request log and written to the security log by feed id (or
    the first characters of the key's hash), never the key. A person found
    inactive loses the feed for good (revoked: a new address once active again)."""

    # A read for a calendar app only (it is exempt from the CSRF check: see
    # tests/security/test_csrf.py, EXEMPT_ON_PURPOSE).
    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except Exception:
            logger.exception("Calendar feed failed")
            return _unlogged(HttpResponseServerError())

    def http_method_not_allowed(self, request, *args, **kwargs):
        return _unlogged(HttpResponseNotAllowed(self._allowed_methods()))

    def _refused(self, reason, key, calendar_feed=None):
        if calendar_feed is not None:
            logger.info(
                "Calendar feed refused: %s (feed %s, staff member %s, municipality %s)",
                reason,
                calendar_feed.pk,
                calendar_feed.staff_member_id,
                calendar_feed.municipality_id,
            )
        else:
            logger.info(
                "Calendar feed refused: %s (key hash %s…)",
                reason,
                services.feed_key_hash(key)[:12],
            )
        return _unlogged(HttpResponseNotFound())

    def get(self, request, key):
        municipality_id = services.feed_municipality_id(key)
        municipality = (
            Municipality.objects.filter(pk=municipality_id, is_active=True).first()
            if municipality_id is not None
            else None
        )
        if municipality is None:
            return self._refused("unknown key or municipality", key)
        with scope(municipality=municipality):
            calendar_feed = (
                CalendarFeed.objects.select_related("staff_member__user")
                .filter(key_hash=services.feed_key_hash(key))
                .first()
            )
            if calendar_feed is None:
                return self._refused("unknown key", key)
            if calendar_feed.revoked_at is not None:
                return self._refused("revoked", key, calendar_feed)
            person = calendar_feed.staff_member
            if not person.is_active or not person.user.is_active:
                services.calendar_feeds_revoke_with_access(staff_member=person)
                return self._refused("person inactive", key, calendar_feed)
            services.calendar_feed_used(calendar_feed)
            body = feed.calendar_for(selectors.feed_appointments(person), municipality=municipality)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, no-store"
        response["Content-Disposition"] = 'inline; filename="agenda.ics"'
        response["X-Robots-Tag"] = "noindex"
        return response
