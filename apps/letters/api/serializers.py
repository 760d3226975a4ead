"""Serializers of the letters API."""

from django.urls import reverse
from rest_framework import serializers

from apps.letters.models import Letter
from apps.letters.placeholders import LetterKind
from apps.letters.services import QUESTION_KINDS


class LetterSerializer(serializers.ModelSerializer):
    pdf = serializers.SerializerMethodField(help_text="Where the PDF of the letter is downloaded.")

    class Meta:
        model = Letter
        fields = [
            "id",
            "kind",
            "resident",
            "question",
            "case",
            "proposal",
            "subject",
            "body",
            "meeting_at",
            "place",
            "created_by",
            "created_at",
            "pdf",
        ]
        read_only_fields = fields

    def get_pdf(self, obj) -> str:
        return reverse("api:letter-pdf", args=[obj.pk])


class QuestionLetterCreateSerializer(serializers.Serializer):
    """A letter about the question of the URL: the kind and the kind's data."""

    kind = serializers.ChoiceField(
        choices=[(kind.value, kind.label) for kind in QUESTION_KINDS],
        help_text="`acknowledgement`: the acknowledgement of a Wmo melding; "
        "`postponement`: the notice that its investigation deadline was extended (after "
        "an extension, from the last one); `invitation`: an invitation to a kitchen-table "
        "talk.",
    )
    meeting_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="The invitation: the date and time of the talk, in the future.",
    )
    place = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The invitation: where the talk is.",
    )


class CaseLetterCreateSerializer(serializers.Serializer):
    """A letter about the case of the URL: the report of the investigation."""

    kind = serializers.ChoiceField(
        choices=[(LetterKind.REPORT.value, LetterKind.REPORT.label)],
        help_text="`report`: the written report of the investigation (verslag, Wmo 2015 "
        "art. 2.3.4): the latest ZRM score per life domain and the current support plan.",
    )


class ProposalLetterCreateSerializer(serializers.Serializer):
    """A letter about the proposal of the URL: the notice of an extended decision
    deadline."""

    kind = serializers.ChoiceField(
        choices=[(LetterKind.DECISION_POSTPONEMENT.value, LetterKind.DECISION_POSTPONEMENT.label)],
        help_text="`decision_postponement`: the notice (Awb 4:14) that the decision deadline "
        "of the application was extended (after an extension, from the last one).",
    )
