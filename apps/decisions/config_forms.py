"""The municipality admin's provision catalogue form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ScopedModelForm
from apps.decisions.models import Provider, ProvisionType


class ProvisionTypeForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = ProvisionType
        fields = [
            "name",
            "law",
            "legal_basis",
            "unit",
            "end_date_required",
            "default_duration_weeks",
            "is_active",
        ]
        help_texts = {
            "name": _("Zoals consulenten en inwoners de voorziening kennen."),
            "unit": _("De eenheid waarin de omvang wordt uitgedrukt."),
            "end_date_required": _(
                "Met een einddatum volgt een herindicatie; een hulpmiddel als een rolstoel "
                "heeft er meestal geen."
            ),
            "default_duration_weeks": _(
                "Een voorstel zonder einddatum krijgt deze duur (leeg: geen standaardduur)."
            ),
            "is_active": _(
                "Een voorziening die niet actief is, kan niet meer worden voorgesteld; "
                "lopende voorstellen en besluiten houden haar."
            ),
        }


# --- #21 part 1: providers (zorgaanbieders) -------------------------------------------


class ProviderForm(ScopedModelForm):
    relation_filters = {"provision_types": {"is_active": True}}

    class Meta(ScopedModelForm.Meta):
        model = Provider
        fields = ["name", "agb_code", "email", "phone", "provision_types", "is_active"]
        widgets = {"provision_types": forms.CheckboxSelectMultiple}
        help_texts = {
            "provision_types": _(
                "De voorzieningen waarvoor de gemeente de aanbieder heeft gecontracteerd: "
                "alleen daarvoor kan het loket zorg in natura bij deze aanbieder toekennen."
            ),
            "is_active": _(
                "Een aanbieder die niet actief is, kan niet meer gekozen worden; lopende "
                "voorzieningen en besluiten houden haar."
            ),
        }
