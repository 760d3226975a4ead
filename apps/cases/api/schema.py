"""The OpenAPI description of the cases API (drf-spectacular): summaries,
descriptions, examples, parameters and the responses of each operation, applied
to the viewsets of `apps.cases.api.views` here, so that module holds behaviour
only. `apps.cases.api.urls` imports this module: the annotations are in place
whenever the URLconf, and with it the schema, is loaded."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from apps.cases.api import serializers
from apps.cases.api.views import (
    ActivityViewSet,
    AssessmentViewSet,
    CaseFilterSerializer,
    CaseViewSet,
    PlanViewSet,
    TeamEndViewSet,
    TeamWorkOfView,
    WorkReassignmentViewSet,
)
from apps.core.api import WRITE_ERRORS, error_responses
from apps.core.api_schema import read_list, read_one

CREATE_ERRORS = error_responses(400, 403)
LIST_ERRORS = (400, 403)  # a filter it cannot read is a 400


def operation(summary, request, responses, *, description=None, example=None):
    """An operation with a request body; `example`: (name, value) of one body."""
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses=responses,
        examples=example and [OpenApiExample(example[0], request_only=True, value=example[1])],
    )


def case_change(summary, request, *, errors=WRITE_ERRORS, **kwargs):
    """An action on a case that answers with the case as it is now."""
    return operation(summary, request, {200: serializers.CaseDetailSerializer, **errors}, **kwargs)


def plan_change(summary, request, **kwargs):
    """A change of a support plan that answers with the plan as it is now."""
    return operation(summary, request, {200: serializers.PlanSerializer, **WRITE_ERRORS}, **kwargs)


def recorded(summary, request, created, example):
    """A record added (201 with `created`), with an example body."""
    return operation(summary, request, {201: created, **CREATE_ERRORS}, example=example)


SHARE_ERRORS = error_responses(400, 403, 404)
LOOK_LOGGED = "With `case`, the look at that case is recorded in the access log."

extend_schema_view(
    retrieve=read_one(
        serializers.CaseDetailSerializer, "A case (the read is recorded in the access log)"
    ),
    list=read_list(
        serializers.CaseListItemSerializer,
        "The cases you may see",
        errors=LIST_ERRORS,
        description="Newest first (by id); follow `next` for more.",
        parameters=[CaseFilterSerializer],
    ),
    create=operation(
        "Open a case from a question",
        serializers.CaseWriteSerializer,
        {201: serializers.CaseDetailSerializer, **CREATE_ERRORS},
        description=(
            "For a member of the team the question is at: the case is for the resident's "
            "household (one is started when the resident has none), and you become its "
            "director."
        ),
        example=("From a question", {"question": 12, "title": "Thuishulp"}),
    ),
    partial_update=case_change(
        "Change the title, or add another question of the household",
        serializers.CaseWriteSerializer,
    ),
    hand_over=case_change(
        "Hand the direction over to a colleague of the team",
        serializers.CaseHandOverSerializer,
        description="The director or the team's coordinator. Recorded with the reason.",
    ),
    close=case_change(
        "Close the case, with the check-ins for the follow-up (borging)",
        serializers.CaseCloseSerializer,
        example=(
            "Closed with two check-ins",
            {
                "note": "Hulp loopt, het huishouden redt zich.",
                "follow_up_dates": ["2027-01-15", "2027-04-15"],
                "version": 7,
            },
        ),
    ),
    reopen=case_change("Reopen a closed case", serializers.VersionOnlySerializer),
    share=case_change(
        "Share the case with a colleague (read access), with the reason",
        serializers.CaseShareSerializer,
        errors=SHARE_ERRORS,
        description="The director or the team's coordinator; never with a policy advisor.",
    ),
    unshare=case_change("Revoke a share", serializers.CaseUnshareSerializer, errors=SHARE_ERRORS),
    join=operation(
        "Ask a shell partner of the team to join the case (to work on it), with the reason",
        serializers.CaseJoinSerializer,
        {201: serializers.CaseJoinRecordSerializer, **SHARE_ERRORS},
        description=(
            "The director or the team's coordinator. A shell partner (schilpartner) sees and "
            "works on only the cases they joined, never the team's inbox or caseload."
        ),
        example=("The school joins", {"staff_member": 21, "reason": "Zorgen op school."}),
    ),
    join_revoke=operation(
        "End a shell partner's work on the case",
        serializers.CaseJoinRevokeSerializer,
        {200: serializers.CaseJoinRecordSerializer, **SHARE_ERRORS},
        description="The director or the team's coordinator; the record stays.",
    ),
    transfer=operation(
        "Move the case to another team, with its open questions",
        serializers.CaseTransferSerializer,
        {201: serializers.TeamChangeSerializer, **WRITE_ERRORS},
        description=(
            "The director or the team's coordinator: the case goes to an active team of this "
            "municipality that runs cases (a case team or the loket), with a new director "
            "there and the reason. Refused while a proposal waits at the loket. Answers with "
            "the recorded move; you may no longer see the case afterwards."
        ),
        example=(
            "The household moved house",
            {"to_team": 4, "to_director": 17, "reason": "Verhuisd naar Zetten.", "version": 9},
        ),
    ),
)(CaseViewSet)

extend_schema_view(
    list=read_list(
        serializers.WorkReassignmentSerializer,
        "Work reassignments in the teams you coordinate (newest first)",
    ),
    retrieve=read_one(serializers.WorkReassignmentSerializer, "A work reassignment"),
    create=operation(
        "Give every open question and case of a person in a team to a colleague",
        serializers.WorkReassignSerializer,
        {201: serializers.WorkReassignmentSerializer, **WRITE_ERRORS},
        description=(
            "The team's coordinator, with the reason. Send the `questions` and `cases` the "
            "preview showed: when the work changed since, nothing moves (409). All or "
            "nothing."
        ),
        example=(
            "A member leaves",
            {
                "team": 3,
                "from_staff": 11,
                "to_staff": 12,
                "reason": "Vertrekt per 1 januari.",
                "questions": [101, 102],
                "cases": [40],
            },
        ),
    ),
)(WorkReassignmentViewSet)

extend_schema_view(
    get=extend_schema(
        summary="What a work reassignment would move",
        description=(
            "The open questions the person handles and the running cases they direct in "
            "the team (ids), for the team's coordinator: send them with the reassignment."
        ),
        responses={200: serializers.WorkPreviewSerializer, **error_responses(403, 404)},
    )
)(TeamWorkOfView)

extend_schema_view(
    list=read_list(
        serializers.ActivityListItemSerializer,
        "Activities of the cases you may see (summaries; filter by case)",
        errors=LIST_ERRORS,
        description=LOOK_LOGGED,
    ),
    retrieve=read_one(
        serializers.ActivitySerializer,
        "An activity with its note (the read is recorded in the access log)",
    ),
    create=recorded(
        "Record an activity on a case",
        serializers.ActivityCreateSerializer,
        serializers.ActivitySerializer,
        (
            "A joint home visit",
            {
                "case": 12,
                "kind": "home_visit",
                "date": "2026-11-20",
                "participants": [5, 9],
                "other_participants": "De inwoner en haar dochter",
                "note": "Samen met de consulent van het loket op bezoek geweest.",
            },
        ),
    ),
    correct=operation(
        "Correct an activity's note (the earlier note is kept)",
        serializers.ActivityCorrectSerializer,
        {200: serializers.ActivitySerializer, **WRITE_ERRORS},
        description=(
            "Only the one who recorded the activity or the case's director; also on a "
            "closed case. The earlier note, with who wrote it, who corrected it, when and "
            "why, is added to `note_revisions`."
        ),
        example=(
            "A correction asked by the resident",
            {
                "text": "Huisbezoek afgelegd; de dochter was aanwezig.",
                "reason": "Op verzoek van de inwoner: niet de zoon maar de dochter.",
                "version": 1,
            },
        ),
    ),
)(ActivityViewSet)

extend_schema_view(
    list=read_list(
        serializers.AssessmentListItemSerializer,
        "Self-sufficiency assessments (ZRM) of the cases you may see, with scores",
        errors=LIST_ERRORS,
        description=LOOK_LOGGED,
    ),
    retrieve=read_one(
        serializers.AssessmentSerializer,
        "An assessment with its note (the read is recorded in the access log)",
    ),
    create=recorded(
        "Record an assessment",
        serializers.AssessmentCreateSerializer,
        serializers.AssessmentSerializer,
        (
            "Two life domains",
            {
                "case": 12,
                "assessed_on": "2026-11-20",
                "scores": [{"life_domain": 3, "score": 2}, {"life_domain": 5, "score": 4}],
                "note": "Eerste meting bij het huisbezoek.",
            },
        ),
    ),
)(AssessmentViewSet)

extend_schema_view(
    list=read_list(
        serializers.PlanListItemSerializer,
        "Support plans of the cases you may see (summaries; filter by case)",
        errors=LIST_ERRORS,
    ),
    retrieve=read_one(
        serializers.PlanSerializer,
        "A support plan with its goals and solutions (the read is logged)",
    ),
    create=operation(
        "Start a draft plan (or a new version of the agreed one)",
        serializers.PlanWriteSerializer,
        {201: serializers.PlanSerializer, 200: serializers.PlanSerializer, **CREATE_ERRORS},
        description="Answers 200 with the draft there already is, 201 with a new one.",
        example=("Start", {"case": 12}),
    ),
    partial_update=plan_change("Change the summary of the draft", serializers.PlanWriteSerializer),
    add_goal=plan_change("Add a goal to the draft", serializers.GoalAddSerializer),
    remove_goal=plan_change(
        "Remove a goal (and its solutions) from the draft", serializers.GoalRemoveSerializer
    ),
    add_solution=plan_change(
        "Add a solution to a goal of the draft",
        serializers.SolutionAddSerializer,
        description=(
            "`level`: 1 own strength, 2 own network, 3 volunteers, 4 general provision, "
            "5 individual provision (the order of preference)."
        ),
    ),
    remove_solution=plan_change(
        "Remove a solution from the draft", serializers.SolutionRemoveSerializer
    ),
    agree=plan_change(
        "The resident agreed to this version: it is frozen", serializers.PlanAgreeSerializer
    ),
)(PlanViewSet)

extend_schema_view(
    open_work=extend_schema(
        summary="A team's open work, before ending it",
        description=(
            "The open questions (outside a case) and running cases of the team (ids), for "
            "the municipality admin: they must be handed over to end the team."
        ),
        responses={200: serializers.TeamOpenWorkSerializer, **error_responses(403, 404)},
    ),
    end=operation(
        "End a team",
        serializers.TeamEndSerializer,
        {200: serializers.TeamEndedSerializer, **WRITE_ERRORS},
        description=(
            "The municipality admin, with the date (today or earlier), the reason and the "
            "successor if any. Open questions and running cases go to `hand_over_to`; "
            "without it, ending is refused (400) while any are open. Every membership ends "
            "on that date; former members keep reading the team's history. All or nothing."
        ),
        example=(
            "The SpT stops",
            {
                "ended_on": "2026-12-01",
                "reason": "Opgegaan in het kernteam.",
                "successor": 4,
                "hand_over_to": 4,
                "version": 3,
            },
        ),
    ),
)(TeamEndViewSet)
