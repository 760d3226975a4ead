"""The intake API: find and read residents, register, list and read questions,
take and forward them, and the municipality's triage rules and life domains.

Thin, like the pages: the selectors decide what a person may see, the services
decide and write, and every read or change of personal data is written to the
access log (in the same transaction as the change it records)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from apps.access import rules
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.core.api import municipality_of
from apps.core.pagination import ByIdPagination
from apps.intake import selectors, services
from apps.intake.access_log import log_questions_shown, log_resident_search
from apps.intake.api.filters import QuestionFilterSerializer
from apps.intake.api.serializers import (
    LifeDomainSerializer,
    QuestionAssignRequestSerializer,
    QuestionCreatedSerializer,
    QuestionCreateSerializer,
    QuestionDetailSerializer,
    QuestionForwardRequestSerializer,
    QuestionListItemSerializer,
    ResidentFoundSerializer,
    ResidentSearchParamsSerializer,
    ResidentSerializer,
    TextCorrectionRequestSerializer,
    TriageRuleSerializer,
)
from apps.intake.models import LifeDomain, Question, Resident, TriageRule
from apps.teams.api.base import ConfigurationViewSet
from apps.tenants.permissions import Action

A = AccessLogEntry.Action
RESIDENT_SEARCH_LIMIT = 25


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

    def list(self, request):
        params = ResidentSearchParamsSerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        term = params.validated_data.get("bsn") or params.validated_data.get("q", "").strip()
        if not term:
            return Response({"results": [], "has_more": False})
        shown, has_more = selectors.resident_search_head(term, limit=RESIDENT_SEARCH_LIMIT)
        log_resident_search(
            request=request,
            shown=shown,
            term=term,
            # A search on a BSN names one resident: their overview shows it.
            resident=shown[0] if len(shown) == 1 and params.validated_data.get("bsn") else None,
        )
        return Response(
            {"results": ResidentFoundSerializer(shown, many=True).data, "has_more": has_more}
        )

    def retrieve(self, request, *args, **kwargs):
        resident = self.get_object()
        reason = (request.query_params.get("reason") or "").strip()
        if not rules.has_relationship(request.user, municipality_of(request), resident) and (
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
        if self.action == "create":
            return Action.QUESTION_REGISTER
        if self.action == "correct_description":
            # Its author or the director (the service checks): who reads it.
            return Action.QUESTION_VIEW
        return Action.QUESTION_HANDLE

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

    def list(self, request):
        params = QuestionFilterSerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = selectors.InboxFilters.from_data(data)
        cursor = data.get("cursor", "")
        page = selectors.question_list(
            request.user,
            municipality_of(request),
            filters=filters,
            team=data.get("team"),
            cursor=cursor,
            page_size=data["page_size"],
        )
        log_questions_shown(
            request=request,
            page=page,
            search_label=_("vragen, zoekterm '%(term)s', %(count)s getoond"),
            list_label=_("lijst van vragen, %(count)s getoond"),
        )
        return Response(self._page(request, page, first=not cursor))

    @staticmethod
    def _page(request, page, *, first: bool) -> dict:
        """The body of a page of the list: the link to the next page, and the
        bounded count on the first page only."""
        next_url = None
        if page.next_cursor:
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", page.next_cursor)
        return {
            "next": next_url,
            "count_at_least": page.count_at_least if first else None,
            "count_is_bounded": page.count_is_bounded,
            "results": QuestionListItemSerializer(page.questions, many=True).data,
        }

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
                municipality=municipality_of(request),
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

    def retrieve(self, request, pk=None):
        question = self.get_object()
        log_access(request=request, action=A.VIEW, obj=question)
        return Response(QuestionDetailSerializer(question).data)

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

    @action(
        detail=True,
        methods=["post"],
        url_path="correct-description",
        serializer_class=TextCorrectionRequestSerializer,
    )
    def correct_description(self, request, pk=None):
        question = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.question_description_correct(
            actor=request.user,
            question=question,
            text=data["text"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        return Response(self._detail(question.pk))


# --- triage rules --------------------------------------------------------------------------


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
        municipality = municipality_of(self.request)
        rule = TriageRule(municipality=municipality)
        if serializer.validated_data.get("position") is None:
            rule.position = services.triage_rule_next_position(municipality)
        self._save(serializer, rule)
