"""Forms of the case pages. Every form only collects input: the services in
`apps.cases.services` and `apps.decisions.services` check and save it."""

from datetime import date

from django import forms
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

from apps.access import rules
from apps.cases.models import Activity, AssessmentScore, Case, Solution
from apps.core.forms import DateInput, StyledForm, text_area
from apps.intake.models import LifeDomain
from apps.teams.models import Membership, Team, active_membership_q
from apps.tenants.models import StaffMember

MAX_FOLLOW_UP_FIELDS = 4


def _active_memberships():
    return Prefetch(
        "memberships",
        queryset=Membership.objects.active().select_related("team").order_by("team__name"),
        to_attr="active_memberships",
    )


class StaffWithTeamsMixin:
    """A staff member's name with their teams and functions, so two colleagues
    with the same name are told apart."""

    def label_from_instance(self, obj):
        roles = ", ".join(
            f"{m.team.name} ({m.get_function_display()})"
            for m in getattr(obj, "active_memberships", [])
        )
        return f"{obj.user.full_name} — {roles}" if roles else obj.user.full_name


class StaffChoiceField(StaffWithTeamsMixin, SafeModelChoiceField):
    pass


class StaffMultipleChoiceField(StaffWithTeamsMixin, SafeModelMultipleChoiceField):
    pass


def active_staff():
    return (
        StaffMember.objects.filter(is_active=True, is_integration=False)
        .select_related("user")
        .prefetch_related(_active_memberships())
        .order_by("user__full_name", "pk")
    )


class VersionField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault(
            "error_messages",
            {"required": _("Het formulier mist de versie; laad de pagina opnieuw.")},
        )
        super().__init__(**kwargs)


class CaseFilterForm(StyledForm):
    SCOPES = [("mine", _("mijn casussen")), ("all", _("alle casussen die ik mag zien"))]

    scope = forms.ChoiceField(label=_("Regisseur"), choices=SCOPES, required=False)
    q = forms.CharField(label=_("Zoek op huishouden of inwoner"), max_length=100, required=False)
    team = SafeModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("alle")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("open (alle lopende)")), *Case.Status.choices, ("any", _("alle"))],
        required=False,
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.style_fields()


class CaseTitleForm(StyledForm):
    title = forms.CharField(label=_("Korte omschrijving"), max_length=200, required=False)
    version = VersionField()


class HandOverForm(StyledForm):
    to_director = StaffChoiceField(label=_("Nieuwe regisseur"), queryset=StaffMember.objects.none())
    reason = text_area(label=_("Reden"), max_length=2000, required=False, rows=3)
    version = VersionField()

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_director"].queryset = (
            active_staff()
            .filter(
                active_membership_q("memberships__"),
                memberships__team_id=case.team_id,
                memberships__function__in=rules.HANDLING_FUNCTIONS,
            )
            .exclude(pk=case.director_id)
            .distinct()
        )
        self.style_fields()


def _handlers_of(teams):
    """Active staff with a handling function in one of `teams` (a queryset)."""
    return (
        active_staff()
        .filter(
            active_membership_q("memberships__"),
            memberships__team__in=teams,
            memberships__function__in=rules.HANDLING_FUNCTIONS,
        )
        .distinct()
    )


class TransferForm(StyledForm):
    """The case to another team: the team, its new director there, the reason."""

    to_team = SafeModelChoiceField(label=_("Naar team"), queryset=Team.objects.none())
    to_director = StaffChoiceField(
        label=_("Nieuwe regisseur"),
        queryset=StaffMember.objects.none(),
        help_text=_("Een medewerker van het team dat de casus overneemt."),
    )
    reason = text_area(label=_("Reden"), max_length=2000, rows=3)
    version = VersionField()

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        teams = (
            Team.objects.filter(
                municipality_id=case.municipality_id,
                is_active=True,
                kind__in=[*Team.CASE_TEAM_KINDS, Team.Kind.LOKET],
            )
            .exclude(pk=case.team_id)
            .order_by("name")
        )
        self.fields["to_team"].queryset = teams
        self.fields["to_director"].queryset = _handlers_of(teams)
        self.style_fields()


class WorkReassignForm(StyledForm):
    """Everything open of one person in a team to a colleague there."""

    to_staff = StaffChoiceField(label=_("Naar medewerker"), queryset=StaffMember.objects.none())
    reason = text_area(label=_("Reden"), max_length=2000, rows=3)
    # The preview the coordinator saw (WorkOfMember.keys), so what moves is what
    # was shown.
    items = forms.CharField(widget=forms.HiddenInput, required=False, max_length=50_000)

    def __init__(self, *args, team: Team, from_staff: StaffMember, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_staff"].queryset = _handlers_of([team]).exclude(pk=from_staff.pk)
        self.style_fields()

    def clean_items(self):
        value = self.cleaned_data.get("items") or ""
        return frozenset(item for item in value.split(",") if item)


class ActivityForm(StyledForm):
    kind = forms.ChoiceField(label=_("Soort"), choices=[("", "—"), *Activity.Kind.choices])
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    participants = StaffMultipleChoiceField(
        label=_("Deelnemers van de gemeente"),
        queryset=StaffMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Een huisbezoek met een loketconsulent en een teamlid is een gezamenlijk huisbezoek."
        ),
    )
    other_participants = forms.CharField(
        label=_("Andere deelnemers"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld de inwoner, een familielid of de huisarts."),
    )
    note = text_area(label=_("Verslag"), max_length=10_000, required=False, rows=5)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        # Who takes part in a case's work: its own team, the loket's consultants
        # (a joint home visit) and the behavioural experts; not everyone in the
        # municipality.
        self.fields["participants"].queryset = (
            active_staff()
            .filter(
                Q(memberships__team_id=case.team_id)
                | Q(
                    memberships__team__kind=Team.Kind.LOKET,
                    memberships__function=Membership.Function.CONSULTANT,
                )
                | Q(memberships__function=Membership.Function.BEHAVIOURAL_EXPERT),
                active_membership_q("memberships__"),
            )
            .distinct()
        )
        self.initial.setdefault("date", timezone.localdate())
        self.style_fields()


class AssessmentForm(StyledForm):
    """One score select per active life domain of the municipality."""

    assessed_on = forms.DateField(label=_("Datum van de meting"), widget=DateInput())
    note = text_area(label=_("Toelichting"), max_length=4000, required=False, rows=3)

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        for domain in self.domains:
            self.fields[f"score_{domain.pk}"] = forms.TypedChoiceField(
                label=domain.name,
                choices=[("", _("niet gescoord")), *AssessmentScore.SCALE],
                coerce=int,
                required=False,
            )
        self.initial.setdefault("assessed_on", timezone.localdate())
        self.style_fields()

    def clean(self):
        data = super().clean()
        if self.domains and not any(data.get(f"score_{d.pk}") for d in self.domains):
            self.add_error(None, _("Geef voor minstens één leefgebied een score."))
        return data

    def scores(self) -> dict:
        return {
            d.pk: self.cleaned_data[f"score_{d.pk}"]
            for d in self.domains
            if self.cleaned_data.get(f"score_{d.pk}")
        }


class PlanSummaryForm(StyledForm):
    summary = text_area(label=_("Samenvatting"), max_length=10_000, required=False, rows=4)
    version = VersionField()


class GoalForm(StyledForm):
    life_domain = SafeModelChoiceField(label=_("Leefgebied"), queryset=LifeDomain.objects.none())
    description = text_area(label=_("Doel"), max_length=2000, rows=2)
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["life_domain"].queryset = LifeDomain.objects.filter(is_active=True)
        self.style_fields()


class SolutionForm(StyledForm):
    level = forms.TypedChoiceField(
        label=_("Soort oplossing"), choices=[("", "—"), *Solution.Level.choices], coerce=int
    )
    description = forms.CharField(label=_("Oplossing"), max_length=2000)
    version = VersionField()


class VersionOnlyForm(StyledForm):
    version = VersionField()


class PlanAgreeForm(StyledForm):
    agreed_on = forms.DateField(label=_("Afgesproken met de inwoner op"), widget=DateInput())
    version = VersionField()


class CloseCaseForm(StyledForm):
    note = text_area(label=_("Hoe is de casus afgerond?"), max_length=4000, rows=4)
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_FOLLOW_UP_FIELDS + 1):
            self.fields[f"follow_up_{n}"] = forms.DateField(
                label=_("Vervolgcontact %(n)s") % {"n": n},
                required=False,
                widget=DateInput(),
                help_text=_("Leeg laten als er geen vervolgcontacten zijn afgesproken.")
                if n == 1
                else "",
            )
        self.style_fields()

    def follow_up_dates(self) -> list[date]:
        return [
            self.cleaned_data[f"follow_up_{n}"]
            for n in range(1, MAX_FOLLOW_UP_FIELDS + 1)
            if self.cleaned_data.get(f"follow_up_{n}")
        ]


class FollowUpForm(StyledForm):
    outcome = text_area(label=_("Uitkomst"), max_length=4000, rows=3)
    done_on = forms.DateField(label=_("Gedaan op"), widget=DateInput())
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("done_on", timezone.localdate())
        self.style_fields()


class ShareForm(StyledForm):
    staff_member = StaffChoiceField(label=_("Collega"), queryset=StaffMember.objects.none())
    reason = text_area(label=_("Reden"), max_length=2000, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The people who work with cases; the service refuses the rest by name.
        self.fields["staff_member"].queryset = (
            active_staff()
            .filter(
                active_membership_q("memberships__"),
                memberships__function__in=[*rules.CASE_VIEWING_FUNCTIONS],
            )
            .distinct()
        )
        self.style_fields()


class TeamEndForm(StyledForm):
    """Team beëindigen: the date, the reason, the successor and, while work is
    open, the team that takes it over."""

    ended_on = forms.DateField(label=_("Beëindigd op"), widget=DateInput())
    reason = text_area(label=_("Reden"), max_length=2000, rows=3)
    successor = SafeModelChoiceField(
        label=_("Opvolger"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("geen opvolger"),
        help_text=_("Het team dat het werk van dit team voortzet, als dat er is."),
    )
    hand_over_to = SafeModelChoiceField(
        label=_("Open werk overdragen aan"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("niet overdragen"),
        help_text=_(
            "Open vragen en lopende casussen gaan naar dit team (naar de coördinator). "
            "Zonder team kan het team pas stoppen als alles is afgerond."
        ),
    )
    version = VersionField()

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        others = (
            Team.objects.filter(municipality_id=team.municipality_id, is_active=True)
            .exclude(pk=team.pk)
            .order_by("name")
        )
        self.fields["successor"].queryset = others
        self.fields["hand_over_to"].queryset = others
        self.fields["ended_on"].initial = timezone.localdate()
        self.style_fields()


class CaseJoinForm(StyledForm):
    """Ask a shell partner of the case's team to join the case."""

    staff_member = StaffChoiceField(label=_("Schilpartner"), queryset=StaffMember.objects.none())
    reason = text_area(label=_("Reden"), max_length=2000, rows=3)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        # The shell partners of the case's team; the service checks again.
        self.fields["staff_member"].queryset = (
            active_staff()
            .filter(
                active_membership_q("memberships__"),
                memberships__team_id=case.team_id,
                memberships__function__in=rules.SHELL_FUNCTIONS,
            )
            .distinct()
        )
        self.style_fields()
