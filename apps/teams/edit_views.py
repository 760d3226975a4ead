"""The base of the configuration pages (areas, organisations, teams and
memberships here; life domains, triage rules, intake settings, provision types
and report settings in their apps): a ScopedEditView saving through
configuration_save."""

from apps.core.edit_views import ScopedEditView
from apps.teams.services import configuration_save
from apps.tenants.permissions import Action


class ConfigurationEditView(ScopedEditView):
    required_action = Action.CONFIGURATION_MANAGE

    def get_initial(self):
        return {**super().get_initial(), **self.initial_defaults()}

    def initial_defaults(self) -> dict:
        """What a subclass fills in beforehand (from the query string, say)."""
        return {}

    def save(self, form, instance):
        configuration_save(
            actor=self.request.user,
            instance=instance,
            expected_version=form.expected_version if instance.pk else None,
            m2m={field: form.cleaned_data[field] for field in self.m2m_fields},
        )
