from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.agenda.models import Appointment
from apps.cases.models import Case
from apps.core.api import ScopedPrimaryKeyRelatedField
from apps.intake.models import Question
from apps.tenants.models import StaffMember


class VersionField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "help_text",
            "The version of the appointment you read. If someone changed it since, the "
            "request is refused with 409: read it again.",
        )
        super().__init__(**kwargs)


class AppointmentSerializer(serializers.ModelSerializer):
    case = ScopedPrimaryKeyRelatedField(read_only=True)
    question = ScopedPrimaryKeyRelatedField(read_only=True)
    participants = ScopedPrimaryKeyRelatedField(many=True, read_only=True)
    organiser = ScopedPrimaryKeyRelatedField(read_only=True)
    activity = ScopedPrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Appointment
        fields = [
            "id",
            "case",
            "question",
            "kind",
            "status",
            "starts_at",
            "ends_at",
            "place",
            "participants",
            "other_participants",
            "organiser",
            "cancel_reason",
            "activity",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AppointmentWriteSerializer(serializers.Serializer):
    """Plan (POST) or reschedule (PATCH, with `version`) an appointment. Planning
    needs `kind`, `starts_at`, `ends_at` and a `case` or a `question` (with both,
    the question is one of the case's household and the appointment belongs to
    the case). A PATCH changes what it names; its case never changes."""

    case = ScopedPrimaryKeyRelatedField(
        model=Case, required=False, allow_null=True, help_text="The case (or give `question`)."
    )
    question = ScopedPrimaryKeyRelatedField(
        model=Question,
        required=False,
        allow_null=True,
        help_text="The question (with `case`: one of its household).",
    )
    kind = serializers.ChoiceField(choices=Appointment.Kind.choices, required=False)
    starts_at = serializers.DateTimeField(
        required=False, help_text="In the future (when planned or moved)."
    )
    ends_at = serializers.DateTimeField(required=False, help_text="After `starts_at`.")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    participants = ScopedPrimaryKeyRelatedField(
        model=StaffMember,
        filters={"is_active": True},
        many=True,
        required=False,
        help_text="Colleagues who work on the case or question (you take part always).",
    )
    other_participants = serializers.CharField(max_length=300, required=False, allow_blank=True)
    version = VersionField(required=False)


class AppointmentCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    version = VersionField()


class AppointmentRecordSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    version = VersionField()


class AppointmentFilterSerializer(serializers.Serializer):
    case = ScopedPrimaryKeyRelatedField(
        model=Case,
        required=False,
        help_text="Only the appointments of this case.",
        error_messages={"does_not_exist": _("Er is in deze gemeente geen casus met dit id.")},
    )
    question = ScopedPrimaryKeyRelatedField(
        model=Question,
        required=False,
        help_text="Only the appointments of this question.",
        error_messages={"does_not_exist": _("Er is in deze gemeente geen vraag met dit id.")},
    )
    mine = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Only those you organise or take part in.",
    )

    def get_fields(self):
        # `from` and `to` are Python keywords: named here rather than as attributes.
        fields = super().get_fields()
        fields["from"] = serializers.DateTimeField(
            required=False, help_text="Only those that end at or after this moment."
        )
        fields["to"] = serializers.DateTimeField(
            required=False, help_text="Only those that start before this moment."
        )
        return fields
