"""The intake API: find and read residents, register, list and read questions,
take and forward them, and the municipality's triage rules and life domains.

Thin, like the pages: the selectors decide what a person may see, the services
decide and write, and every read or change of personal data is written to the
access log (in the same transaction as the change it records)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from apps.access import rules
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access, log_list
from apps.core.api import error_responses
from apps.core.pagination import ByIdPagination
from apps.intake import selectors, services
from apps.intake.api.filters import QuestionFilterSerializer
from apps.intake.api.serializers import (
    LifeDomainSerializer,
    QuestionAssignRequestSerializer,
    QuestionCreatedSerializer,
    QuestionCreateSerializer,
    QuestionDetailSerializer,
    QuestionForwardRequestSerializer,
    QuestionListItemSerializer,
    QuestionPageSerializer,
    ResidentFoundSerializer,
    ResidentSearchParamsSerializer,
    ResidentSearchResultSerializer,
    ResidentSerializer,
    TriageRuleSerializer,
)
from apps.intake.models import LifeDomain, Question, Resident, TriageRule
from apps.teams.api.base import ConfigurationViewSet
from apps.tenants.permissions import Action

A = AccessLogEntry.Action
RESIDENT_SEARCH_LIMIT = 25


def _municipality(request):
    return request._request.municipality


# --- life domains --------------------------------------------------------------------------


class LifeDomainViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The municipality's life domains (leefgebieden): the valid ids for a
    question's `life_domains` and a triage rule's `life_domain`. Read-only here;
    every staff member may read them."""

    read_action = Action.ORGANISATION_VIEW
    write_action = read_action  # there are no write methods: they answer 405
    serializer_class = LifeDomainSerializer
    pagination_class = ByIdPagination
    filterset_fields = ["is_active"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return LifeDomain.objects.none()
        return LifeDomain.objects.order_by("id")


# --- residents -----------------------------------------------------------------------------


@extend_schema_view(
    retrieve=extend_schema(
        summary="A resident (the read is recorded in the access log)",
        responses={200: ResidentSerializer, **error_responses(403, 404)},
    )
)
class ResidentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Residents (inwoners) of the municipality. There is no list of all residents:
    search by BSN or name. Every search and every read is recorded in the access log."""

    read_action = Action.QUESTION_VIEW
    write_action = read_action  # there are no write methods: they answer 405
    serializer_class = ResidentSerializer
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return Resident.objects.none()
        return Resident.objects.select_related("area", "household")

    @extend_schema(
        summary="Find residents by BSN or name (the search is recorded in the access log)",
        description=(
            "`bsn` finds the one resident with that BSN; `q` searches the name (every word "
            "must match part of it) or, when it is a BSN, the BSN. Without a term the result "
            f"is empty: there is no list of all residents. At most {RESIDENT_SEARCH_LIMIT} "
            "residents are returned; `has_more` says there are more."
        ),
        parameters=[ResidentSearchParamsSerializer],
        responses={200: ResidentSearchResultSerializer, **error_responses(400, 403)},
    )
    def list(self, request):
        params = ResidentSearchParamsSerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        term = params.validated_data.get("bsn") or params.validated_data.get("q", "").strip()
        if not term:
            return Response({"results": [], "has_more": False})
        found = list(selectors.resident_search(term, limit=RESIDENT_SEARCH_LIMIT + 1))
        shown = found[:RESIDENT_SEARCH_LIMIT]
        # Every resident shown is named, so each one's overview finds the search.
        log_list(
            request=request,
            objects=shown,
            resident_of=lambda resident: resident.pk,
            action=A.SEARCH,
            always=True,
            object_type="intake.resident",
            object_label=_("zoekterm '%(term)s', %(count)s gevonden")
            % {"term": term, "count": len(shown)},
            # A search on a BSN names one resident: their overview shows it.
            resident=shown[0] if len(shown) == 1 and params.validated_data.get("bsn") else None,
        )
        return Response(
            {
                "results": ResidentFoundSerializer(shown, many=True).data,
                "has_more": len(found) > RESIDENT_SEARCH_LIMIT,
            }
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "reason",
                str,
                description=(
                    "Why the file is opened. Required (at least 10 characters) when the user "
                    "works on no question of the resident or their household; kept in the "
                    "access log."
                ),
            )
        ],
        responses={200: ResidentSerializer, **error_responses(400, 403, 404)},
    )
    def retrieve(self, request, *args, **kwargs):
        resident = self.get_object()
        reason = (request.query_params.get("reason") or "").strip()
        if not rules.has_relationship(request.user, _municipality(request), resident) and (
            len(reason) < 10
        ):
            raise serializers.ValidationError(
                {
                    "reason": [
                        _(
                            "U werkt niet aan een vraag van deze inwoner of diens huishouden: "
                            "geef de reden van inzage op (ten minste 10 tekens)."
                        )
                    ]
                }
            )
        log_access(request=request, action=A.VIEW, obj=resident, reason=reason[:500])
        return Response(ResidentSerializer(resident).data)


# --- questions -----------------------------------------------------------------------------

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
VALIDATION_EXAMPLES = {
    400: [
        OpenApiExample(
            "Invalid BSN and a future moment",
            response_only=True,
            status_codes=["400"],
            value={
                "resident_data": {
                    "bsn": [
                        "Dit is geen geldig burgerservicenummer (BSN): het voldoet niet aan "
                        "de elfproef."
                    ]
                },
                "received_at": ["Het moment van ontvangst ligt in de toekomst."],
            },
        ),
        OpenApiExample(
            "An id of nothing in this municipality",
            response_only=True,
            status_codes=["400"],
            value={"override_team": ['Ongeldige pk "77" - object bestaat niet.']},
        ),
    ]
}
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
CONFLICT_EXAMPLES = {
    409: [
        OpenApiExample(
            "Stale version",
            response_only=True,
            status_codes=["409"],
            value={
                "detail": "Iemand anders heeft dit gegeven intussen gewijzigd. Laad de pagina "
                "opnieuw en voer uw wijziging nogmaals in."
            },
        )
    ]
}


def _nested_resident_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    """The service names resident fields 'resident.<field>'; the API nests them
    under `resident_data`, where the client sent them."""
    if not hasattr(exc, "error_dict"):
        return serializers.ValidationError({"non_field_errors": exc.messages})
    detail: dict = {}
    for key, messages in exc.message_dict.items():
        if key.startswith("resident."):
            name = key.removeprefix("resident.")
            name = "non_field_errors" if name == "__all__" else name
            detail.setdefault("resident_data", {})[name] = messages
        else:
            detail["non_field_errors" if key == "__all__" else key] = messages
    return serializers.ValidationError(detail)


class QuestionViewSet(viewsets.GenericViewSet):
    """Questions and reports (vragen en meldingen). A loket consultant and a gate
    clarifier see every question of the municipality; a team member those at,
    or forwarded through, their teams and those they registered. Another
    question of the municipality is 403, one of another municipality 404."""

    read_action = Action.QUESTION_VIEW
    # The request body of POST /questions/; the actions name their own.
    serializer_class = QuestionCreateSerializer
    # The list filters (and pages) through the inbox selector, not a filter backend.
    filter_serializer_class = QuestionFilterSerializer
    filter_backends = []
    pagination_class = None

    @property
    def write_action(self):
        return Action.QUESTION_REGISTER if self.action == "create" else Action.QUESTION_HANDLE

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return Question.objects.none()
        return selectors.question_detail_qs()

    def get_object(self):
        question = super().get_object()  # of another municipality: 404
        if not rules.can_see_question(self.request.user, question):
            raise PermissionDenied(_("Deze vraag ligt niet bij een van uw teams."))
        return question

    def _detail(self, pk, serializer_class=QuestionDetailSerializer, **extra):
        question = self.get_queryset().get(pk=pk)
        for name, value in extra.items():
            setattr(question, name, value)
        return serializer_class(question, context=self.get_serializer_context()).data

    @extend_schema(
        summary="The questions you may see, filtered like the inbox",
        description=(
            "Keyset pagination: follow `next` (the `cursor` parameter) until it is null. "
            "New questions come first, then those in progress (with `status=closed` or "
            "`all`, the closed ones), oldest first within each. The first page says how "
            "many match, counted up to 1000. A search (`q`) is recorded in the access log."
        ),
        parameters=[QuestionFilterSerializer],
        responses={200: QuestionPageSerializer, **error_responses(400, 403)},
    )
    def list(self, request):
        params = QuestionFilterSerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        # What the serializer shows beyond the inbox page's own joins.
        base = selectors.visible_questions(request.user, _municipality(request)).select_related(
            "received_by__user"
        )
        if data.get("team") is not None:
            base = base.filter(team=data["team"])
        filters = params.inbox_filters()
        cursor = data.get("cursor", "")
        page = selectors.inbox_questions(
            base=base, filters=filters, cursor=cursor, page_size=data["page_size"]
        )
        prefetch_related_objects(
            page.questions, Prefetch("life_domains", queryset=LifeDomain.objects.only("id"))
        )
        # One entry per page, naming the questions and residents shown.
        if filters.search:
            log_list(
                request=request,
                objects=page.questions,
                action=A.SEARCH,
                always=True,
                object_type="intake.question",
                object_label=_("vragen, zoekterm '%(term)s', %(count)s getoond")
                % {"term": filters.search, "count": len(page.questions)},
            )
        else:
            log_list(
                request=request,
                objects=page.questions,
                object_type="intake.question",
                object_label=_("lijst van vragen, %(count)s getoond")
                % {"count": len(page.questions)},
            )
        next_url = None
        if page.next_cursor:
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", page.next_cursor)
        return Response(
            {
                "next": next_url,
                "count_at_least": None if cursor else page.count_at_least,
                "count_is_bounded": page.count_is_bounded,
                "results": QuestionListItemSerializer(page.questions, many=True).data,
            }
        )

    @extend_schema(
        summary="Register a question or report",
        description=(
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
        ),
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
    )
    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            registration = self._register(request, data)
        except services.BsnCheckFailed as exc:
            # Logged after the rollback, so the entry stays.
            services.log_failed_bsn_check(request=request, resident=exc.resident)
            raise _nested_resident_errors(exc) from exc
        except DjangoValidationError as exc:
            raise _nested_resident_errors(exc) from exc
        question = registration.question
        body = self._detail(
            question.pk,
            QuestionCreatedSerializer,
            found_known_resident=registration.found_known_resident,
        )
        location = reverse("api:question-detail", kwargs={"pk": question.pk})
        # A repeat with the same Idempotency-Key by the same staff member answers
        # with the question made the first time (200), and makes nothing new.
        code = status.HTTP_200_OK if registration.repeated else status.HTTP_201_CREATED
        return Response(body, status=code, headers={"Location": location})

    def _register(self, request, data):
        """Register the question and log it, all or nothing."""
        with transaction.atomic():
            registration = services.question_register(
                actor=request.user,
                municipality=_municipality(request),
                new=services.NewQuestion.from_data(
                    data,
                    access_reason=data["reason"],
                    submission_key=request.headers.get("Idempotency-Key", ""),
                ),
            )
            question = registration.question
            if registration.repeated:
                # The answer shows the question again: a read, logged as one.
                log_access(
                    request=request,
                    action=A.VIEW,
                    obj=question,
                    object_label=_("%(question)s (herhaalde registratie)") % {"question": question},
                )
        return registration

    @extend_schema(
        summary="A question with its triage outcome and forward history",
        description="The read is recorded in the access log.",
        responses={200: QuestionDetailSerializer, **error_responses(403, 404)},
    )
    def retrieve(self, request, pk=None):
        question = self.get_object()
        log_access(request=request, action=A.VIEW, obj=question)
        return Response(QuestionDetailSerializer(question).data)

    @extend_schema(
        summary="Forward the question to another team",
        description=(
            "Only a member of the team the question is at (a loket consultant or team "
            "member). The forward is recorded with its reason; at the receiving team the "
            "question is new and unassigned. Returns the question."
        ),
        request=QuestionForwardRequestSerializer,
        responses={
            200: QuestionDetailSerializer,
            **error_responses(400, 403, 404, 409, examples=CONFLICT_EXAMPLES),
        },
        examples=FORWARD_EXAMPLES,
    )
    @action(detail=True, methods=["post"], serializer_class=QuestionForwardRequestSerializer)
    def forward(self, request, pk=None):
        question = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.question_forward(
            actor=request.user,
            question=question,
            to_team=data["to_team"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        return Response(self._detail(question.pk))

    @extend_schema(
        summary="Take the question: you become its handler",
        description=(
            "Only a member of the team the question is at (a loket consultant or team "
            "member), while nobody else has taken it. Returns the question."
        ),
        request=QuestionAssignRequestSerializer,
        responses={
            200: QuestionDetailSerializer,
            **error_responses(400, 403, 404, 409, examples=CONFLICT_EXAMPLES),
        },
        examples=ASSIGN_EXAMPLES,
    )
    @action(detail=True, methods=["post"], serializer_class=QuestionAssignRequestSerializer)
    def assign(self, request, pk=None):
        question = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = services.question_assign(
            actor=request.user,
            question=question,
            expected_version=serializer.validated_data["version"],
        )
        return Response(self._detail(question.pk))


# --- triage rules --------------------------------------------------------------------------

_WRITE_ERRORS = error_responses(400, 403, 404, 409, examples=CONFLICT_EXAMPLES)


@extend_schema_view(
    list=extend_schema(responses={200: TriageRuleSerializer(many=True), **error_responses(403)}),
    retrieve=extend_schema(responses={200: TriageRuleSerializer, **error_responses(403, 404)}),
    create=extend_schema(responses={201: TriageRuleSerializer, **error_responses(400, 403)}),
    update=extend_schema(responses={200: TriageRuleSerializer, **_WRITE_ERRORS}),
    partial_update=extend_schema(responses={200: TriageRuleSerializer, **_WRITE_ERRORS}),
)
class TriageRuleViewSet(ConfigurationViewSet):
    """The municipality's triage rules (schifting), for its admin only. Active rules
    are tried in ascending `position` (then id); the first whose conditions all hold
    and whose destination exists decides. A rule is never deleted (no DELETE): the
    questions it routed would lose their link to it and keep only its name. Send
    `is_active: false` to retire one; it then routes nothing but stays on record."""

    read_action = Action.CONFIGURATION_MANAGE
    serializer_class = TriageRuleSerializer
    filterset_fields = ["is_active", "destination", "team"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return TriageRule.objects.none()
        return TriageRule.objects.order_by("id")

    def perform_create(self, serializer):
        municipality = _municipality(self.request)
        rule = TriageRule(municipality=municipality)
        if serializer.validated_data.get("position") is None:
            rule.position = services.triage_rule_next_position(municipality)
        self._save(serializer, rule)
