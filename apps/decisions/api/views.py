"""The decisions API: the provision catalogue, proposals (voorwerk) with their
review queue, deciding, deadlines, decisions and the decision letter.

Deciding is `POST /proposals/{id}/decide/`, which calls
`apps.decisions.services.proposal_decide`, the one writer of decisions: only a
loket consultant of the municipality mandated for the provision's law decides
(anyone else 403, nothing saved). A proposal is decided once: a second attempt
(or a race) is a 409 with who decided it and when. Decisions are read-only here.
The OpenAPI description of these views is in `schema.py`."""

from django.db.models import F, Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.access.rules import can_see_objection, visible_objections
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.cases.api.mixins import CaseScopedMixin
from apps.cases.api.serializers import VersionOnlySerializer
from apps.core.api import (
    Conflict,
    LoggedListMixin,
    municipality_of,
)
from apps.core.exceptions import ConcurrentEditError, DomainError
from apps.core.files import serve_private_file
from apps.core.pagination import NewestFirstPagination
from apps.decisions import selectors, services
from apps.decisions.api.serializers import (
    DeadlineChangeRequestSerializer,
    DecisionListItemSerializer,
    DecisionSerializer,
    ObjectionDecideSerializer,
    ObjectionExtendSerializer,
    ObjectionFilterSerializer,
    ObjectionSerializer,
    ObjectionWithdrawSerializer,
    ObjectionWriteSerializer,
    ProposalDecideSerializer,
    ProposalListItemSerializer,
    ProposalSerializer,
    ProposalWriteSerializer,
    ProviderSerializer,
    ProvisionDetailSerializer,
    ProvisionResumeSerializer,
    ProvisionSerializer,
    ProvisionSuspendSerializer,
    ProvisionTypeSerializer,
)
from apps.decisions.models import (
    DeadlineChange,
    Decision,
    DecisionLetter,
    Objection,
    Proposal,
    ProposalKind,
    Provider,
    Provision,
    ProvisionType,
)
from apps.teams.api.base import ConfigurationViewSet
from apps.tenants.permissions import Action, has_action

A = AccessLogEntry.Action


# --- the provision catalogue -----------------------------------------------------------


class ProvisionTypeViewSet(ConfigurationViewSet):
    """The municipality's catalogue of individual provisions (maatwerkvoorzieningen):
    every staff member reads it, its admin creates and changes entries. Nothing is
    deleted: `is_active: false` takes one out of the catalogue for new proposals."""

    serializer_class = ProvisionTypeSerializer
    filterset_fields = ["law", "is_active"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return ProvisionType.objects.none()
        return ProvisionType.objects.order_by("id")


# --- #21 part 1: providers (zorgaanbieders) ----------------------------------------------


class ProviderViewSet(ConfigurationViewSet):
    """The providers (zorgaanbieders) the municipality has contracted, with the
    provisions each is contracted for: every staff member reads them (who drafts
    or decides chooses one for a grant in kind), the municipality admin creates
    and changes them. Nothing is deleted: `is_active: false` instead."""

    serializer_class = ProviderSerializer
    filterset_fields = ["is_active"]
    m2m_fields = ("provision_types",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return Provider.objects.none()
        return Provider.objects.prefetch_related(
            Prefetch("provision_types", queryset=ProvisionType.objects.only("id"))
        ).order_by("id")


# --- proposals -------------------------------------------------------------------------


class ProposalFilterSerializer(serializers.Serializer):
    queue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: the loket's review queue, the submitted proposals (for those who "
        "decide; others get 403).",
    )


def _proposal_qs():
    return Proposal.objects.select_related(
        "provision_type", "case", "resident", "resident__area", "provider"
    ).prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.order_by("decided_at", "pk")),
        Prefetch("deadline_changes", queryset=DeadlineChange.objects.order_by("at", "pk")),
    )


class ProposalViewSet(
    LoggedListMixin, CaseScopedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Proposals of an individual provision (voorstellen maatwerkvoorziening):
    voorwerk of a team for the loket, or the loket's own. The team drafts,
    changes and submits; the loket decides (`decide/`) and may suspend or extend
    the decision deadline (`deadline/`)."""

    serializer_class = ProposalWriteSerializer
    filterset_fields = ["case", "status", "provision_type"]
    filter_serializer_class = ProposalFilterSerializer
    list_log_what = gettext_lazy("lijst van voorstellen")
    list_log_resident_of = staticmethod(lambda proposal: proposal.resident_id)

    @property
    def write_action(self):
        if self.action in ("decide", "deadline"):
            return Action.PROPOSAL_DECIDE
        return Action.CASE_WORK

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return Proposal.objects.none()
        if self.action == "list":
            return (
                Proposal.objects.filter(case__in=self.visible_cases())
                .select_related("provision_type", "resident", "resident__area", "provider")
                .order_by("-id")
            )
        return _proposal_qs()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "creating": self.action == "create"}

    def _detail(self, proposal, code=status.HTTP_200_OK, headers=None):
        data = ProposalSerializer(_proposal_qs().get(pk=proposal.pk)).data
        return Response(data, status=code, headers=headers)

    def get_serializer_class(self):
        if self.action == "list":
            return ProposalListItemSerializer
        return super().get_serializer_class()  # an action's own, else ProposalWriteSerializer

    def filter_queryset(self, queryset):
        """The list (LoggedListMixin's) takes `queue` too: the loket's review queue."""
        if self.action != "list":
            return super().filter_queryset(queryset)
        params = ProposalFilterSerializer(data=self.request.query_params.dict())
        params.is_valid(raise_exception=True)
        queryset = super().filter_queryset(queryset)
        if params.validated_data.get("queue"):
            if not has_action(
                self.request.user, municipality_of(self.request), Action.PROPOSAL_DECIDE
            ):
                raise PermissionDenied(_("De wachtrij is voor de consulenten van het loket."))
            queryset = queryset.filter(status=Proposal.Status.SUBMITTED)
        return queryset

    def retrieve(self, request, pk=None):
        proposal = self.get_object()
        log_access(request=request, action=A.VIEW, obj=proposal)
        return Response(ProposalSerializer(proposal).data)

    def create(self, request):
        data = dict(self.validated())
        case = self.require_visible(data.pop("case"))
        data.pop("version", None)
        if data.pop("kind", ProposalKind.PROVISION) == ProposalKind.WITHDRAWAL:  # #21 part 2
            proposal = services.withdrawal_draft(
                actor=request.user,
                case=case,
                revises=data["revises"],
                end_date=data["end_date"],
                motivation=data["motivation"],
                plan=data.get("plan"),
            )
            location = reverse("api:proposal-detail", kwargs={"pk": proposal.pk})
            return self._detail(proposal, status.HTTP_201_CREATED, {"Location": location})
        proposal = services.proposal_draft(
            actor=request.user,
            case=case,
            provision_type=data.pop("provision_type"),
            **data,
        )
        location = reverse("api:proposal-detail", kwargs={"pk": proposal.pk})
        return self._detail(proposal, status.HTTP_201_CREATED, {"Location": location})

    def partial_update(self, request, pk=None):
        proposal = self.get_object()
        data = dict(self.validated())
        data.pop("kind", None)  # set on POST only (#21 part 2)
        case = data.pop("case", None)
        if case is not None and case.pk != proposal.case_id:
            raise serializers.ValidationError(
                {"case": [_("Een voorstel hoort bij één casus; die verandert niet.")]}
            )
        version = data.pop("version")
        proposal = services.proposal_update(
            actor=request.user, proposal=proposal, expected_version=version, **data
        )
        return self._detail(proposal)

    @action(detail=True, methods=["post"], serializer_class=VersionOnlySerializer)
    def submit(self, request, pk=None):
        return self._versioned(services.proposal_submit)

    @action(detail=True, methods=["post"], serializer_class=VersionOnlySerializer)
    def withdraw(self, request, pk=None):
        return self._versioned(services.proposal_withdraw)

    def _versioned(self, service):
        proposal = self.get_object()
        data = self.validated(VersionOnlySerializer)
        proposal = service(
            actor=self.request.user, proposal=proposal, expected_version=data["version"]
        )
        return self._detail(proposal)

    @action(detail=True, methods=["post"], serializer_class=ProposalDecideSerializer)
    def decide(self, request, pk=None):
        proposal = self.get_object()
        data = dict(self.validated())
        outcome, reasons, version = data.pop("outcome"), data.pop("reasons"), data.pop("version")
        try:
            decision = services.proposal_decide(
                actor=request.user,
                proposal=proposal,
                outcome=outcome,
                reasons=reasons,
                expected_version=version,
                **data,
            )
        except ConcurrentEditError:
            raise
        except DomainError as exc:
            # Decided, withdrawn or returned meanwhile: the state of the proposal
            # conflicts with deciding, not the input.
            raise Conflict(str(exc.message)) from exc
        decision = _decision_qs().get(pk=decision.pk)
        location = reverse("api:decision-detail", kwargs={"pk": decision.pk})
        return Response(
            DecisionSerializer(decision).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    @action(detail=True, methods=["post"], serializer_class=DeadlineChangeRequestSerializer)
    def deadline(self, request, pk=None):
        proposal = self.get_object()
        # The serializer's fields are the service's: kind, new_date, reason.
        services.deadline_change(actor=request.user, proposal=proposal, **self.validated())
        return self._detail(proposal)


# --- decisions -------------------------------------------------------------------------


def _decision_qs():
    return Decision.objects.select_related(
        "consultant__user", "provision_type", "resident", "provider"
    ).annotate(letter_id=F("letter__id"))


class DecisionViewSet(
    LoggedListMixin,
    CaseScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Decisions (besluiten, beschikkingen). Read only: a decision is made with
    `POST /proposals/{id}/decide/` and never changed afterwards."""

    write_action = Action.PROPOSAL_DECIDE  # there are no write methods: they answer 405
    serializer_class = DecisionListItemSerializer
    filterset_fields = ["case", "proposal", "outcome"]
    list_log_what = gettext_lazy("lijst van besluiten")
    list_log_resident_of = staticmethod(lambda decision: decision.resident_id)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return Decision.objects.none()
        qs = _decision_qs()
        if self.action == "list":
            qs = qs.filter(case__in=self.visible_cases())
        return qs

    def get_serializer_class(self):
        return DecisionSerializer if self.action == "retrieve" else DecisionListItemSerializer

    def retrieve(self, request, *args, **kwargs):
        decision = self.get_object()
        log_access(request=request, action=A.VIEW, obj=decision)
        return Response(DecisionSerializer(decision).data)

    @action(detail=True, methods=["get"])
    def letter(self, request, pk=None):
        decision = self.get_object()
        letter = DecisionLetter.objects.filter(decision=decision).first()
        if letter is None:
            raise Http404
        return serve_private_file(
            request._request,
            letter.file,
            filename=f"besluit-{decision.pk}.pdf",
            obj=decision,
            content_type="application/pdf",
            resident=decision.resident,
        )


# --- #21 part 2: a provision's lifecycle ---------------------------------------------------


def _provision_qs():
    return selectors.provisions_with_history()


class ProvisionViewSet(
    LoggedListMixin, CaseScopedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Granted provisions (toekenningen) of the cases you may see, with their
    status: running, suspended, ended early (withdrawn by a decision), ended on
    their date, revised. The mandated loket suspends (`suspend/`) and resumes
    (`resume/`) one; a withdrawal is a proposal of kind `withdrawal`."""

    serializer_class = ProvisionSerializer
    filterset_fields = ["resident", "household", "case", "status"]
    list_log_what = gettext_lazy("lijst van voorzieningen")
    list_log_resident_of = staticmethod(lambda provision: provision.resident_id)

    @property
    def write_action(self):
        return Action.PROPOSAL_DECIDE

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return Provision.objects.none()
        qs = _provision_qs()
        if self.action == "list":
            qs = qs.filter(case__in=self.visible_cases()).order_by("-id")
        return qs

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ProvisionDetailSerializer
        return super().get_serializer_class()

    def retrieve(self, request, pk=None):
        provision = self.get_object()
        log_access(request=request, action=A.VIEW, obj=provision)
        return Response(ProvisionDetailSerializer(provision).data)

    def _changed(self, provision):
        return Response(ProvisionDetailSerializer(_provision_qs().get(pk=provision.pk)).data)

    @action(detail=True, methods=["post"], serializer_class=ProvisionSuspendSerializer)
    def suspend(self, request, pk=None):
        provision = self.get_object()
        data = self.validated()
        provision = services.provision_suspend(
            actor=request.user,
            provision=provision,
            date=data["date"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        return self._changed(provision)

    @action(detail=True, methods=["post"], serializer_class=ProvisionResumeSerializer)
    def resume(self, request, pk=None):
        provision = self.get_object()
        data = self.validated()
        provision = services.provision_resume(
            actor=request.user,
            provision=provision,
            date=data["date"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        return self._changed(provision)


# --- objections (bezwaar, #21 part 3) ---------------------------------------------------


def _objection_qs():
    return Objection.objects.select_related("decision", "result__decided_by__user")


class ObjectionViewSet(
    LoggedListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Objections (bezwaren) against decisions. The loket (consultants and gate
    clarifiers) registers them, extends the term once and records a withdrawal;
    a consultant mandated for the decision's law, not the one who made it,
    decides (`decide/`). Teams read the objections on their cases' decisions."""

    # Every staff member may ask; what they see and may do is the object rules'
    # (`apps.access.rules.visible_objections`) and the services'.
    read_action = Action.START_VIEW
    write_action = Action.START_VIEW
    serializer_class = ObjectionSerializer
    filterset_fields = ["decision", "status"]
    filter_serializer_class = ObjectionFilterSerializer
    pagination_class = NewestFirstPagination
    list_log_what = gettext_lazy("lijst van bezwaren")
    list_log_resident_of = staticmethod(lambda objection: objection.decision.resident_id)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return Objection.objects.none()
        qs = _objection_qs()
        if self.action == "list":
            qs = visible_objections(self.request.user, municipality_of(self.request), qs).order_by(
                "-id"
            )
        return qs

    def get_object(self):
        objection = super().get_object()  # another municipality's: 404
        if not can_see_objection(self.request.user, objection):
            raise Http404
        return objection

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action != "list":
            return queryset
        params = ObjectionFilterSerializer(data=self.request.query_params.dict())
        params.is_valid(raise_exception=True)
        resident = params.validated_data.get("resident")
        if resident is not None:
            queryset = queryset.filter(decision__resident=resident)
        return queryset

    def _validated(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _detail(self, objection, code=status.HTTP_200_OK, headers=None):
        data = ObjectionSerializer(_objection_qs().get(pk=objection.pk)).data
        return Response(data, status=code, headers=headers)

    def retrieve(self, request, pk=None):
        objection = self.get_object()
        log_access(
            request=request, action=A.VIEW, obj=objection, resident=objection.decision.resident
        )
        return Response(ObjectionSerializer(objection).data)

    def get_serializer_class(self):
        if self.action == "create":
            return ObjectionWriteSerializer
        return super().get_serializer_class()

    def create(self, request):
        data = self._validated(ObjectionWriteSerializer)
        objection = services.objection_register(actor=request.user, **data)
        location = reverse("api:objection-detail", kwargs={"pk": objection.pk})
        return self._detail(objection, status.HTTP_201_CREATED, {"Location": location})

    @action(detail=True, methods=["post"], serializer_class=ObjectionExtendSerializer)
    def extend(self, request, pk=None):
        objection = self.get_object()
        data = self._validated(ObjectionExtendSerializer)
        objection = services.objection_extend(
            actor=request.user,
            objection=objection,
            weeks=data["weeks"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        return self._detail(objection)

    @action(detail=True, methods=["post"], serializer_class=ObjectionWithdrawSerializer)
    def withdraw(self, request, pk=None):
        objection = self.get_object()
        data = self._validated(ObjectionWithdrawSerializer)
        objection = services.objection_withdraw(
            actor=request.user,
            objection=objection,
            withdrawn_on=data["withdrawn_on"],
            expected_version=data["version"],
        )
        return self._detail(objection)

    @action(detail=True, methods=["post"], serializer_class=ObjectionDecideSerializer)
    def decide(self, request, pk=None):
        objection = self.get_object()
        data = self._validated(ObjectionDecideSerializer)
        try:
            services.objection_decide(
                actor=request.user,
                objection=objection,
                outcome=data["outcome"],
                reasons=data["reasons"],
                expected_version=data["version"],
            )
        except ConcurrentEditError:
            raise
        except DomainError as exc:
            # Decided or withdrawn meanwhile: the state conflicts with deciding.
            raise Conflict(str(exc.message)) from exc
        return self._detail(objection)
