"""Serializers of the decisions API: the provision catalogue, proposals
(voorwerk) and decisions. Relations are `ScopedPrimaryKeyRelatedField`s: an id
of another municipality "does not exist" (400), like an unknown id."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.cases.api.serializers import VersionField
from apps.cases.models import Case, SupportPlan
from apps.core.api import ScopedPrimaryKeyRelatedField
from apps.decisions.config_forms import ProviderForm, ProvisionTypeForm
from apps.decisions.models import (
    BudgetPeriod,
    DeadlineChange,
    Decision,
    DeliveryForm,
    Frequency,
    Objection,
    ObjectionDecision,
    Proposal,
    ProposalKind,
    Provider,
    Provision,
    ProvisionEvent,
    ProvisionType,
    Unit,
)
from apps.intake.api.serializers import ResidentFoundSerializer
from apps.intake.models import Resident
from apps.teams.api.base import ConfigurationSerializer
from apps.teams.models import Law


class ProvisionTypeSerializer(ConfigurationSerializer):
    class Meta:
        model = ProvisionType
        fields = ["id", *ProvisionTypeForm.Meta.fields, "version"]


# --- #21 part 1: providers (zorgaanbieders) and the form of delivery --------------------


class ProviderSerializer(ConfigurationSerializer):
    provision_types = ScopedPrimaryKeyRelatedField(
        model=ProvisionType,
        filters={"is_active": True},
        many=True,
        required=False,
        help_text="The provisions (`/api/v1/provision-types/`) the provider is contracted for.",
    )

    class Meta:
        model = Provider
        fields = ["id", *ProviderForm.Meta.fields, "version"]


DELIVERY_READ_FIELDS = [
    "delivery_form",
    "provider",
    "provider_name",
    "budget_amount",
    "budget_period",
]


def delivery_write_fields() -> dict:
    """The form of delivery on a proposal or a decision's changes: zorg in natura
    (`zin`) names a provider contracted for the provision; a personal budget
    (`pgb`) has `budget_amount` and `budget_period`. The rule is the service's."""
    return {
        "delivery_form": serializers.ChoiceField(
            choices=DeliveryForm.choices,
            required=False,
            allow_blank=True,
            help_text="zin: zorg in natura (with a provider); pgb: persoonsgebonden budget "
            "(with budget_amount and budget_period). Required at a grant.",
        ),
        "provider": ScopedPrimaryKeyRelatedField(
            model=Provider,
            required=False,
            allow_null=True,
            help_text="For zin: an active provider (`/api/v1/providers/`) contracted for the "
            "provision.",
        ),
        "budget_amount": serializers.DecimalField(
            max_digits=10,
            decimal_places=2,
            min_value=0,
            required=False,
            allow_null=True,
            help_text="For pgb: the amount in euro, above 0.",
        ),
        "budget_period": serializers.ChoiceField(
            choices=BudgetPeriod.choices,
            required=False,
            allow_blank=True,
            help_text="For pgb: per week, month or year, or total for the grant period.",
        ),
    }


# --- proposals -------------------------------------------------------------------------


class DeadlineChangeSerializer(serializers.ModelSerializer):
    by = ScopedPrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = DeadlineChange
        fields = ["id", "kind", "old_date", "new_date", "reason", "by", "at"]
        read_only_fields = fields


class DecisionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "outcome", "decided_at"]
        read_only_fields = fields


class ProposalListItemSerializer(serializers.ModelSerializer):
    """A proposal as the lists and the review queue show it; the motivation
    comes from the proposal's own endpoint, whose read is logged."""

    case = ScopedPrimaryKeyRelatedField(read_only=True)
    resident = ResidentFoundSerializer(read_only=True)
    provision_type = ScopedPrimaryKeyRelatedField(read_only=True)
    provision_type_name = serializers.CharField(source="provision_type.name", read_only=True)
    law = serializers.ChoiceField(source="provision_type.law", choices=Law.choices, read_only=True)
    assigned_consultant = ScopedPrimaryKeyRelatedField(read_only=True)
    provider = ScopedPrimaryKeyRelatedField(read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True, default=None)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "case",
            "resident",
            "provision_type",
            "provision_type_name",
            "law",
            "volume",
            "unit",
            "frequency",
            "start_date",
            "end_date",
            "status",
            "is_voorwerk",
            "application_date",
            "decision_deadline",
            "assigned_consultant",
            *DELIVERY_READ_FIELDS,
            "version",
            "kind",  # #21 part 2
        ]
        read_only_fields = fields


class ProposalSerializer(ProposalListItemSerializer):
    plan = ScopedPrimaryKeyRelatedField(read_only=True)
    revises = ScopedPrimaryKeyRelatedField(read_only=True)
    drafted_by = ScopedPrimaryKeyRelatedField(read_only=True)
    submitted_by = ScopedPrimaryKeyRelatedField(read_only=True)
    updated_by = ScopedPrimaryKeyRelatedField(read_only=True)
    decisions = DecisionSummarySerializer(many=True, read_only=True)
    deadline_changes = DeadlineChangeSerializer(many=True, read_only=True)

    class Meta(ProposalListItemSerializer.Meta):
        fields = [
            *ProposalListItemSerializer.Meta.fields,
            "motivation",
            "plan",
            "revises",
            "drafted_by",
            "submitted_at",
            "submitted_by",
            "returned_at",
            "decisions",
            "deadline_changes",
            "created_at",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = fields


class ProposalWriteSerializer(serializers.Serializer):
    """POST: draft a proposal on a case (voorwerk). PATCH: change a draft or a
    proposal returned with a question; send the `version` you read. Only the
    fields given are changed."""

    case = ScopedPrimaryKeyRelatedField(
        model=Case, required=False, help_text="Required on POST; on PATCH it cannot change."
    )
    provision_type = ScopedPrimaryKeyRelatedField(
        model=ProvisionType,
        filters={"is_active": True},
        required=False,
        help_text="From the catalogue (`/api/v1/provision-types/`). Required on POST.",
    )
    resident = ScopedPrimaryKeyRelatedField(
        model=Resident,
        required=False,
        help_text="A member of the case's household; default the case's resident.",
    )
    plan = ScopedPrimaryKeyRelatedField(
        model=SupportPlan,
        required=False,
        allow_null=True,
        help_text="The case's support plan; default its current one.",
    )
    volume = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    unit = serializers.ChoiceField(choices=Unit.choices, required=False, allow_blank=True)
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, help_text="Required on POST.")
    end_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Default: the start plus the provision's default duration.",
    )
    motivation = serializers.CharField(
        max_length=10_000, required=False, help_text="Required on POST."
    )
    revises = ScopedPrimaryKeyRelatedField(
        model=Provision,
        required=False,
        allow_null=True,
        help_text="A running provision of the household this proposal revises or extends.",
    )
    locals().update(delivery_write_fields())
    version = VersionField(required=False, help_text="Required on PATCH.")
    # --- #21 part 2: a withdrawal (intrekking) of the running provision `revises`.
    kind = serializers.ChoiceField(
        choices=ProposalKind.choices,
        required=False,
        default=ProposalKind.PROVISION,
        help_text="POST only. withdrawal: ends the running provision `revises` early on "
        "`end_date` (with `case`, `revises`, `end_date` and `motivation`); the loket decides it.",
    )

    REQUIRED_ON_CREATE = ("case", "provision_type", "start_date", "motivation")
    REQUIRED_FOR_WITHDRAWAL = ("case", "revises", "end_date", "motivation")

    def validate(self, attrs):
        if self.context.get("creating"):
            required = (
                self.REQUIRED_FOR_WITHDRAWAL
                if attrs.get("kind") == ProposalKind.WITHDRAWAL
                else self.REQUIRED_ON_CREATE
            )
            missing = {
                name: [_("Dit veld is verplicht.")]
                for name in required
                if attrs.get(name) in (None, "")
            }
            if missing:
                raise serializers.ValidationError(missing)
        elif attrs.get("version") is None:
            raise serializers.ValidationError(
                {"version": [_("Geef de versie mee die u heeft gelezen (veld version).")]}
            )
        return attrs


class ProposalDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=Decision.Outcome.choices,
        help_text="granted: as proposed; granted_changed: with the changes given (reasons "
        "required); refused (reasons required); returned: back to the team with a question "
        "(reasons required).",
    )
    reasons = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    volume = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    unit = serializers.ChoiceField(choices=Unit.choices, required=False, allow_blank=True)
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    locals().update(delivery_write_fields())
    version = VersionField(help_text="The version of the proposal you read.")

    # What the changes mean for the outcome is the service's rule
    # (`decision_changes`): a changed value with another outcome is refused there.


class DeadlineChangeRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DeadlineChange.Kind.choices)
    new_date = serializers.DateField(help_text="After the current deadline.")
    reason = serializers.CharField(max_length=2000)


# --- decisions -------------------------------------------------------------------------


class DecisionListItemSerializer(serializers.ModelSerializer):
    proposal = ScopedPrimaryKeyRelatedField(read_only=True)
    case = ScopedPrimaryKeyRelatedField(read_only=True)
    resident = ScopedPrimaryKeyRelatedField(read_only=True)
    consultant = ScopedPrimaryKeyRelatedField(read_only=True)
    consultant_name = serializers.CharField(source="consultant.user.full_name", read_only=True)
    provision_type = ScopedPrimaryKeyRelatedField(read_only=True)
    provision_type_name = serializers.CharField(source="provision_type.name", read_only=True)
    provider = ScopedPrimaryKeyRelatedField(read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True, default=None)
    has_letter = serializers.SerializerMethodField(
        help_text="The decision letter (PDF) is ready at `letter/`."
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "proposal",
            "case",
            "resident",
            "outcome",
            "consultant",
            "consultant_name",
            "law",
            "provision_type",
            "provision_type_name",
            "legal_basis",
            "volume",
            "unit",
            "frequency",
            "start_date",
            "end_date",
            *DELIVERY_READ_FIELDS,
            "via_voorwerk",
            "application_date",
            "deadline",
            "decided_at",
            "has_letter",
            "kind",  # #21 part 2
        ]
        read_only_fields = fields

    def get_has_letter(self, obj) -> bool:
        return getattr(obj, "letter_id", None) is not None


class DecisionSerializer(DecisionListItemSerializer):
    mandate = ScopedPrimaryKeyRelatedField(read_only=True)

    class Meta(DecisionListItemSerializer.Meta):
        fields = [*DecisionListItemSerializer.Meta.fields, "reasons", "mandate"]
        read_only_fields = fields


# --- #21 part 2: a provision's lifecycle ---------------------------------------------------


class ProvisionEventSerializer(serializers.ModelSerializer):
    by = ScopedPrimaryKeyRelatedField(read_only=True)
    decision = ScopedPrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ProvisionEvent
        fields = ["id", "kind", "date", "reason", "by", "decision", "at"]
        read_only_fields = fields


class ProvisionSerializer(serializers.ModelSerializer):
    """A granted provision with its status; `events` on the detail."""

    decision = ScopedPrimaryKeyRelatedField(read_only=True)
    ended_by = ScopedPrimaryKeyRelatedField(read_only=True)
    case = ScopedPrimaryKeyRelatedField(read_only=True)
    household = ScopedPrimaryKeyRelatedField(read_only=True)
    resident = ScopedPrimaryKeyRelatedField(read_only=True)
    provision_type = ScopedPrimaryKeyRelatedField(read_only=True)
    provision_type_name = serializers.CharField(source="provision_type.name", read_only=True)
    law = serializers.ChoiceField(source="provision_type.law", choices=Law.choices, read_only=True)

    class Meta:
        model = Provision
        fields = [
            "id",
            "case",
            "household",
            "resident",
            "provision_type",
            "provision_type_name",
            "law",
            "volume",
            "unit",
            "frequency",
            "start_date",
            "end_date",
            "status",
            "suspended_since",
            "ended_on",
            "decision",
            "ended_by",
            "reassessment_due_since",
            "version",
        ]
        read_only_fields = fields


class ProvisionDetailSerializer(ProvisionSerializer):
    events = ProvisionEventSerializer(many=True, read_only=True)

    class Meta(ProvisionSerializer.Meta):
        fields = [*ProvisionSerializer.Meta.fields, "events"]
        read_only_fields = fields


class ProvisionSuspendSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="Suspended from this date (within the period).")
    reason = serializers.CharField(max_length=2000)
    version = VersionField(help_text="The version of the provision you read.")


class ProvisionResumeSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="Running again from this date.")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    version = VersionField(help_text="The version of the provision you read.")


# --- objections (bezwaar, #21 part 3) ---------------------------------------------------


class ObjectionDecisionSerializer(serializers.ModelSerializer):
    decided_by = ScopedPrimaryKeyRelatedField(read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.user.full_name", read_only=True)

    class Meta:
        model = ObjectionDecision
        fields = ["id", "outcome", "reasons", "decided_by", "decided_by_name", "decided_at"]
        read_only_fields = fields


class ObjectionSerializer(serializers.ModelSerializer):
    """An objection (bezwaar) against a decision, with its clock and, once
    decided, the decision on it (`result`)."""

    decision = ScopedPrimaryKeyRelatedField(read_only=True)
    resident = ScopedPrimaryKeyRelatedField(source="decision.resident", read_only=True)
    registered_by = ScopedPrimaryKeyRelatedField(read_only=True)
    extended_by = ScopedPrimaryKeyRelatedField(read_only=True)
    new_proposal = ScopedPrimaryKeyRelatedField(read_only=True)
    result = ObjectionDecisionSerializer(
        read_only=True, allow_null=True, help_text="The decision on the objection, once made."
    )

    class Meta:
        model = Objection
        fields = [
            "id",
            "decision",
            "resident",
            "received_on",
            "lodged_by_name",
            "lodged_by_relation",
            "grounds",
            "advisory_committee",
            "late",
            "statutory_deadline",
            "deadline",
            "extension_reason",
            "extended_at",
            "extended_by",
            "status",
            "withdrawn_on",
            "registered_by",
            "new_proposal",
            "result",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class ObjectionWriteSerializer(serializers.Serializer):
    """POST: register an objection against a final decision."""

    decision = ScopedPrimaryKeyRelatedField(
        model=Decision, help_text="A final decision (granted, granted_changed, refused)."
    )
    received_on = serializers.DateField(help_text="Not in the future, not before the decision.")
    lodged_by_name = serializers.CharField(max_length=200)
    lodged_by_relation = serializers.ChoiceField(choices=Objection.LodgedBy.choices)
    grounds = serializers.CharField(max_length=10_000)
    advisory_committee = serializers.BooleanField(
        required=False, default=False, help_text="With an advisory committee: 12 weeks, not 6."
    )


class ObjectionFilterSerializer(serializers.Serializer):
    resident = ScopedPrimaryKeyRelatedField(
        model=Resident,
        required=False,
        help_text="Objections about this resident's decisions.",
        error_messages={"does_not_exist": _("Er is in deze gemeente geen inwoner met dit id.")},
    )


class ObjectionExtendSerializer(serializers.Serializer):
    weeks = serializers.IntegerField(min_value=1, max_value=6, help_text="At most 6, once.")
    reason = serializers.CharField(max_length=2000)
    version = VersionField(help_text="The version of the objection you read.")


class ObjectionWithdrawSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField()
    version = VersionField(help_text="The version of the objection you read.")


class ObjectionDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ObjectionDecision.Outcome.choices)
    reasons = serializers.CharField(max_length=10_000)
    version = VersionField(help_text="The version of the objection you read.")
