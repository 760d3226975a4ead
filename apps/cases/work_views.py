"""Pages that move work: a case to another team (the director or the team's
coordinator), and everything open of one person in a team to a colleague (the
team's coordinator, after seeing what moves). The services check again."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.access import rules
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_list
from apps.cases import selectors, services
from apps.cases.forms import TeamEndForm, TransferForm, WorkReassignForm
from apps.cases.pages import CaseFormView
from apps.core.edit_views import ServiceFormView
from apps.core.mixins import MunicipalityRequiredMixin
from apps.teams.models import Team
from apps.tenants.models import StaffMember
from apps.tenants.permissions import Action


class CaseTransferView(CaseFormView):
    form_class = TransferForm
    title = gettext_lazy("%(case)s naar een ander team")
    success_message = gettext_lazy("De casus is overgedragen aan %(team)s.")

    service = staticmethod(services.case_transfer)
    service_fields = ("to_team", "to_director", "reason")

    def may_work_on(self, case) -> bool:
        # The director or the team's coordinator (403 for a colleague).
        return rules.may_steer_case(self.request.user, case)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def get_success_message(self, result) -> str:
        return self.success_message % {"team": result.to_team}

    def get_success_url(self):
        # Who handed the case over may no longer see it.
        if rules.can_view_case(self.request.user, self.result.case):
            return self.return_url()
        return reverse("cases:list")


class TeamWorkMixin(MunicipalityRequiredMixin):
    """A team's work, for its coordinator (403 for anyone else; 404 for a team
    not of this municipality)."""

    required_action = Action.CASE_WORK
    team_kwarg = "team_pk"

    @cached_property
    def team(self):
        team = get_object_or_404(Team.objects.all(), pk=self.kwargs[self.team_kwarg])
        if not rules.is_coordinator_of(self.request.user, team):
            raise PermissionDenied(
                _("Alleen de coördinator van het team ziet en verdeelt dit werk.")
            )
        return team

    def before_handler(self, request):
        self.team  # noqa: B018 (404/403 before anything else)
        return super().before_handler(request)


class TeamWorkView(TeamWorkMixin, TemplateView):
    """Werk van het team: who holds how many open questions and cases, members
    who left included, with the way to hand someone's work over."""

    model = Team
    team_kwarg = "pk"
    template_name = "cases/team_work.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            team=self.team, rows=selectors.team_workload(self.team), **kwargs
        )


class WorkReassignView(TeamWorkMixin, ServiceFormView):
    """Werk overdragen: the preview of what moves, and the form that moves it."""

    model = StaffMember
    form_class = WorkReassignForm
    template_name = "cases/work_reassign.html"

    @cached_property
    def from_staff(self):
        return get_object_or_404(StaffMember.objects.select_related("user"), pk=self.kwargs["pk"])

    @cached_property
    def work(self):
        return selectors.work_of(team=self.team, staff_member=self.from_staff)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "team": self.team, "from_staff": self.from_staff}

    def get_initial(self):
        return {**super().get_initial(), "items": ",".join(sorted(self.work.keys))}

    def get_context_data(self, **kwargs):
        label = _("Werk van %(name)s in %(team)s") % {"name": self.from_staff, "team": self.team}
        for objects, object_type in (
            (self.work.questions, "intake.question"),
            (self.work.cases, "cases.case"),
        ):
            log_list(
                request=self.request,
                objects=objects,
                object_type=object_type,
                object_label=label,
                action=AccessLogEntry.Action.VIEW,
            )
        return super().get_context_data(
            team=self.team,
            from_staff=self.from_staff,
            work=self.work,
            cancel_url=reverse("cases:team_work", args=[self.team.pk]),
            **kwargs,
        )

    def call(self, form, data):
        return services.work_reassign(
            actor=self.request.user,
            team=self.team,
            from_staff=self.from_staff,
            to_staff=data["to_staff"],
            reason=data["reason"],
            expected_items=data["items"],
        )

    def get_success_message(self, result) -> str:
        return _("Het werk van %(from)s is overgedragen aan %(to)s.") % {
            "from": result.from_staff,
            "to": result.to_staff,
        }

    def get_success_url(self):
        return reverse("cases:team_work", args=[self.team.pk])


class TeamEndView(MunicipalityRequiredMixin, ServiceFormView):
    """Team beëindigen (the municipality admin): the open work of the team, and
    the form that ends it, handing that work over or refusing while it is open."""

    model = Team
    form_class = TeamEndForm
    required_action = Action.CONFIGURATION_MANAGE
    template_name = "cases/team_end.html"

    @cached_property
    def team(self):
        return get_object_or_404(Team.objects.all(), pk=self.kwargs["pk"])

    def before_handler(self, request):
        self.team  # noqa: B018 (404 before anything else)
        return super().before_handler(request)

    @cached_property
    def work(self):
        return selectors.team_open_work(team=self.team)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "team": self.team}

    def get_initial(self):
        return {**super().get_initial(), "version": self.team.version}

    def get_context_data(self, **kwargs):
        label = _("Open werk van %(team)s") % {"team": self.team}
        for objects, object_type in (
            (self.work.questions, "intake.question"),
            (self.work.cases, "cases.case"),
        ):
            log_list(
                request=self.request,
                objects=objects,
                object_type=object_type,
                object_label=label,
                action=AccessLogEntry.Action.VIEW,
            )
        return super().get_context_data(
            team=self.team,
            work=self.work,
            cancel_url=reverse("teams:team_config_list"),
            **kwargs,
        )

    def call(self, form, data):
        return services.team_end(
            actor=self.request.user,
            team=self.team,
            ended_on=data["ended_on"],
            reason=data["reason"],
            successor=data["successor"],
            hand_over_to=data["hand_over_to"],
            expected_version=data["version"],
        )

    def get_success_message(self, result) -> str:
        return _("%(team)s is beëindigd.") % {"team": result}

    def get_success_url(self):
        return reverse("teams:team_config_list")
