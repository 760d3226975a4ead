from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.cases.api.serializers import VersionField
from apps.cases.models import Case
from apps.core.api import ScopedPrimaryKeyRelatedField
from apps.documents.models import Document
from apps.intake.models import Question, Resident


class DocumentSerializer(serializers.ModelSerializer):
    """A document as read: what it hangs on, its details and, once withdrawn,
    who withdrew it, when and why. The file itself: `GET …/content/`."""

    resident = serializers.PrimaryKeyRelatedField(read_only=True)
    case = serializers.PrimaryKeyRelatedField(read_only=True)
    question = serializers.PrimaryKeyRelatedField(read_only=True)
    uploaded_by = serializers.PrimaryKeyRelatedField(read_only=True)
    withdrawn_by = serializers.PrimaryKeyRelatedField(read_only=True)
    is_withdrawn = serializers.BooleanField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "resident",
            "case",
            "question",
            "title",
            "kind",
            "document_date",
            "original_filename",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "is_withdrawn",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawn_reason",
            "version",
        ]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    """multipart/form-data: exactly one of `case`, `question`, `resident`, with
    the title, kind, date and the file."""

    case = ScopedPrimaryKeyRelatedField(model=Case, required=False, allow_null=True)
    question = ScopedPrimaryKeyRelatedField(model=Question, required=False, allow_null=True)
    resident = ScopedPrimaryKeyRelatedField(model=Resident, required=False, allow_null=True)
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    document_date = serializers.DateField()
    file = serializers.FileField(max_length=255, allow_empty_file=False)

    def validate(self, attrs):
        given = [name for name in ("case", "question", "resident") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Geef precies één van case, question of resident mee.")]}
            )
        return attrs


class DocumentWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    version = VersionField()
