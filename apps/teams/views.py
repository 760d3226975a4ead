from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from apps.core.http import parse_id
from apps.core.mixins import MunicipalityRequiredMixin
from apps.teams import selectors
from apps.teams.edit_views import ConfigurationEditView
from apps.teams.forms import AreaForm, MembershipForm, OrganisationForm, TeamForm, TeamLocationForm
from apps.teams.models import Area, Membership, Organisation, Team, TeamLocation
from apps.tenants.permissions import Action


class TeamOverviewView(MunicipalityRequiredMixin, TemplateView):
    """All teams of the municipality, for every staff member."""

    required_action = Action.ORGANISATION_VIEW
    template_name = "teams/team_overview.html"

    def get_context_data(self, **kwargs):
        teams = selectors.team_list().filter(is_active=True)
        return super().get_context_data(teams=teams, **kwargs)


class TeamDetailView(MunicipalityRequiredMixin, TemplateView):
    model = Team
    required_action = Action.ORGANISATION_VIEW
    template_name = "teams/team_detail.html"

    def get_context_data(self, **kwargs):
        team = get_object_or_404(selectors.team_list(), pk=self.kwargs["pk"])
        # The team's members as every role counts them (`active_membership_q`).
        members = selectors.membership_list(team=team).active()
        locations = team.locations.filter(is_active=True).order_by("name")
        return super().get_context_data(team=team, members=members, locations=locations, **kwargs)


# --- Configuration (municipality admin) -------------------------------------


class ConfigurationHomeView(MunicipalityRequiredMixin, TemplateView):
    required_action = Action.CONFIGURATION_MANAGE
    template_name = "teams/config_home.html"


class ConfigurationListView(MunicipalityRequiredMixin, TemplateView):
    """A list of one kind of configuration, read through its selector and shown
    as `context_name`."""

    required_action = Action.CONFIGURATION_MANAGE
    context_name = ""

    def rows(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.context_name: self.rows()}, **kwargs)


class AreaListView(ConfigurationListView):
    template_name = "teams/area_list.html"
    context_name = "areas"
    rows = staticmethod(selectors.area_list)


class OrganisationListView(ConfigurationListView):
    template_name = "teams/organisation_list.html"
    context_name = "organisations"
    rows = staticmethod(selectors.organisation_list)


class TeamConfigListView(ConfigurationListView):
    template_name = "teams/team_config_list.html"
    context_name = "teams"
    rows = staticmethod(selectors.team_list)


class TeamLocationListView(ConfigurationListView):
    template_name = "teams/location_list.html"
    context_name = "locations"
    rows = staticmethod(selectors.team_location_list)


class MembershipListView(MunicipalityRequiredMixin, TemplateView):
    required_action = Action.CONFIGURATION_MANAGE
    template_name = "teams/membership_list.html"

    def get_context_data(self, **kwargs):
        teams = list(Team.objects.order_by("name"))
        team = None
        team_id = parse_id(self.request.GET.get("team"))
        if team_id is not None:
            team = next((t for t in teams if t.pk == team_id), None)
        memberships = selectors.membership_list(team=team)
        if self.request.GET.get("inactive") != "1":
            memberships = memberships.filter(is_active=True)
        return super().get_context_data(
            memberships=memberships, teams=teams, selected_team=team, **kwargs
        )


class AreaEditView(ConfigurationEditView):
    model = Area
    form_class = AreaForm
    success_url_name = "teams:area_list"
    title_new = _("Nieuw gebied")


class OrganisationEditView(ConfigurationEditView):
    model = Organisation
    form_class = OrganisationForm
    success_url_name = "teams:organisation_list"
    title_new = _("Nieuwe organisatie")


class TeamEditView(ConfigurationEditView):
    model = Team
    form_class = TeamForm
    success_url_name = "teams:team_config_list"
    title_new = _("Nieuw team")
    m2m_fields = ("areas",)


class TeamLocationEditView(ConfigurationEditView):
    model = TeamLocation
    form_class = TeamLocationForm
    success_url_name = "teams:location_list"
    title_new = _("Nieuwe inlooplocatie")

    def initial_defaults(self):
        team_id = parse_id(self.request.GET.get("team"))
        return {} if team_id is None else {"team": team_id}


class MembershipEditView(ConfigurationEditView):
    model = Membership
    form_class = MembershipForm
    success_url_name = "teams:membership_list"
    title_new = _("Nieuw teamlidmaatschap")

    def initial_defaults(self):
        team_id = parse_id(self.request.GET.get("team"))
        return {} if team_id is None else {"team": team_id}
