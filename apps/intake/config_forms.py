"""Forms of the municipality admin's intake configuration: triage rules, life
domains, intake settings, and the form that tries the rules out."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

from apps.core.forms import ScopedModelForm, StyledForm
from apps.intake.models import Channel, IntakeSettings, LifeDomain, TriageRule
from apps.teams.models import Area, Law

YOUTH_ANY, YOUTH_YES, YOUTH_NO = "", "yes", "no"
YOUTH_TO_VALUE = {YOUTH_ANY: None, YOUTH_YES: True, YOUTH_NO: False}
VALUE_TO_YOUTH = {value: key for key, value in YOUTH_TO_VALUE.items()}


class TriageRuleForm(ScopedModelForm):
    """A triage rule: the conditions (empty = any) and where the question goes.
    New rules are placed last; the order is changed on the list page."""

    relation_filters = {
        "life_domain": {"is_active": True},
        "area": {"is_active": True},
        "team": {"is_active": True},
    }
    is_youth = forms.TypedChoiceField(
        label=_("jeugd"),
        choices=[
            (YOUTH_ANY, _("jeugd en volwassenen")),
            (YOUTH_YES, _("alleen jeugd (onder 18)")),
            (YOUTH_NO, _("alleen volwassenen")),
        ],
        coerce=YOUTH_TO_VALUE.get,
        empty_value=None,
        required=False,
    )

    CONDITIONS = ("channel", "is_youth", "law", "life_domain", "area")
    DESTINATION = ("destination", "team")

    class Meta(ScopedModelForm.Meta):
        model = TriageRule
        fields = list(TriageRule.SETTABLE_FIELDS)
        help_texts = {
            "name": _(
                "Waaraan collega's de regel herkennen, bijvoorbeeld 'Veilig Thuis naar het loket'."
            ),
            "channel": "",
            "law": "",
            "life_domain": "",
            "area": _("Het gebied waar de inwoner woont."),
            "team": _("Alleen bij de bestemming 'een bepaald team'."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["is_youth"] = VALUE_TO_YOUTH[self.instance.is_youth]
        self.fields["channel"].choices = [("", _("elk kanaal")), *Channel.choices]
        self.fields["law"].choices = [("", _("elke wet (of geen)")), *Law.choices]
        self.fields["life_domain"].empty_label = _("elk leefgebied")
        self.fields["area"].empty_label = _("elk gebied (of onbekend)")
        self.fields["team"].empty_label = _("— geen —")
        self.fields["team"].queryset = self.fields["team"].queryset.order_by("name")
        destinations = [c for c in self.fields["destination"].choices if c[0] != ""]
        self.fields["destination"].choices = [("", "—"), *destinations]

    def groups(self):
        """(legend or None, bound fields): the name, the conditions, the
        destination, and whether the rule is active."""
        return [
            (None, [self["name"]]),
            (_("Voorwaarden"), [self[name] for name in self.CONDITIONS]),
            (_("Bestemming"), [self[name] for name in self.DESTINATION]),
            (None, [self["is_active"]]),
        ]


class LifeDomainForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = LifeDomain
        fields = ["name", "position", "is_active"]
        help_texts = {
            "position": _("Leefgebieden staan op volgorde van dit getal, daarna op naam."),
            "is_active": _(
                "Een leefgebied dat niet actief is, kan niet meer bij een nieuwe vraag worden "
                "gekozen; bestaande vragen houden het."
            ),
        }


class IntakeSettingsForm(ScopedModelForm):
    relation_filters = {"default_team": {"is_active": True}}

    class Meta(ScopedModelForm.Meta):
        model = IntakeSettings
        fields = [
            "default_destination",
            "default_team",
            "wmo_investigation_weeks",
            "personal_plan_days",
            "wmo_decision_weeks",
            "other_decision_weeks",
            "reassessment_notice_weeks",
            "letter_sender",
            "postal_address",
            "phone",
        ]
        help_texts = {
            "wmo_investigation_weeks": _(
                "De Wmo 2015 noemt zes weken na de melding. Geldt voor vragen die vanaf nu "
                "binnenkomen."
            ),
            "wmo_decision_weeks": _(
                "De Wmo 2015 noemt twee weken na de aanvraag. Geldt voor voorstellen die vanaf "
                "nu worden ingediend."
            ),
            "other_decision_weeks": _("De Algemene wet bestuursrecht noemt acht weken."),
            "reassessment_notice_weeks": _(
                "Zoveel weken voor de einddatum van een toegekende voorziening verschijnt de "
                "herindicatie op de termijnenlijst."
            ),
        }
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_team"].empty_label = _("— geen —")
        self.fields["default_team"].queryset = self.fields["default_team"].queryset.order_by("name")


class TriageTryForm(StyledForm):
    """Try the rules: where would a question with these facts go?"""

    channel = forms.ChoiceField(label=_("Kanaal"), choices=[("", "—"), *Channel.choices])
    youth = forms.ChoiceField(
        label=_("Leeftijd"),
        choices=[(YOUTH_NO, _("volwassene (18 of ouder)")), (YOUTH_YES, _("jeugd (onder 18)"))],
    )
    laws = forms.MultipleChoiceField(
        label=_("Wetten"), choices=Law.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    life_domains = SafeModelMultipleChoiceField(
        label=_("Leefgebieden"),
        queryset=LifeDomain.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    area = SafeModelChoiceField(
        label=_("Gebied van de inwoner"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("onbekend"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["life_domains"].queryset = LifeDomain.objects.filter(is_active=True)
        self.fields["area"].queryset = Area.objects.filter(is_active=True).order_by("name")
        self.style_fields()
