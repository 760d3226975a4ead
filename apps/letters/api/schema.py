"""The OpenAPI description of the letters API (drf-spectacular), applied to the
view classes when `api/urls.py` loads this module."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from apps.core.api import error_responses
from apps.core.api_schema import download, read_list, read_one
from apps.letters.api.serializers import (
    CaseLetterCreateSerializer,
    LetterSerializer,
    ProposalLetterCreateSerializer,
    QuestionLetterCreateSerializer,
)
from apps.letters.api.views import (
    CaseLetterViewSet,
    LetterViewSet,
    ProposalLetterViewSet,
    QuestionLetterViewSet,
)

extend_schema_view(
    list=read_list(
        LetterSerializer,
        "Letters sent about the questions you may open (the page read is in the access log)",
        errors=(400, 403),
    ),
    retrieve=read_one(
        LetterSerializer, "A letter as sent (the read is recorded in the access log)"
    ),
    pdf=download(
        "Download the letter (PDF)",
        "The letter as stored when it was made. The download is recorded in the access log.",
        "application/pdf",
        file_description="The letter.",
    ),
)(LetterViewSet)

extend_schema_view(
    create=extend_schema(
        summary="Make a letter about a question",
        description=(
            "Makes the letter from the municipality's text of the kind (or the default "
            "text), stores it with its PDF and records who made it. `acknowledgement`: "
            "only for a Wmo melding with an investigation deadline. `invitation`: "
            "`meeting_at` in the future and `place` are required. Only whoever handles "
            "the question may (403)."
        ),
        request=QuestionLetterCreateSerializer,
        responses={201: LetterSerializer, **error_responses(400, 403, 404)},
        examples=[
            OpenApiExample("Acknowledgement", request_only=True, value={"kind": "acknowledgement"}),
            OpenApiExample(
                "Invitation",
                request_only=True,
                value={
                    "kind": "invitation",
                    "meeting_at": "2027-01-12T10:00:00+01:00",
                    "place": "Bij u thuis",
                },
            ),
        ],
    )
)(QuestionLetterViewSet)

extend_schema_view(
    create=extend_schema(
        summary="Make the report of the investigation of a case",
        description=(
            "Makes the written report of the investigation (verslag, Wmo 2015 art. 2.3.4) "
            "from the municipality's text of the kind (or the default text), with the "
            "latest ZRM score per life domain and the current support plan (its goals and "
            "solutions; `concept` while not agreed), stores it with its PDF and records who "
            "made it. Refused (400) when the case has neither an assessment nor a plan. "
            "Only whoever works on the case may (403)."
        ),
        request=CaseLetterCreateSerializer,
        responses={201: LetterSerializer, **error_responses(400, 403, 404)},
        examples=[OpenApiExample("Report", request_only=True, value={"kind": "report"})],
    )
)(CaseLetterViewSet)

extend_schema_view(
    create=extend_schema(
        summary="Make the notice that a proposal's decision deadline was extended",
        description=(
            "Makes the notice (Awb 4:14) from the municipality's text of the kind (or the "
            "default text) with the old and new decision deadline and the reason of the "
            "last extension of the proposal, stores it with its PDF and records who made "
            "it. Refused (400) without an extension. Only whoever may change the decision "
            "deadline (a loket consultant mandated for the provision's law) may (403)."
        ),
        request=ProposalLetterCreateSerializer,
        responses={201: LetterSerializer, **error_responses(400, 403, 404)},
        examples=[
            OpenApiExample("Notice", request_only=True, value={"kind": "decision_postponement"})
        ],
    )
)(ProposalLetterViewSet)
