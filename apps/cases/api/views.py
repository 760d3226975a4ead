"""The cases API: cases, their activities, self-sufficiency assessments (ZRM) and
support plans.

Thin, like the pages: `apps.cases.selectors` decides who sees which case (a case
of another municipality, or one of this municipality one may not see, is 404),
`apps.cases.services` decides and writes, and every read of a case's contents
is recorded in the access log (in the same transaction as a change it records).
Lists give summaries; the contents come from an object's own endpoint. What the
OpenAPI schema says of each operation is in `apps.cases.api.schema`."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.access import rules
from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.cases import selectors, services
from apps.cases.api.mixins import CaseScopedMixin
from apps.cases.api.serializers import (
    ActivityCorrectSerializer,
    ActivityCreateSerializer,
    ActivityListItemSerializer,
    ActivitySerializer,
    AssessmentCreateSerializer,
    AssessmentListItemSerializer,
    AssessmentSerializer,
    CaseCloseSerializer,
    CaseDetailSerializer,
    CaseHandOverSerializer,
    CaseJoinRecordSerializer,
    CaseJoinRevokeSerializer,
    CaseJoinSerializer,
    CaseListItemSerializer,
    CaseShareSerializer,
    CaseTransferSerializer,
    CaseUnshareSerializer,
    CaseWriteSerializer,
    GoalAddSerializer,
    GoalRemoveSerializer,
    PlanAgreeSerializer,
    PlanListItemSerializer,
    PlanSerializer,
    PlanWriteSerializer,
    SolutionAddSerializer,
    SolutionRemoveSerializer,
    TeamChangeSerializer,
    TeamEndedSerializer,
    TeamEndSerializer,
    TeamOpenWorkSerializer,
    VersionOnlySerializer,
    WorkPreviewSerializer,
    WorkReassignmentSerializer,
    WorkReassignSerializer,
)
from apps.cases.models import (
    Activity,
    Assessment,
    AssessmentScore,
    Case,
    SupportPlan,
    WorkReassignment,
)
from apps.cases.services import ONLY_COORDINATOR
from apps.core.api import (
    LoggedListMixin,
    ScopedPrimaryKeyRelatedField,
    logged_object_response,
    logged_page_response,
    municipality_of,
)
from apps.core.versioning import call_versioned, lock
from apps.teams.models import Team
from apps.tenants.models import StaffMember
from apps.tenants.permissions import Action


def case_resident(obj):
    """Whose file an object of a case is: its case's resident."""
    return obj.case.resident


def read_unchanged(request, obj, case, version, *, log=True):
    """A PATCH of `obj` (the case or one of its plans) that changes nothing: the
    case worker's answer at the version read (locked, so a stale version is
    refused), logged as a read unless a write that follows logs itself. Call it
    inside a transaction."""
    services.require_case_worker(request.user, case)
    lock(obj, version)
    if log:
        # Nothing changed, so no service logged a write: the answer is a read.
        log_access(
            request=request, action=AccessLogEntry.Action.VIEW, obj=obj, resident=case.resident
        )


# --- cases ---------------------------------------------------------------------------


class CaseFilterSerializer(serializers.Serializer):
    team = ScopedPrimaryKeyRelatedField(
        model=Team,
        required=False,
        help_text="Only the cases of this team.",
        error_messages={"does_not_exist": _("Er is in deze gemeente geen team met dit id.")},
    )
    status = serializers.ChoiceField(choices=Case.Status.choices, required=False)
    director = serializers.ChoiceField(
        choices=[("me", "me")], required=False, help_text="`me`: only the cases you direct."
    )
    open = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Only open (true) or closed."
    )


def _case_detail_qs():
    # The case's record read as the case page reads it (apps.cases.selectors).
    return Case.objects.select_related(
        "household", "resident", "resident__area", "team", "director__user"
    ).prefetch_related(*selectors.case_record_prefetches())


class CaseViewSet(CaseScopedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases (casussen): the trajectory of a household with one director. You see
    the cases of your teams, those of the teams you are the linked loket
    consultant of, those offered to the loket (as a loket consultant) and those
    shared with you. Another case, of this municipality or another, is 404."""

    serializer_class = CaseWriteSerializer
    filter_serializer_class = CaseFilterSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return Case.objects.none()
        return _case_detail_qs()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CaseDetailSerializer
        return super().get_serializer_class()

    def _detail(self, case):
        return CaseDetailSerializer(_case_detail_qs().get(pk=case.pk)).data

    def changed(self, service, *fields):
        """The case of the URL changed by `service` (`call_versioned`: with the
        validated input named `fields` and the version read): the case as it is
        now."""
        case = self.get_object()
        data = self.validated()
        case = call_versioned(service, actor=self.request.user, data=data, fields=fields, case=case)
        return Response(self._detail(case))

    def list(self, request):
        params = CaseFilterSerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        qs = selectors.case_list(
            request.user,
            municipality_of(request),
            mine=data.get("director") == "me",
            team=data.get("team"),
            status=data.get("status") or "",
            running=data.get("open"),
        ).select_related("resident__area")
        return logged_page_response(
            self,
            qs,
            CaseListItemSerializer,
            _("lijst van casussen"),
            resident_of=lambda case: case.resident_id,
        )

    def retrieve(self, request, pk=None):
        return logged_object_response(self, CaseDetailSerializer)

    def create(self, request):
        data = self.validated()
        if data.get("question") is None:
            raise serializers.ValidationError({"question": [_("Kies de vraag.")]})
        case = services.case_open(
            actor=request.user, question=data["question"], title=data.get("title", "")
        )
        location = reverse("api:case-detail", kwargs={"pk": case.pk})
        return Response(
            self._detail(case), status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    def partial_update(self, request, pk=None):
        case = self.get_object()
        data = self.validated_with_version()
        question = data.get("question")
        with transaction.atomic():
            if "title" in data:
                case = call_versioned(
                    services.case_update, actor=request.user, data=data, fields=["title"], case=case
                )
            else:
                read_unchanged(request, case, case, data["version"], log=question is None)
            if question is not None:
                services.case_add_question(actor=request.user, case=case, question=question)
        return Response(self._detail(case))

    @action(
        detail=True,
        methods=["post"],
        url_path="hand-over",
        serializer_class=CaseHandOverSerializer,
    )
    def hand_over(self, request, pk=None):
        return self.changed(services.case_hand_over, "to_director", "reason")

    @action(detail=True, methods=["post"], serializer_class=CaseTransferSerializer)
    def transfer(self, request, pk=None):
        case = self.get_object()
        data = self.validated()
        fields = ("to_team", "to_director", "reason")
        change = call_versioned(
            services.case_transfer, actor=request.user, data=data, fields=fields, case=case
        )
        return Response(TeamChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=CaseCloseSerializer)
    def close(self, request, pk=None):
        return self.changed(services.case_close, "note", "follow_up_dates", "closed_on")

    @action(detail=True, methods=["post"], serializer_class=VersionOnlySerializer)
    def reopen(self, request, pk=None):
        return self.changed(services.case_reopen)

    @action(detail=True, methods=["post"], serializer_class=CaseShareSerializer)
    def share(self, request, pk=None):
        case = self.get_object()
        data = self.validated()
        services.case_share(
            actor=request.user, case=case, staff_member=data["staff_member"], reason=data["reason"]
        )
        return Response(self._detail(case))

    @action(detail=True, methods=["post"], serializer_class=CaseJoinSerializer)
    def join(self, request, pk=None):
        case = self.get_object()
        data = self.validated()
        join = services.case_join(
            actor=request.user, case=case, staff_member=data["staff_member"], reason=data["reason"]
        )
        return Response(CaseJoinRecordSerializer(join).data, status=status.HTTP_201_CREATED)

    @action(
        detail=True,
        methods=["post"],
        url_path="join-revoke",
        serializer_class=CaseJoinRevokeSerializer,
    )
    def join_revoke(self, request, pk=None):
        case = self.get_object()
        data = self.validated()
        join = case.joins.filter(pk=data["join"]).first()
        if join is None:
            raise serializers.ValidationError(
                {"join": [_("Deze schilpartner hoort niet bij deze casus.")]}
            )
        join = services.case_join_revoke(actor=request.user, case=case, join=join)
        return Response(CaseJoinRecordSerializer(join).data)

    @action(detail=True, methods=["post"], serializer_class=CaseUnshareSerializer)
    def unshare(self, request, pk=None):
        case = self.get_object()
        data = self.validated()
        grant = case.user_grants.filter(pk=data["share"]).first()
        if grant is None:
            raise serializers.ValidationError(
                {"share": [_("Deze deling hoort niet bij deze casus.")]}
            )
        services.case_unshare(actor=request.user, case=case, grant=grant)
        return Response(self._detail(case))


# --- the records of a case ---------------------------------------------------------------


class CaseRecordViewSet(
    LoggedListMixin,
    CaseScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The records of cases (activities, assessments, plans): a list of
    summaries of the cases one may see (its page logged) and the single record
    (its read logged). A subclass names the `list_serializer_class` and the
    `detail_serializer_class` (whose model is the record's), and the querysets
    of the detail (`records()`) and of the list (`list_records()`)."""

    list_serializer_class = None
    detail_serializer_class = None

    def record_model(self):
        return self.detail_serializer_class.Meta.model

    def records(self):
        return self.record_model().objects.all()

    def list_records(self):
        return self.records()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return self.record_model().objects.none()
        if self.action == "list":
            return self.list_records().filter(case__in=self.visible_cases())
        return self.records()

    def get_serializer_class(self):
        if self.action == "list":
            return self.list_serializer_class
        if self.action == "retrieve":
            return self.detail_serializer_class
        return super().get_serializer_class()

    def retrieve(self, request, *args, **kwargs):
        return logged_object_response(self, self.detail_serializer_class, resident_of=case_resident)

    # Recording: `record_service(actor=…, case=…, <record_fields from the input>,
    # <record_values(data)>)` on a case the user may see (else 404).
    record_service = None
    record_fields: tuple[str, ...] = ()

    def record_values(self, data) -> dict:
        return {}

    def create(self, request):
        data = self.validated()
        case = self.require_visible(data["case"])
        values = {name: data[name] for name in self.record_fields}
        record = self.record_service(
            actor=request.user, case=case, **values, **self.record_values(data)
        )
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.detail_serializer_class(record).data, status=status.HTTP_201_CREATED)


# --- activities ------------------------------------------------------------------------


class ActivityViewSet(CaseRecordViewSet):
    """Contacts, kitchen-table talks, home visits, case discussions and
    consultations of the behavioural expert on a case. Recorded, never changed."""

    serializer_class = ActivityCreateSerializer
    list_serializer_class = ActivityListItemSerializer
    detail_serializer_class = ActivitySerializer
    filterset_fields = ["case", "kind"]
    list_log_what = gettext_lazy("lijst van activiteiten")
    record_service = staticmethod(services.activity_record)
    record_fields = ("kind", "date", "participants", "other_participants", "note")

    def records(self):
        return Activity.objects.prefetch_related("participants", "note_revisions").select_related(
            "case"
        )

    @action(detail=True, methods=["post"], serializer_class=ActivityCorrectSerializer)
    def correct(self, request, pk=None):
        """Correct the note (its author or the case's director): the earlier note
        is kept in `note_revisions`."""
        activity = self.get_object()
        data = self.validated()
        call_versioned(
            services.activity_note_correct,
            actor=request.user,
            data=data,
            fields=("text", "reason"),
            activity=activity,
        )
        return Response(self.detail_serializer_class(self.records().get(pk=activity.pk)).data)


# --- assessments -----------------------------------------------------------------------


class AssessmentViewSet(CaseRecordViewSet):
    """Zelfredzaamheidsmatrix: a dated score 1–5 per life domain. Never changed:
    a new assessment shows the progress."""

    serializer_class = AssessmentCreateSerializer
    list_serializer_class = AssessmentListItemSerializer
    detail_serializer_class = AssessmentSerializer
    filterset_fields = ["case"]
    list_log_what = gettext_lazy("lijst van zelfredzaamheidsmetingen")
    record_service = staticmethod(services.assessment_record)
    record_fields = ("assessed_on", "note")

    def records(self):
        return Assessment.objects.select_related("case").prefetch_related(
            Prefetch("scores", queryset=AssessmentScore.objects.select_related("life_domain"))
        )

    def record_values(self, data):
        return {"scores": {row["life_domain"]: row["score"] for row in data["scores"]}}


# --- support plans ---------------------------------------------------------------------


def _plan_qs():
    return selectors.plans_with_goals()


class PlanViewSet(CaseRecordViewSet):
    """Support plans (ondersteuningsplannen), one row per version. The draft is
    edited; once agreed with the resident it is frozen and a change starts a new
    version. Every change sends the `version` of the plan you read: if someone
    else saved it meanwhile, 409 names them."""

    serializer_class = PlanWriteSerializer
    list_serializer_class = PlanListItemSerializer
    detail_serializer_class = PlanSerializer
    filterset_fields = ["case", "status"]
    list_log_what = gettext_lazy("lijst van ondersteuningsplannen")

    def records(self):
        return _plan_qs()

    def list_records(self):
        return SupportPlan.objects.select_related("case")

    def _detail(self, plan, code=status.HTTP_200_OK):
        return Response(PlanSerializer(_plan_qs().get(pk=plan.pk)).data, status=code)

    def changed(self, service, *fields, part=None):
        """The plan of the URL changed by `service` (`call_versioned`: with the
        validated input named `fields` and the version of the plan read), on the
        plan itself or on the goal or solution of it named in the input (`part`):
        the plan as it is now."""
        plan = self.get_object()
        data = self.validated()
        objects = {"plan": plan} if part is None else {part: self.of_this_plan(plan, data, part)}
        call_versioned(service, actor=self.request.user, data=data, fields=fields, **objects)
        return self._detail(plan)

    @staticmethod
    def of_this_plan(plan, data, part):
        """The goal or solution named in the input: one of `plan`, else 400."""
        if part == "goal" and data["goal"].plan_id != plan.pk:
            raise serializers.ValidationError({"goal": [_("Kies een doel van dit plan.")]})
        if part == "solution" and data["solution"].goal.plan_id != plan.pk:
            raise serializers.ValidationError({"solution": [_("Kies een oplossing van dit plan.")]})
        return data[part]

    def create(self, request):
        data = self.validated()
        if data.get("case") is None:
            raise serializers.ValidationError({"case": [_("Kies de casus.")]})
        case = self.require_visible(data["case"])
        existing = case.plans.filter(status=SupportPlan.Status.DRAFT).values_list("pk", flat=True)
        existing = set(existing)
        plan = services.plan_start(actor=request.user, case=case)
        return self._detail(
            plan, status.HTTP_200_OK if plan.pk in existing else status.HTTP_201_CREATED
        )

    def partial_update(self, request, pk=None):
        plan = self.get_object()
        data = self.validated_with_version()
        if data.get("case") is not None and data["case"].pk != plan.case_id:
            raise serializers.ValidationError(
                {"case": [_("Een plan hoort bij één casus; die verandert niet.")]}
            )
        if "summary" in data:
            plan = call_versioned(
                services.plan_update, actor=request.user, data=data, fields=["summary"], plan=plan
            )
        else:
            with transaction.atomic():
                read_unchanged(request, plan, plan.case, data["version"])
        return self._detail(plan)

    @action(detail=True, methods=["post"], url_path="goals", serializer_class=GoalAddSerializer)
    def add_goal(self, request, pk=None):
        return self.changed(services.goal_add, "life_domain", "description")

    @action(
        detail=True, methods=["post"], url_path="remove-goal", serializer_class=GoalRemoveSerializer
    )
    def remove_goal(self, request, pk=None):
        return self.changed(services.goal_remove, part="goal")

    @action(
        detail=True, methods=["post"], url_path="solutions", serializer_class=SolutionAddSerializer
    )
    def add_solution(self, request, pk=None):
        return self.changed(services.solution_add, "level", "description", part="goal")

    @action(
        detail=True,
        methods=["post"],
        url_path="remove-solution",
        serializer_class=SolutionRemoveSerializer,
    )
    def remove_solution(self, request, pk=None):
        return self.changed(services.solution_remove, part="solution")

    @action(detail=True, methods=["post"], serializer_class=PlanAgreeSerializer)
    def agree(self, request, pk=None):
        return self.changed(services.plan_agree, "agreed_on")


# --- moving work -------------------------------------------------------------------------


class WorkReassignmentViewSet(
    CaseScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Work reassignments: every open question and case of one person in a team
    given to a colleague there in one action, by the team's coordinator. See what
    would move first (`GET /api/v1/teams/{team}/work/{staff}/`) and send its ids
    along: when the work changed since, nothing moves. You see the reassignments of
    the teams you coordinate."""

    read_action = Action.CASE_WORK
    serializer_class = WorkReassignSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.request is None:
            return WorkReassignment.objects.none()  # schema generation, no request
        teams = rules.team_ids(
            self.request.user, municipality_of(self.request), (rules.F.COORDINATOR,)
        )
        return (
            WorkReassignment.objects.filter(team_id__in=teams)
            .prefetch_related("items")
            .order_by("-pk")
        )

    def get_object(self):
        return viewsets.GenericViewSet.get_object(self)

    def get_serializer_class(self):
        if self.action in ("list", "retrieve"):
            return WorkReassignmentSerializer
        return super().get_serializer_class()

    def create(self, request):
        data = self.validated()
        shown = frozenset(
            [f"q{q.pk}" for q in data["questions"]] + [f"c{c.pk}" for c in data["cases"]]
        )
        moved = services.work_reassign(
            actor=request.user,
            team=data["team"],
            from_staff=data["from_staff"],
            to_staff=data["to_staff"],
            reason=data["reason"],
            expected_items=shown,
        )
        moved = self.get_queryset().model.objects.prefetch_related("items").get(pk=moved.pk)
        return Response(WorkReassignmentSerializer(moved).data, status=status.HTTP_201_CREATED)


class TeamWorkOfView(generics.GenericAPIView):
    """What a work reassignment would move: the open questions one person
    handles and the cases they direct in a team, for the team's coordinator."""

    model = StaffMember
    read_action = Action.CASE_WORK
    serializer_class = WorkPreviewSerializer
    # Other methods: 405 for someone with the role (as on the viewsets), not 403.
    write_action = Action.CASE_WORK
    http_method_names = ["get", "head", "options"]

    def get(self, request, team_pk, pk):
        team = get_object_or_404(Team.objects.all(), pk=team_pk)
        from_staff = get_object_or_404(StaffMember.objects.all(), pk=pk)
        if not rules.is_coordinator_of(request.user, team):
            raise PermissionDenied(ONLY_COORDINATOR)
        work = selectors.work_of(team=team, staff_member=from_staff)
        return Response(
            WorkPreviewSerializer(
                {"questions": [q.pk for q in work.questions], "cases": [c.pk for c in work.cases]}
            ).data
        )


class TeamEndViewSet(viewsets.GenericViewSet):
    """Team beëindigen, for the municipality admin, beside the teams config API:
    `GET …/open-work/` shows the team's open work (what must be handed over),
    `POST …/end/` ends the team (`services.team_end`)."""

    read_action = Action.CONFIGURATION_MANAGE
    write_action = Action.CONFIGURATION_MANAGE
    serializer_class = TeamEndSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return Team.objects.none()
        return Team.objects.order_by("id")

    @action(detail=True, methods=["get"], url_path="open-work")
    def open_work(self, request, pk=None):
        work = selectors.team_open_work(team=self.get_object())
        return Response(
            TeamOpenWorkSerializer(
                {"questions": [q.pk for q in work.questions], "cases": [c.pk for c in work.cases]}
            ).data
        )

    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        team = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        team = services.team_end(
            actor=request.user,
            team=team,
            ended_on=data["ended_on"],
            reason=data["reason"],
            successor=data.get("successor"),
            hand_over_to=data.get("hand_over_to"),
            expected_version=data["version"],
        )
        return Response(TeamEndedSerializer(team).data)
