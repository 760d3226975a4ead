import uuid

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

from apps.core.forms import DateInput, DateTimeInput, ScopedModelForm, StyledForm, text_area
from apps.intake.models import Channel, LifeDomain, Question, Resident
from apps.intake.validators import normalise_bsn, validate_bsn
from apps.teams.models import Area, Law, Team

YES_NO_UNKNOWN = [("", _("onbekend")), ("yes", _("ja")), ("no", _("nee"))]


class BSNField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        value = normalise_bsn(super().clean(value))
        validate_bsn(value)
        return value


class ReporterFields(forms.Form):
    """Who reported the question when it was not the resident (on the register
    and the correction form)."""

    reporter_name = forms.CharField(label=_("Naam melder"), max_length=150, required=False)
    reporter_relation = forms.ChoiceField(
        label=_("Relatie melder"),
        choices=[("", "—"), *Question.ReporterRelation.choices],
        required=False,
    )
    reporter_contact = forms.CharField(
        label=_("Contactgegevens melder"), max_length=200, required=False
    )
    resident_is_aware = forms.ChoiceField(
        label=_("Inwoner is op de hoogte van de melding"),
        choices=YES_NO_UNKNOWN,
        required=False,
    )

    def aware(self):
        return {"yes": True, "no": False}.get(self.cleaned_data.get("resident_is_aware") or "")


class QuestionFields(forms.Form):
    """What the question is about (on the register and the correction form)."""

    description = forms.CharField(
        label=_("Omschrijving van de vraag"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    life_domains = SafeModelMultipleChoiceField(
        label=_("Leefgebieden"),
        queryset=LifeDomain.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één leefgebied.")},
    )
    laws = forms.MultipleChoiceField(
        label=_("Wetten"), choices=Law.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    stated_is_youth = forms.BooleanField(label=_("Betreft een jeugdige (onder 18)"), required=False)


def access_reason(label, help_text):
    """The reason to reach the file of a known resident one does not work on, asked
    with the data that may lead there (`services._require_access_reason` decides
    whether it is needed); it is kept with the person's name in the access log."""
    return text_area(label=label, max_length=500, required=False, rows=2, help_text=help_text)


class ResidentNameFields(forms.Form):
    """A resident's name and date of birth, as a person who registers a question
    or adds a household member types them. The surname is asked even with a BSN:
    it is checked against a known resident with that BSN."""

    first_names = forms.CharField(label=_("Voornamen"), max_length=150, required=False)
    surname_prefix = forms.CharField(label=_("Tussenvoegsel"), max_length=20, required=False)
    surname = forms.CharField(
        label=_("Achternaam"),
        max_length=150,
        error_messages={"required": _("Vul de achternaam van de inwoner in.")},
    )
    date_of_birth = forms.DateField(label=_("Geboortedatum"), required=False, widget=DateInput())


class QuestionRegisterForm(QuestionFields, ReporterFields, ResidentNameFields, StyledForm):
    """Register a question. The resident part is filled in for a new resident,
    or skipped when the question is for a resident already chosen."""

    # Resident (inwoner)
    bsn = BSNField(label=_("BSN"), help_text=_("Leeg bij een eerste, anonieme vraag."))
    street = forms.CharField(label=_("Straat en huisnummer"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("Woonplaats"), max_length=100, required=False)
    area = SafeModelChoiceField(
        label=_("Gebied"), queryset=Area.objects.none(), required=False, empty_label=_("onbekend")
    )
    phone = forms.CharField(label=_("Telefoon"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    reason = access_reason(
        _("Reden van inzage"),
        _(
            "Alleen nodig als het BSN hoort bij een bekende inwoner aan wiens vragen u niet "
            "werkt. Uw reden wordt met uw naam in het toegangslog bewaard."
        ),
    )

    # The question
    channel = forms.ChoiceField(label=_("Kanaal"), choices=[("", "—"), *Channel.choices])
    received_at = forms.DateTimeField(
        label=_("Ontvangen op"), widget=DateTimeInput(), localize=False
    )
    gate = SafeModelChoiceField(
        label=_("Ontvangen bij"),
        queryset=Team.objects.none(),
        required=False,
        help_text=_("Het loket of team waar de vraag binnenkwam."),
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    # Override of the triage outcome
    override_team = SafeModelChoiceField(
        label=_("Toch naar dit team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("— volg de triage —"),
        help_text=_("Alleen als u bewust afwijkt van de uitkomst van de triage."),
    )
    override_reason = forms.CharField(
        label=_("Reden van afwijken"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    RESIDENT_FIELDS = Resident.DATA_FIELDS
    # What registering needs explained that correcting does not.
    HELP_TEXTS = {
        "laws": _("Een vraag onder de Wmo is een melding: de onderzoekstermijn gaat lopen."),
        "stated_is_youth": _(
            "Alleen nodig als de geboortedatum onbekend is; anders volgt het daaruit."
        ),
    }
    GROUPS = [
        (_("Inwoner"), (*RESIDENT_FIELDS, "reason")),
        (
            _("Vraag"),
            (
                "channel",
                "received_at",
                "gate",
                "description",
                "life_domains",
                "laws",
                "stated_is_youth",
            ),
        ),
        (
            _("Gemeld door een ander"),
            ("reporter_name", "reporter_relation", "reporter_contact", "resident_is_aware"),
        ),
        (_("Afwijken van de triage"), ("override_team", "override_reason")),
    ]
    # The error summary lists the fields in the order of the page.
    field_order = [name for _legend, names in GROUPS for name in names]

    def __init__(self, *args, resident: Resident | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident = resident
        for name, help_text in self.HELP_TEXTS.items():
            self.fields[name].help_text = help_text
        self.fields["area"].queryset = Area.objects.filter(is_active=True)
        teams = Team.objects.filter(is_active=True).order_by("name")
        self.fields["gate"].queryset = teams
        self.fields["override_team"].queryset = teams
        self.fields["life_domains"].queryset = LifeDomain.objects.filter(is_active=True)
        if resident is not None:
            # The reason for a chosen resident was given before the form opened.
            for name in (*self.RESIDENT_FIELDS, "reason"):
                del self.fields[name]
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0))
            self.initial.setdefault("submission_key", uuid.uuid4().hex)
        self.style_fields()

    def groups(self):
        """(legend, bound fields) per fieldset, skipping fields not on the form."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.GROUPS
            if any(name in self.fields for name in names)
        ]

    def clean(self):
        data = super().clean()
        # The surname is asked even with a BSN: it is checked against a known
        # resident with that BSN (a mistyped BSN must not find a stranger), and
        # the form does not tell whether a BSN is known.
        if self.resident is None and not data.get("surname") and "surname" not in self.errors:
            self.add_error("surname", _("Vul de achternaam van de inwoner in."))
        return data

    def resident_data(self) -> dict | None:
        if self.resident is not None:
            return None
        return {name: self.cleaned_data.get(name) for name in self.RESIDENT_FIELDS} | {
            "surname": self.cleaned_data.get("surname") or "",
        }


class InboxFilterForm(StyledForm):
    q = forms.CharField(
        label=_("Zoek op naam of BSN"),
        max_length=100,
        required=False,
        help_text=_(
            "Het begin van de achternaam of van een voornaam (‘Berg’ vindt ‘van den Berg’), "
            "of een volledig BSN."
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("open", _("open (nieuw en in behandeling)")),
            ("new", _("nieuw")),
            ("in_progress", _("in behandeling")),
            ("closed", _("afgesloten")),
        ],
    )
    channel = forms.ChoiceField(
        label=_("Kanaal"), choices=[("", _("alle")), *Channel.choices], required=False
    )
    law = forms.ChoiceField(label=_("Wet"), choices=[("", _("alle")), *Law.choices], required=False)
    area = SafeModelChoiceField(
        label=_("Gebied"), queryset=Area.objects.none(), required=False, empty_label=_("alle")
    )
    youth = forms.TypedChoiceField(
        label=_("Jeugd"),
        choices=[("", _("alle")), ("yes", _("jeugd")), ("no", _("volwassenen"))],
        coerce={"yes": True, "no": False}.get,
        empty_value=None,
        required=False,
    )
    received_from = forms.DateField(label=_("Ontvangen vanaf"), required=False, widget=DateInput())
    received_until = forms.DateField(
        label=_("Ontvangen tot en met"), required=False, widget=DateInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.all()
        self.style_fields()

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_until")
        if start and end and start > end:
            self.add_error("received_until", _("De einddatum ligt voor de begindatum."))
        return data


class ForwardForm(StyledForm):
    to_team = SafeModelChoiceField(label=_("Naar team"), queryset=Team.objects.none())
    reason = forms.CharField(
        label=_("Reden"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_team"].queryset = (
            Team.objects.filter(is_active=True).exclude(pk=question.team_id).order_by("name")
        )
        self.initial.setdefault("version", question.version)
        self.style_fields()


class ResidentSearchForm(StyledForm):
    q = forms.CharField(
        label=_("Naam of BSN"),
        max_length=100,
        required=False,
        help_text=_("Een BSN vindt precies één inwoner; bij een naam mag een deel."),
    )


class ResidentEditForm(ScopedModelForm):
    bsn = BSNField(label=_("BSN"))

    class Meta(ScopedModelForm.Meta):
        model = Resident
        fields = list(Resident.DATA_FIELDS)
        widgets = {"date_of_birth": DateInput()}

    relation_filters = {"area": {"is_active": True}}


class HouseholdMemberForm(ResidentNameFields, StyledForm):
    """A person who joins the household: found by BSN when known (with the same
    name check as the register page: `services.known_resident_by_bsn`), else new."""

    relation = forms.ChoiceField(
        label=_("Rol in het huishouden"), choices=Resident.Relation.choices
    )
    bsn = BSNField(label=_("BSN"), help_text=_("Een bekend BSN koppelt de bekende inwoner."))
    reason = access_reason(
        _("Reden van koppelen"),
        _(
            "Alleen nodig als u een bekende inwoner koppelt aan wiens vragen u niet werkt. "
            "Uw reden wordt met uw naam in het toegangslog bewaard."
        ),
    )
    field_order = ["relation", "bsn", *ResidentNameFields.base_fields]

    def resident_data(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in ("bsn", "first_names", "surname_prefix", "surname", "date_of_birth")
        }


class CloseForm(StyledForm):
    note = forms.CharField(
        label=_("Hoe is de vraag afgehandeld?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: informatie gegeven, verwezen naar een algemene voorziening."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AccessReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("Waarom opent u dit dossier?"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "U werkt niet aan een vraag van deze inwoner of diens huishouden. Uw reden "
            "wordt met uw naam in het toegangslog bewaard; de inwoner kan dat inzien."
        ),
    )


class QuestionEditForm(QuestionFields, ReporterFields, StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, question: Question, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.update(
            {
                "description": question.description,
                "life_domains": list(question.life_domains.all()),
                "laws": question.laws,
                "stated_is_youth": question.is_youth,
                "reporter_name": question.reporter_name,
                "reporter_relation": question.reporter_relation,
                "reporter_contact": question.reporter_contact,
                "resident_is_aware": {True: "yes", False: "no"}.get(question.resident_is_aware, ""),
                "version": question.version,
            }
        )
        super().__init__(*args, **kwargs)
        # Active domains, and those the question has already (kept when inactive).
        self.fields["life_domains"].queryset = LifeDomain.objects.filter(
            Q(is_active=True) | Q(pk__in=question.life_domains.values("pk"))
        )
        if question.youth_is_derived:
            del self.fields["stated_is_youth"]
        self.style_fields()

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "description": data["description"],
            "laws": data["laws"],
            "reporter_name": data["reporter_name"],
            "reporter_relation": data["reporter_relation"],
            "reporter_contact": data["reporter_contact"],
            "resident_is_aware": self.aware(),
        }
