"""The letters API: the letters sent about the questions one may open (list,
one, the PDF), and making a letter about a question
(`POST /questions/{question_pk}/letters/`, through
`apps.letters.services.letter_create`, which holds every rule). The OpenAPI
description of these views is in `schema.py`."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.access import rules
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.cases.models import Case
from apps.cases.selectors import visible_cases
from apps.core.api import LoggedListMixin, municipality_of
from apps.core.files import serve_private_file
from apps.core.pagination import NewestFirstPagination
from apps.decisions.models import Proposal
from apps.intake.models import Question
from apps.letters import selectors, services
from apps.letters.api.serializers import (
    CaseLetterCreateSerializer,
    LetterSerializer,
    ProposalLetterCreateSerializer,
    QuestionLetterCreateSerializer,
)
from apps.letters.models import Letter
from apps.tenants.permissions import Action


class LetterViewSet(
    LoggedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Letters sent (brieven): read only, a letter is never changed. Listed for
    the questions one may open; another municipality's letter is 404, a letter
    about a question one may not open 403."""

    read_action = Action.QUESTION_VIEW
    write_action = Action.QUESTION_HANDLE  # there are no write methods: they answer 405
    serializer_class = LetterSerializer
    pagination_class = NewestFirstPagination
    filterset_fields = ["question", "resident", "kind"]
    list_log_what = gettext_lazy("lijst van brieven")
    list_log_resident_of = staticmethod(lambda letter: letter.resident_id)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return Letter.objects.none()
        if self.action == "list":
            return selectors.visible_letters(self.request.user, municipality_of(self.request))
        return selectors.letter_list_qs()

    def get_object(self):
        letter = super().get_object()  # of another municipality: 404
        if not rules.can_read_letter(self.request.user, letter):
            raise PermissionDenied(
                _("Deze brief hoort bij een vraag of casus die u niet mag zien.")
            )
        return letter

    def retrieve(self, request, *args, **kwargs):
        letter = self.get_object()
        log_access(
            request=request, action=AccessLogEntry.Action.VIEW, obj=letter, resident=letter.resident
        )
        return Response(LetterSerializer(letter).data)

    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        letter = self.get_object()
        return serve_private_file(
            request._request,
            letter.file,
            filename=letter.filename,
            obj=letter,
            content_type="application/pdf",
            resident=letter.resident,
        )


class QuestionLetterViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Make a letter about a question: the acknowledgement of a Wmo melding or an
    invitation to a kitchen-table talk. Only whoever handles the question (403);
    a question of another municipality is 404."""

    read_action = Action.QUESTION_VIEW
    write_action = Action.QUESTION_HANDLE
    serializer_class = QuestionLetterCreateSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Question.objects.none()
        return Question.objects.select_related("resident", "team")

    def create(self, request, question_pk=None):
        question = get_object_or_404(self.get_queryset(), pk=question_pk)
        if not rules.can_see_question(request.user, question):
            raise PermissionDenied(_("Deze vraag ligt niet bij een van uw teams."))
        serializer = QuestionLetterCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        letter = services.letter_create(
            actor=request.user, question=question, **serializer.validated_data
        )
        return Response(LetterSerializer(letter).data, status=status.HTTP_201_CREATED)


class CaseLetterViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Make a letter about a case: the report of the investigation (verslag).
    Only whoever works on the case (403); a case one may not see, or of another
    municipality, is 404."""

    read_action = Action.CASE_VIEW
    write_action = Action.CASE_WORK
    serializer_class = CaseLetterCreateSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        return visible_cases(self.request.user, municipality_of(self.request)).select_related(
            "resident", "team"
        )

    def create(self, request, case_pk=None):
        case = get_object_or_404(self.get_queryset(), pk=case_pk)
        serializer = CaseLetterCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        letter = services.case_report_create(actor=request.user, case=case)
        return Response(LetterSerializer(letter).data, status=status.HTTP_201_CREATED)


class ProposalLetterViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Make a letter about a proposal: the notice that its decision deadline was
    extended. Only whoever may change that deadline (403); a proposal not offered
    to the loket, or of another municipality, is 404."""

    read_action = Action.CASE_VIEW
    write_action = Action.PROPOSAL_DECIDE
    serializer_class = ProposalLetterCreateSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Proposal.objects.none()
        return Proposal.objects.select_related("resident", "provision_type", "case__team")

    def create(self, request, proposal_pk=None):
        proposal = get_object_or_404(self.get_queryset(), pk=proposal_pk)
        if not rules.reviewable_by_loket(proposal) and not rules.can_view_case(
            request.user, proposal.case
        ):
            raise Http404
        if not rules.may_write_proposal_letter(request.user, proposal):
            raise PermissionDenied(
                _("Alleen wie de beslistermijn mag wijzigen kan deze brief sturen.")
            )
        serializer = ProposalLetterCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        letter = services.proposal_letter_create(actor=request.user, proposal=proposal)
        return Response(LetterSerializer(letter).data, status=status.HTTP_201_CREATED)
