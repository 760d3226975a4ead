"""The OpenAPI description of the agenda API (drf-spectacular), applied to the
viewset of `apps.agenda.api.views` here, so that module holds behaviour only.
`apps.agenda.api.urls` imports this module."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from apps.agenda.api import serializers
from apps.agenda.api.views import AppointmentViewSet
from apps.core.api import WRITE_ERRORS, error_responses
from apps.core.api_schema import read_list, read_one


def operation(summary, request, responses, *, description=None, example=None):
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses=responses,
        examples=example and [OpenApiExample(example[0], request_only=True, value=example[1])],
    )


def changed(summary, request, *, description=None, example=None):
    return operation(
        summary,
        request,
        {200: serializers.AppointmentSerializer, **WRITE_ERRORS},
        description=description,
        example=example,
    )


extend_schema_view(
    list=read_list(
        serializers.AppointmentSerializer,
        "The appointments of the cases and questions you see",
        errors=(400, 403),
        description="By start, earliest first; follow `next` for more. The page is recorded "
        "in the access log.",
        parameters=[serializers.AppointmentFilterSerializer],
    ),
    retrieve=read_one(
        serializers.AppointmentSerializer,
        "An appointment (the read is recorded in the access log)",
    ),
    create=operation(
        "Plan an appointment on a case or a question",
        serializers.AppointmentWriteSerializer,
        {201: serializers.AppointmentSerializer, **error_responses(400, 403, 404)},
        description=(
            "For those who work on the case (`case.work`; also the team's linked loket "
            "consultant) or handle the question (`question.handle`). In the future, ending "
            "after it starts; the participants must work on the case or question. You are "
            "the organiser and take part."
        ),
        example=(
            "A home visit",
            {
                "case": 12,
                "kind": "home_visit",
                "starts_at": "2027-01-12T10:00:00+01:00",
                "ends_at": "2027-01-12T11:00:00+01:00",
                "place": "Bij de inwoner thuis",
                "participants": [5],
                "other_participants": "De inwoner en haar dochter",
            },
        ),
    ),
    partial_update=changed(
        "Reschedule a planned appointment",
        serializers.AppointmentWriteSerializer,
        description="A new start lies in the future. Send the `version` you read.",
    ),
    cancel=changed(
        "Cancel a planned appointment, with a reason", serializers.AppointmentCancelSerializer
    ),
    record=changed(
        "Record a held appointment as an activity of the case",
        serializers.AppointmentRecordSerializer,
        description=(
            "Once, after it started: the activity gets the appointment's date, kind and "
            "participants, and your note. An appointment on a question is recorded on the "
            "question's case (start one first)."
        ),
    ),
)(AppointmentViewSet)
