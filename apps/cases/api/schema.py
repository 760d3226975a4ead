"""The OpenAPI description of the cases API (drf-spectacular): summaries,
descriptions, examples, parameters and the responses of each operation, applied
to the viewsets of `apps.cases.api.views` here, so that module holds behaviour
only. `apps.cases.api.urls` imports this module: the annotations are in place
whenever the URLconf, and with it the schema, is loaded."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from apps.cases.api.serializers import (
    ActivityCreateSerializer,
    ActivityListItemSerializer,
    ActivitySerializer,
    AssessmentCreateSerializer,
    AssessmentListItemSerializer,
    AssessmentSerializer,
    CaseCloseSerializer,
    CaseDetailSerializer,
    CaseHandOverSerializer,
    CaseListItemSerializer,
    CaseShareSerializer,
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
    VersionOnlySerializer,
)
from apps.cases.api.views import (
    ActivityViewSet,
    AssessmentViewSet,
    CaseFilterSerializer,
    CaseViewSet,
    PlanViewSet,
)
from apps.core.api import WRITE_ERRORS, error_responses

extend_schema_view(
    retrieve=extend_schema(
        summary="A case (the read is recorded in the access log)",
        responses={200: CaseDetailSerializer, **error_responses(403, 404)},
    ),
    list=extend_schema(
        summary="The cases you may see",
        description="Newest first (by id); follow `next` for more.",
        parameters=[CaseFilterSerializer],
        responses={200: CaseListItemSerializer(many=True), **error_responses(400, 403)},
    ),
    create=extend_schema(
        summary="Open a case from a question",
        description=(
            "For a member of the team the question is at: the case is for the resident's "
            "household (one is started when the resident has none), and you become its "
            "director."
        ),
        request=CaseWriteSerializer,
        responses={201: CaseDetailSerializer, **error_responses(400, 403)},
        examples=[
            OpenApiExample(
                "From a question", request_only=True, value={"question": 12, "title": "Thuishulp"}
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Change the title, or add another question of the household",
        request=CaseWriteSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    ),
    hand_over=extend_schema(
        summary="Hand the direction over to a colleague of the team",
        description="The director or the team's coordinator. Recorded with the reason.",
        request=CaseHandOverSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    ),
    close=extend_schema(
        summary="Close the case, with the check-ins for the follow-up (borging)",
        request=CaseCloseSerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Closed with two check-ins",
                request_only=True,
                value={
                    "note": "Hulp loopt, het huishouden redt zich.",
                    "follow_up_dates": ["2027-01-15", "2027-04-15"],
                    "version": 7,
                },
            )
        ],
    ),
    reopen=extend_schema(
        summary="Reopen a closed case",
        request=VersionOnlySerializer,
        responses={200: CaseDetailSerializer, **WRITE_ERRORS},
    ),
    share=extend_schema(
        summary="Share the case with a colleague (read access), with the reason",
        description="The director or the team's coordinator; never with a policy advisor.",
        request=CaseShareSerializer,
        responses={200: CaseDetailSerializer, **error_responses(400, 403, 404)},
    ),
    unshare=extend_schema(
        summary="Revoke a share",
        request=CaseUnshareSerializer,
        responses={200: CaseDetailSerializer, **error_responses(400, 403, 404)},
    ),
)(CaseViewSet)


extend_schema_view(
    list=extend_schema(
        summary="Activities of the cases you may see (summaries; filter by case)",
        description="With `case`, the look at that case is recorded in the access log.",
        responses={200: ActivityListItemSerializer(many=True), **error_responses(400, 403)},
    ),
    retrieve=extend_schema(
        summary="An activity with its note (the read is recorded in the access log)",
        responses={200: ActivitySerializer, **error_responses(403, 404)},
    ),
    create=extend_schema(
        summary="Record an activity on a case",
        request=ActivityCreateSerializer,
        responses={201: ActivitySerializer, **error_responses(400, 403)},
        examples=[
            OpenApiExample(
                "A joint home visit",
                request_only=True,
                value={
                    "case": 12,
                    "kind": "home_visit",
                    "date": "2026-11-20",
                    "participants": [5, 9],
                    "other_participants": "De inwoner en haar dochter",
                    "note": "Samen met de consulent van het loket op bezoek geweest.",
                },
            )
        ],
    ),
)(ActivityViewSet)


extend_schema_view(
    list=extend_schema(
        summary="Self-sufficiency assessments (ZRM) of the cases you may see, with scores",
        description="With `case`, the look at that case is recorded in the access log.",
        responses={200: AssessmentListItemSerializer(many=True), **error_responses(400, 403)},
    ),
    retrieve=extend_schema(
        summary="An assessment with its note (the read is recorded in the access log)",
        responses={200: AssessmentSerializer, **error_responses(403, 404)},
    ),
    create=extend_schema(
        summary="Record an assessment",
        request=AssessmentCreateSerializer,
        responses={201: AssessmentSerializer, **error_responses(400, 403)},
        examples=[
            OpenApiExample(
                "Two life domains",
                request_only=True,
                value={
                    "case": 12,
                    "assessed_on": "2026-11-20",
                    "scores": [{"life_domain": 3, "score": 2}, {"life_domain": 5, "score": 4}],
                    "note": "Eerste meting bij het huisbezoek.",
                },
            )
        ],
    ),
)(AssessmentViewSet)


extend_schema_view(
    list=extend_schema(
        summary="Support plans of the cases you may see (summaries; filter by case)",
        responses={200: PlanListItemSerializer(many=True), **error_responses(400, 403)},
    ),
    retrieve=extend_schema(
        summary="A support plan with its goals and solutions (the read is logged)",
        responses={200: PlanSerializer, **error_responses(403, 404)},
    ),
    create=extend_schema(
        summary="Start a draft plan (or a new version of the agreed one)",
        description="Answers 200 with the draft there already is, 201 with a new one.",
        request=PlanWriteSerializer,
        responses={201: PlanSerializer, 200: PlanSerializer, **error_responses(400, 403)},
        examples=[OpenApiExample("Start", request_only=True, value={"case": 12})],
    ),
    partial_update=extend_schema(
        summary="Change the summary of the draft",
        request=PlanWriteSerializer,
        responses={200: PlanSerializer, **WRITE_ERRORS},
    ),
    add_goal=extend_schema(
        summary="Add a goal to the draft",
        request=GoalAddSerializer,
        responses={200: PlanSerializer, **WRITE_ERRORS},
    ),
    remove_goal=extend_schema(
        summary="Remove a goal (and its solutions) from the draft",
        request=GoalRemoveSerializer,
        responses={200: PlanSerializer, **WRITE_ERRORS},
    ),
    add_solution=extend_schema(
        summary="Add a solution to a goal of the draft",
        description=(
            "`level`: 1 own strength, 2 own network, 3 volunteers, 4 general provision, "
            "5 individual provision (the order of preference)."
        ),
        request=SolutionAddSerializer,
        responses={200: PlanSerializer, **WRITE_ERRORS},
    ),
    remove_solution=extend_schema(
        summary="Remove a solution from the draft",
        request=SolutionRemoveSerializer,
        responses={200: PlanSerializer, **WRITE_ERRORS},
    ),
    agree=extend_schema(
        summary="The resident agreed to this version: it is frozen",
        request=PlanAgreeSerializer,
        responses={200: PlanSerializer, **WRITE_ERRORS},
    ),
)(PlanViewSet)
