"""Serializers of the intake API. Every relation is a `ScopedPrimaryKeyRelatedField`:
an id of another municipality "does not exist" (400), exactly like an unknown id."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.api import ScopedPrimaryKeyRelatedField
from apps.intake.models import (
    Channel,
    LifeDomain,
    Question,
    QuestionDescriptionRevision,
    QuestionForward,
    Resident,
    TriageRule,
)
from apps.intake.validators import normalise_bsn, validate_bsn
from apps.teams.api.base import ConfigurationSerializer
from apps.teams.models import Area, Law, Team


def optional_active_team(help_text):
    """An active team of this municipality, or none: where a question came in,
    where it goes instead of triage's team, where a triage rule sends it."""
    return ScopedPrimaryKeyRelatedField(
        model=Team,
        filters={"is_active": True},
        required=False,
        allow_null=True,
        help_text=help_text,
    )


class BSNField(serializers.CharField):
    """A BSN as people write it (spaces, dots, dashes, a dropped leading zero),
    normalised to nine digits and checked with the 11-test."""

    def __init__(self, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", ()), validate_bsn]
        kwargs.setdefault("max_length", 11)  # as on the pages
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return normalise_bsn(super().to_internal_value(data))


class SearchTermField(serializers.CharField):
    """The optional search term `q` of a list (a resident's name or BSN), as
    long as the pages' search fields allow."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)


class LifeDomainSerializer(serializers.ModelSerializer):
    class Meta:
        model = LifeDomain
        fields = ["id", "name", "position", "is_active"]


# --- residents -----------------------------------------------------------------------------


class ResidentSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    area = ScopedPrimaryKeyRelatedField(read_only=True)
    household = ScopedPrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Resident
        fields = [
            "id",
            "bsn",
            "first_names",
            "surname_prefix",
            "surname",
            "full_name",
            "date_of_birth",
            "street",
            "postcode",
            "city",
            "area",
            "phone",
            "email",
            "household",
            "household_relation",
            "version",
        ]
        read_only_fields = fields


class ResidentSummarySerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Resident
        fields = ["id", "full_name", "bsn", "date_of_birth"]
        read_only_fields = fields


class NewResidentSerializer(serializers.Serializer):
    """The resident a question is about, when not yet chosen by id. A BSN that is
    already known in the municipality links the question to that resident when the
    surname (and the date of birth, if given) match theirs; another name is refused
    without naming the person, and the other fields are ignored. Otherwise a new
    resident is made. The surname is always needed."""

    bsn = BSNField(
        required=False,
        allow_blank=True,
        help_text="Burgerservicenummer (11-test); spaces, dots and dashes are ignored.",
    )
    first_names = serializers.CharField(max_length=150, required=False, allow_blank=True)
    surname_prefix = serializers.CharField(max_length=20, required=False, allow_blank=True)
    surname = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text="Always required: with a known BSN it must match the resident's surname.",
    )
    date_of_birth = serializers.DateField(
        required=False, allow_null=True, help_text="Decides whether the question is about youth."
    )
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    area = ScopedPrimaryKeyRelatedField(
        model=Area, filters={"is_active": True}, required=False, allow_null=True
    )
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)


class ResidentSearchParamsSerializer(serializers.Serializer):
    bsn = BSNField(
        required=False,
        allow_blank=True,
        help_text="Find the one resident with this BSN (11-test; spaces and dots ignored).",
    )
    q = SearchTermField(help_text="Part of the name (every word must match), or a BSN.")

    def validate(self, attrs):
        if attrs.get("bsn") and attrs.get("q", "").strip():
            raise serializers.ValidationError(
                {"q": [_("Zoek op BSN of op naam, niet op allebei tegelijk.")]}
            )
        return attrs


class ResidentFoundSerializer(serializers.ModelSerializer):
    """What a search shows of a resident: enough to pick the right one. The
    file itself (BSN, address, contact, household) comes from the resident's
    own endpoint, whose read is logged (and may ask for a reason)."""

    full_name = serializers.CharField(read_only=True)
    area = ScopedPrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Resident
        fields = ["id", "full_name", "date_of_birth", "area"]
        read_only_fields = fields


class ResidentSearchResultSerializer(serializers.Serializer):
    results = ResidentFoundSerializer(many=True)
    has_more = serializers.BooleanField(
        help_text="More residents match than are shown: search more precisely."
    )


# --- questions -----------------------------------------------------------------------------


class TriageOutcomeSerializer(serializers.ModelSerializer):
    """Where the municipality's triage rules sent the question, and whether the
    person registering it chose another team (with the reason)."""

    team = ScopedPrimaryKeyRelatedField(
        source="triage_team", read_only=True, help_text="The team the triage rules chose."
    )
    rule = ScopedPrimaryKeyRelatedField(
        source="triage_rule",
        read_only=True,
        help_text="The rule that decided; null for the default destination (or a deleted rule).",
    )
    rule_name = serializers.CharField(source="triage_rule_name", read_only=True)
    is_overridden = serializers.BooleanField(
        read_only=True, help_text="True when the question went to another team than triage said."
    )

    class Meta:
        model = Question
        fields = ["team", "rule", "rule_name", "is_overridden", "override_reason"]
        read_only_fields = fields


class QuestionForwardSerializer(serializers.ModelSerializer):
    from_team = ScopedPrimaryKeyRelatedField(read_only=True)
    to_team = ScopedPrimaryKeyRelatedField(read_only=True)
    by = ScopedPrimaryKeyRelatedField(read_only=True)
    by_name = serializers.CharField(source="by.user.full_name", read_only=True)

    class Meta:
        model = QuestionForward
        fields = ["id", "from_team", "to_team", "by", "by_name", "at", "reason"]
        read_only_fields = fields


class QuestionSerializer(serializers.ModelSerializer):
    resident = ResidentSummarySerializer(read_only=True)
    household = ScopedPrimaryKeyRelatedField(read_only=True)
    area = ScopedPrimaryKeyRelatedField(
        read_only=True, help_text="The resident's area when the question came in."
    )
    received_by = ScopedPrimaryKeyRelatedField(read_only=True)
    received_by_name = serializers.CharField(source="received_by.user.full_name", read_only=True)
    gate = ScopedPrimaryKeyRelatedField(read_only=True)
    life_domains = ScopedPrimaryKeyRelatedField(many=True, read_only=True)
    laws = serializers.ListField(child=serializers.ChoiceField(choices=Law.choices), read_only=True)
    triage = TriageOutcomeSerializer(source="*", read_only=True)
    team = ScopedPrimaryKeyRelatedField(read_only=True, help_text="The team it is at now.")
    assigned_to = ScopedPrimaryKeyRelatedField(read_only=True)
    assigned_to_name = serializers.CharField(
        source="assigned_to.user.full_name", read_only=True, allow_null=True
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "resident",
            "household",
            "area",
            "channel",
            "received_at",
            "received_by",
            "received_by_name",
            "gate",
            "reporter_name",
            "reporter_relation",
            "reporter_contact",
            "resident_is_aware",
            "description",
            "life_domains",
            "laws",
            "is_youth",
            "youth_is_derived",
            "investigation_deadline",
            "triage",
            "team",
            "assigned_to",
            "assigned_to_name",
            "status",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class QuestionListItemSerializer(serializers.ModelSerializer):
    """A question as the inbox shows it. The contents (description, reporter,
    the resident's BSN) come from the question's own endpoint, whose read is
    logged."""

    resident = ResidentFoundSerializer(read_only=True)
    area = ScopedPrimaryKeyRelatedField(read_only=True)
    team = ScopedPrimaryKeyRelatedField(read_only=True)
    assigned_to = ScopedPrimaryKeyRelatedField(read_only=True)
    assigned_to_name = serializers.CharField(
        source="assigned_to.user.full_name", read_only=True, allow_null=True
    )
    laws = serializers.ListField(child=serializers.ChoiceField(choices=Law.choices), read_only=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "resident",
            "area",
            "channel",
            "received_at",
            "laws",
            "is_youth",
            "investigation_deadline",
            "team",
            "assigned_to",
            "assigned_to_name",
            "status",
            "version",
        ]
        read_only_fields = fields


class QuestionDescriptionRevisionSerializer(serializers.ModelSerializer):
    """An earlier version of a corrected text: the text as it was, who wrote it
    and when, who corrected it, when and why."""

    written_by = ScopedPrimaryKeyRelatedField(read_only=True)
    corrected_by = ScopedPrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = QuestionDescriptionRevision
        fields = ["text", "written_by", "written_at", "corrected_by", "corrected_at", "reason"]
        read_only_fields = fields


class QuestionDetailSerializer(QuestionSerializer):
    forwards = QuestionForwardSerializer(
        many=True, read_only=True, help_text="Every forward, oldest first."
    )
    description_revisions = QuestionDescriptionRevisionSerializer(
        many=True,
        read_only=True,
        help_text="The earlier versions of the description, oldest first (empty: never corrected).",
    )

    class Meta(QuestionSerializer.Meta):
        fields = [*QuestionSerializer.Meta.fields, "forwards", "description_revisions"]
        read_only_fields = fields


class QuestionCreatedSerializer(QuestionDetailSerializer):
    found_known_resident = serializers.BooleanField(
        read_only=True,
        help_text="The BSN given belonged to a known resident: the question is linked to them.",
    )

    class Meta(QuestionDetailSerializer.Meta):
        fields = [*QuestionDetailSerializer.Meta.fields, "found_known_resident"]
        read_only_fields = fields


class QuestionCreateSerializer(serializers.Serializer):
    """Register a question: about a known resident (`resident`) or one described
    in `resident_data` (found by BSN when known, else created). Youth follows from
    the date of birth when known; the Wmo investigation deadline from the date
    received; the team from the municipality's triage rules unless
    `override_team` is given with an `override_reason`."""

    resident = ScopedPrimaryKeyRelatedField(
        model=Resident, required=False, allow_null=True, help_text="A known resident."
    )
    resident_data = NewResidentSerializer(
        required=False, allow_null=True, help_text="Or the resident's details."
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_at = serializers.DateTimeField(help_text="Not in the future.")
    gate = optional_active_team("The loket or team where the question came in.")
    description = serializers.CharField(max_length=10_000)
    life_domains = ScopedPrimaryKeyRelatedField(
        model=LifeDomain,
        filters={"is_active": True},
        many=True,
        help_text="At least one, of `/api/v1/life-domains/`.",
    )
    laws = serializers.ListField(
        child=serializers.ChoiceField(choices=Law.choices),
        default=list,
        max_length=len(Law.choices),
        help_text="A question under the Wmo is a report (melding): the deadline starts.",
    )
    stated_is_youth = serializers.BooleanField(
        allow_null=True,
        default=None,
        help_text="Only used when the resident's date of birth is unknown.",
    )
    reporter_name = serializers.CharField(max_length=150, allow_blank=True, default="")
    reporter_relation = serializers.ChoiceField(
        choices=Question.ReporterRelation.choices, allow_blank=True, default=""
    )
    reporter_contact = serializers.CharField(max_length=200, allow_blank=True, default="")
    resident_is_aware = serializers.BooleanField(
        allow_null=True,
        default=None,
        help_text="Only for a report by someone other than the resident.",
    )
    override_team = optional_active_team(
        "Send the question here instead of where triage sends it (give the reason)."
    )
    override_reason = serializers.CharField(max_length=2000, allow_blank=True, default="")
    reason = serializers.CharField(
        max_length=500,
        allow_blank=True,
        default="",
        help_text=(
            "Why the file of `resident` (or of the known resident the BSN and surname in "
            "`resident_data` find) is opened. Required (at least 10 characters) when "
            "the user works on no question of the resident or their household, as for "
            "`GET /residents/{id}/`; kept in the access log."
        ),
    )

    def validate(self, attrs):
        resident, data = attrs.get("resident"), attrs.get("resident_data")
        if resident is not None and data is not None:
            raise serializers.ValidationError(
                {"resident_data": [_("Kies een bekende inwoner óf geef gegevens, niet allebei.")]}
            )
        if resident is None and data is None:
            raise serializers.ValidationError(
                {
                    "resident": [
                        _(
                            "Kies een bekende inwoner (resident) of geef de gegevens van de "
                            "inwoner (resident_data)."
                        )
                    ]
                }
            )
        return attrs


class VersionField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "help_text",
            "The version of the question you read. If someone changed the question since, "
            "the request is refused with 409: read it again.",
        )
        super().__init__(**kwargs)


class QuestionForwardRequestSerializer(serializers.Serializer):
    to_team = ScopedPrimaryKeyRelatedField(model=Team, filters={"is_active": True})
    reason = serializers.CharField(max_length=2000)
    version = VersionField()


class QuestionAssignRequestSerializer(serializers.Serializer):
    version = VersionField()


class QuestionPageSerializer(serializers.Serializer):
    next = serializers.URLField(
        allow_null=True, help_text="The next page, or null on the last page."
    )
    count_at_least = serializers.IntegerField(
        allow_null=True,
        help_text="On the first page: how many questions match, counted up to 1000 "
        "(see count_is_bounded); null on later pages.",
    )
    count_is_bounded = serializers.BooleanField(
        help_text="True when more than count_at_least questions match."
    )
    results = QuestionListItemSerializer(many=True)


# --- triage rules --------------------------------------------------------------------------


class TriageRuleSerializer(ConfigurationSerializer):
    life_domain = ScopedPrimaryKeyRelatedField(
        model=LifeDomain, filters={"is_active": True}, required=False, allow_null=True
    )
    area = ScopedPrimaryKeyRelatedField(
        model=Area, filters={"is_active": True}, required=False, allow_null=True
    )
    team = optional_active_team("Only with destination 'team'.")
    position = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="Rules are tried in ascending position (then id); default: after the last.",
    )

    class Meta:
        model = TriageRule
        fields = ["id", "position", *TriageRule.SETTABLE_FIELDS, "version"]


class TextCorrectionRequestSerializer(serializers.Serializer):
    """A correction of a text that is kept with its earlier versions."""

    text = serializers.CharField(max_length=10_000, help_text="The corrected text.")
    reason = serializers.CharField(
        max_length=2000, help_text="Why it is corrected (kept with the earlier text)."
    )
    version = VersionField()
