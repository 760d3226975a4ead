"""The OpenAPI description of the intake API (drf-spectacular), apart from the
behaviour: the summaries, descriptions, parameters, examples and declared
responses of `apps.intake.api.views`, applied to the viewsets and serializers
when this module is imported (by `apps.intake.api.urls`, before the router
sees the viewsets)."""

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)

from apps.core.api import error_responses
from apps.intake.api.filters import QuestionFilterSerializer
from apps.intake.api.serializers import (
    QuestionAssignRequestSerializer,
    QuestionCreatedSerializer,
    QuestionCreateSerializer,
    QuestionDetailSerializer,
    QuestionForwardRequestSerializer,
    QuestionPageSerializer,
    ResidentSearchParamsSerializer,
    ResidentSearchResultSerializer,
    ResidentSerializer,
    TextCorrectionRequestSerializer,
    TriageRuleSerializer,
)
from apps.intake.api.views import (
    RESIDENT_SEARCH_LIMIT,
    QuestionViewSet,
    ResidentViewSet,
    TriageRuleViewSet,
)

# --- examples ------------------------------------------------------------------------------

CREATE_EXAMPLES = [
    OpenApiExample(
        "A new resident, routed by triage",
        request_only=True,
        value={
            "resident_data": {
                "bsn": "111222333",
                "first_names": "Jan",
                "surname": "Jansen",
                "date_of_birth": "1948-03-01",
                "street": "Dorpsstraat 1",
                "postcode": "6661 AA",
                "city": "Elst",
                "area": 3,
            },
            "channel": "telephone",
            "received_at": "2026-11-23T10:15:00+01:00",
            "gate": 1,
            "description": "Mevrouw kan het huishouden niet meer aan sinds haar heupoperatie.",
            "life_domains": [4, 7],
            "laws": ["wmo"],
        },
    ),
    OpenApiExample(
        "A known resident, reported by the GP, sent to another team than triage says",
        request_only=True,
        value={
            "resident": 42,
            "channel": "third_party",
            "received_at": "2026-11-23T09:00:00+01:00",
            "description": "Huisarts maakt zich zorgen om de thuissituatie.",
            "life_domains": [6],
            "laws": ["jeugdwet"],
            "reporter_name": "Dr. De Vries",
            "reporter_relation": "gp",
            "reporter_contact": "0481-123456",
            "resident_is_aware": True,
            "override_team": 5,
            "override_reason": "Het gezin is al bekend bij het kernteam.",
        },
    ),
]


def _answer_examples(code: int, *examples: tuple[str, dict]) -> dict:
    """`error_responses`' examples of the answers with status `code`, each a
    (name, body) pair."""
    return {
        code: [
            OpenApiExample(name, response_only=True, status_codes=[str(code)], value=value)
            for name, value in examples
        ]
    }


VALIDATION_EXAMPLES = _answer_examples(
    400,
    (
        "Invalid BSN and a future moment",
        {
            "resident_data": {
                "bsn": [
                    "Dit is geen geldig burgerservicenummer (BSN): het voldoet niet aan "
                    "de elfproef."
                ]
            },
            "received_at": ["Het moment van ontvangst ligt in de toekomst."],
        },
    ),
    (
        "An id of nothing in this municipality",
        {"override_team": ['Ongeldige pk "77" - object bestaat niet.']},
    ),
)
FORWARD_EXAMPLES = [
    OpenApiExample(
        "Forward to the loket",
        request_only=True,
        value={
            "to_team": 1,
            "reason": "Er is een maatwerkvoorziening nodig: graag een keukentafelgesprek.",
            "version": 3,
        },
    )
]
ASSIGN_EXAMPLES = [OpenApiExample("Take it", request_only=True, value={"version": 3})]
CONFLICT_EXAMPLES = _answer_examples(
    409,
    (
        "Stale version",
        {
            "detail": "Iemand anders heeft dit gegeven intussen gewijzigd. Laad de pagina "
            "opnieuw en voer uw wijziging nogmaals in."
        },
    ),
)
_WRITE_ERRORS = error_responses(400, 403, 404, 409, examples=CONFLICT_EXAMPLES)


# --- serializers ---------------------------------------------------------------------------

# A page object, not a list: without many=False drf-spectacular documents the
# response of a `list` action as an array of these.
extend_schema_serializer(many=False)(ResidentSearchResultSerializer)
extend_schema_serializer(many=False)(QuestionPageSerializer)


# --- residents -----------------------------------------------------------------------------

extend_schema_view(
    list=extend_schema(
        summary="Find residents by BSN or name (the search is recorded in the access log)",
        description=(
            "`bsn` finds the one resident with that BSN; `q` searches the name (every word "
            "must match part of it) or, when it is a BSN, the BSN. Without a term the result "
            f"is empty: there is no list of all residents. At most {RESIDENT_SEARCH_LIMIT} "
            "residents are returned; `has_more` says there are more."
        ),
        parameters=[ResidentSearchParamsSerializer],
        responses={200: ResidentSearchResultSerializer, **error_responses(400, 403)},
    ),
    # Two layers, in this order: the parameter, then the summary and the responses.
    retrieve=[
        extend_schema(
            parameters=[
                OpenApiParameter(
                    "reason",
                    str,
                    description=(
                        "Why the file is opened. Required (at least 10 characters) when the "
                        "user works on no question of the resident or their household; kept "
                        "in the access log."
                    ),
                )
            ],
            responses={200: ResidentSerializer, **error_responses(400, 403, 404)},
        ),
        extend_schema(
            summary="A resident (the read is recorded in the access log)",
            responses={200: ResidentSerializer, **error_responses(403, 404)},
        ),
    ],
)(ResidentViewSet)


# --- questions -----------------------------------------------------------------------------


REGISTER_DESCRIPTION = (
    "About a known resident (`resident`) or one described in `resident_data`: a "
    "BSN that is known in the municipality links the question to that resident, "
    "never a second record. Youth follows from the date of birth when known; a "
    "question under the Wmo gets the statutory investigation deadline; triage sends "
    "it to a team unless `override_team` is given with `override_reason`. All or "
    "nothing: on an error neither the resident nor the question is saved. Send an "
    "`Idempotency-Key` header (up to 64 characters, e.g. a UUID) to make a retry "
    "safe: a repeat with the same key by the same staff member answers 200 with the "
    "question made the first time (the read is logged). A key is bound to the "
    "municipality and the staff member who sent it: the same key from someone else "
    "registers a new question."
)


def _question_action(*, summary, description, request, examples):
    """A POST on one question (forward, assign): it answers with the question."""
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={
            200: QuestionDetailSerializer,
            **error_responses(400, 403, 404, 409, examples=CONFLICT_EXAMPLES),
        },
        examples=examples,
    )


extend_schema_view(
    list=extend_schema(
        summary="The questions you may see, filtered like the inbox",
        description=(
            "Keyset pagination: follow `next` (the `cursor` parameter) until it is null. "
            "New questions come first, then those in progress (with `status=closed` or "
            "`all`, the closed ones), oldest first within each. The first page says how "
            "many match, counted up to 1000. A search (`q`) is recorded in the access log."
        ),
        parameters=[QuestionFilterSerializer],
        responses={200: QuestionPageSerializer, **error_responses(400, 403)},
    ),
    create=extend_schema(
        summary="Register a question or report",
        description=REGISTER_DESCRIPTION,
        request=QuestionCreateSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                location=OpenApiParameter.HEADER,
                required=False,
                description="A key of the client's choosing; a repeat makes nothing new.",
            )
        ],
        responses={
            200: QuestionCreatedSerializer,
            201: QuestionCreatedSerializer,
            **error_responses(400, 403, examples=VALIDATION_EXAMPLES),
        },
        examples=CREATE_EXAMPLES,
    ),
    retrieve=extend_schema(
        summary="A question with its triage outcome and forward history",
        description="The read is recorded in the access log.",
        responses={200: QuestionDetailSerializer, **error_responses(403, 404)},
    ),
    forward=_question_action(
        summary="Forward the question to another team",
        description=(
            "Only a member of the team the question is at (a loket consultant or team "
            "member). The forward is recorded with its reason; at the receiving team the "
            "question is new and unassigned. Returns the question."
        ),
        request=QuestionForwardRequestSerializer,
        examples=FORWARD_EXAMPLES,
    ),
    assign=_question_action(
        summary="Take the question: you become its handler",
        description=(
            "Only a member of the team the question is at (a loket consultant or team "
            "member), while nobody else has taken it. Returns the question."
        ),
        request=QuestionAssignRequestSerializer,
        examples=ASSIGN_EXAMPLES,
    ),
    correct_description=_question_action(
        summary="Correct the description (the earlier text is kept)",
        description=(
            "Only the one who registered the question, the director of its case, or the "
            "coordinator of its team while it has no case; also when the question is "
            "closed. The earlier description, with who wrote it, who corrected it, when "
            "and why, is added to `description_revisions`. Returns the question."
        ),
        request=TextCorrectionRequestSerializer,
        examples=[
            OpenApiExample(
                "A correction asked by the resident",
                request_only=True,
                value={
                    "text": "Mevrouw vraagt hulp bij het huishouden na een heupoperatie.",
                    "reason": "Op verzoek van de inwoner: het was geen knieoperatie.",
                    "version": 3,
                },
            )
        ],
    ),
)(QuestionViewSet)


# --- triage rules --------------------------------------------------------------------------

extend_schema_view(
    list=extend_schema(responses={200: TriageRuleSerializer(many=True), **error_responses(403)}),
    retrieve=extend_schema(responses={200: TriageRuleSerializer, **error_responses(403, 404)}),
    create=extend_schema(responses={201: TriageRuleSerializer, **error_responses(400, 403)}),
    update=extend_schema(responses={200: TriageRuleSerializer, **_WRITE_ERRORS}),
    partial_update=extend_schema(responses={200: TriageRuleSerializer, **_WRITE_ERRORS}),
)(TriageRuleViewSet)
