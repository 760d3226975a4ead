"""The municipality admin's configuration of the intake (/beheer/…): the triage
rules and their order, the life domains, and the intake settings. Saving goes
through `apps.teams.services.configuration_save` (configuration.manage and the
version check), as for the other configuration pages."""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from apps.core.mixins import MunicipalityRequiredMixin
from apps.intake import selectors, services
from apps.intake.config_forms import (
    YOUTH_YES,
    IntakeSettingsForm,
    LifeDomainForm,
    TriageRuleForm,
    TriageTryForm,
)
from apps.intake.models import Destination, IntakeSettings, LifeDomain, TriageRule
from apps.teams.edit_views import ConfigurationEditView
from apps.tenants.permissions import Action


class TriageRuleListView(MunicipalityRequiredMixin, TemplateView):
    """The rules in the order they are tried, the default destination, and a
    form to try the rules out with the facts of a question."""

    required_action = Action.CONFIGURATION_MANAGE
    template_name = "intake/config/triage_list.html"

    def get_context_data(self, **kwargs):
        municipality = self.request.municipality
        rules = selectors.triage_rules()
        loket = services.resolve_destination(municipality, Destination.LOKET, None, None)
        for number, rule in enumerate(rules, start=1):
            rule.number = number
            rule.problem = self._problem(rule, loket)
        settings = services.intake_settings_for(municipality)
        try_form = TriageTryForm(self.request.GET if "channel" in self.request.GET else None)
        if try_form.is_bound and try_form.is_valid():
            kwargs.update(self._try_out(try_form.cleaned_data, rules, settings))
        kwargs.setdefault("outcome", None)
        kwargs.update(
            rules=rules,
            settings=settings,
            settings_team=settings.default_team if settings.default_team_id else None,
            loket=loket,
            try_form=try_form,
        )
        return super().get_context_data(**kwargs)

    def _try_out(self, data, rules, settings) -> dict:
        """Where a question with the facts of the try-out form would go, which
        of the numbered rules sent it there, and what decided."""
        outcome = services.triage(
            municipality=self.request.municipality,
            channel=data["channel"],
            is_youth=data["youth"] == YOUTH_YES,
            laws=data["laws"],
            life_domains=list(data["life_domains"]),
            area=data["area"],
        )
        return {
            "outcome": outcome,
            "outcome_number": next(
                (r.number for r in rules if outcome.rule and r.pk == outcome.rule.pk), None
            ),
            "outcome_kind": self._outcome_kind(outcome, settings, data["area"]),
        }

    def _outcome_kind(self, outcome, settings, area) -> str:
        """What decided: a rule, the default destination, or the fallback to the loket."""
        if outcome.team is None:
            return "none"
        if outcome.rule is not None:
            return "rule"
        default = services.resolve_destination(
            self.request.municipality, settings.default_destination, settings.default_team, area
        )
        return "default" if default == outcome.team else "fallback"

    @staticmethod
    def _problem(rule, loket) -> str:
        """Why an active rule can never send a question anywhere now (it is then
        skipped), as far as that can be told without a question."""
        if not rule.is_active:
            return ""
        if rule.destination == Destination.TEAM and rule.team and not rule.team.is_active:
            return _("Het team is niet actief: de regel wordt overgeslagen.")
        if rule.destination == Destination.LOKET and loket is None:
            return _("Er is geen actief loket: de regel wordt overgeslagen.")
        if rule.life_domain and not rule.life_domain.is_active:
            # A new question can no longer be about an inactive life domain.
            return _("Het leefgebied is niet actief: de regel is nooit meer van toepassing.")
        return ""


class TriageRuleEditView(ConfigurationEditView):
    model = TriageRule
    form_class = TriageRuleForm
    template_name = "intake/config/triage_rule_form.html"
    success_url_name = "intake_config:triage_list"
    title_new = gettext_lazy("Nieuwe triageregel")

    def save(self, form, instance):
        if instance.pk is None:
            # A new rule is tried last; the list page moves it up.
            instance.position = services.triage_rule_next_position(instance.municipality)
        super().save(form, instance)


class TriageRuleMoveView(MunicipalityRequiredMixin, View):
    """POST direction=up|down: the rule changes places with its neighbour."""

    model = TriageRule
    required_action = Action.CONFIGURATION_MANAGE
    DIRECTIONS = {"up": -1, "down": 1}

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk):
        rule = get_object_or_404(TriageRule.objects.all(), pk=pk)
        direction = self.DIRECTIONS.get(request.POST.get("direction", ""))
        if direction is None:
            messages.error(request, _("Kies omhoog of omlaag."))
        else:
            services.triage_rule_move(actor=request.user, rule=rule, direction=direction)
            messages.success(
                request,
                (
                    _("De regel '%(name)s' is een plaats omhoog gezet.")
                    if direction < 0
                    else _("De regel '%(name)s' is een plaats omlaag gezet.")
                )
                % {"name": rule.name},
            )
        return redirect(f"{reverse('intake_config:triage_list')}#regel-{rule.pk}")


class LifeDomainListView(MunicipalityRequiredMixin, TemplateView):
    required_action = Action.CONFIGURATION_MANAGE
    template_name = "intake/config/life_domain_list.html"

    def get_context_data(self, **kwargs):
        domains = LifeDomain.objects.order_by("position", "name")
        return super().get_context_data(life_domains=domains, **kwargs)


class LifeDomainEditView(ConfigurationEditView):
    model = LifeDomain
    form_class = LifeDomainForm
    success_url_name = "intake_config:life_domain_list"
    title_new = gettext_lazy("Nieuw leefgebied")

    def get_initial(self):
        initial = super().get_initial()
        if self.get_object() is None:
            last = (
                LifeDomain.objects.order_by("-position").values_list("position", flat=True).first()
            )
            initial["position"] = (last or 0) + 1
        return initial


class IntakeSettingsEditView(ConfigurationEditView):
    """The municipality's one IntakeSettings row (made with its defaults when
    the municipality has none yet)."""

    model = IntakeSettings
    form_class = IntakeSettingsForm
    template_name = "intake/config/intake_settings_form.html"
    success_url_name = "intake_config:triage_list"

    def get_object(self):
        if self.object is None:
            self.object = services.intake_settings_for(self.request.municipality)
        return self.object
