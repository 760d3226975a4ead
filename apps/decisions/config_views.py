"""The municipality admin's provision catalogue (/beheer/voorzieningen/): saved
through `apps.teams.services.configuration_save` (configuration.manage and the
version check), like the other configuration pages."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from apps.core.mixins import MunicipalityRequiredMixin
from apps.decisions.config_forms import ProviderForm, ProvisionTypeForm
from apps.decisions.models import Provider, ProvisionType
from apps.teams.edit_views import ConfigurationEditView
from apps.tenants.permissions import Action


class ProvisionTypeListView(MunicipalityRequiredMixin, TemplateView):
    required_action = Action.CONFIGURATION_MANAGE
    template_name = "decisions/config/provision_type_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            provision_types=ProvisionType.objects.order_by("-is_active", "law", "name"), **kwargs
        )


class ProvisionTypeEditView(ConfigurationEditView):
    model = ProvisionType
    form_class = ProvisionTypeForm
    success_url_name = "decisions:provision_type_list"
    title_new = gettext_lazy("Nieuwe voorziening")


# --- #21 part 1: providers (zorgaanbieders), /beheer/aanbieders/ ------------------------


class ProviderListView(MunicipalityRequiredMixin, TemplateView):
    required_action = Action.CONFIGURATION_MANAGE
    template_name = "decisions/config/provider_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            providers=Provider.objects.prefetch_related(
                Prefetch("provision_types", queryset=ProvisionType.objects.order_by("name"))
            ).order_by("-is_active", "name"),
            **kwargs,
        )


class ProviderEditView(ConfigurationEditView):
    model = Provider
    form_class = ProviderForm
    m2m_fields = ("provision_types",)
    success_url_name = "decisions:provider_list"
    title_new = gettext_lazy("Nieuwe aanbieder")
