"""The OpenAPI description of the decisions API (drf-spectacular), kept apart from
the behaviour in `views.py`: summaries, descriptions, examples and the declared
responses, applied to the view classes when `api/urls.py` loads this module."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from apps.cases.api.serializers import VersionOnlySerializer
from apps.core.api import CONFLICT_EXAMPLES, WRITE_ERRORS, error_responses
from apps.core.api_schema import download, read_list, read_one
from apps.decisions.api import serializers
from apps.decisions.api.serializers import ObjectionFilterSerializer
from apps.decisions.api.views import (
    DecisionViewSet,
    ObjectionViewSet,
    ProposalFilterSerializer,
    ProposalViewSet,
    ProviderViewSet,
    ProvisionTypeViewSet,
    ProvisionViewSet,
)
from apps.teams.api.schema import configuration_schema

# --- the provision catalogue -----------------------------------------------------------

configuration_schema(serializers.ProvisionTypeSerializer)(ProvisionTypeViewSet)

# #21 part 1: providers (zorgaanbieders)
configuration_schema(serializers.ProviderSerializer)(ProviderViewSet)


# --- proposals -------------------------------------------------------------------------

DECIDE_EXAMPLES = [
    OpenApiExample(
        "Grant as proposed", request_only=True, value={"outcome": "granted", "version": 4}
    ),
    OpenApiExample(
        "Grant with fewer hours",
        request_only=True,
        value={
            "outcome": "granted_changed",
            "reasons": "Twee uur per week is voldoende na de keukentafel.",
            "volume": "2.00",
            "unit": "hours_per_week",
            "version": 4,
        },
    ),
    OpenApiExample(
        "Grant in kind with a provider",
        request_only=True,
        value={
            "outcome": "granted_changed",
            "reasons": "Zorg in natura bij de gecontracteerde aanbieder.",
            "delivery_form": "zin",
            "provider": 3,
            "version": 4,
        },
    ),
    OpenApiExample(
        "Refuse",
        request_only=True,
        value={
            "outcome": "refused",
            "reasons": "Een algemene voorziening (de was- en strijkservice) volstaat.",
            "version": 4,
        },
    ),
]
DECIDED_EXAMPLE = OpenApiExample(
    "Already decided",
    response_only=True,
    status_codes=["409"],
    value={"detail": "Over dit voorstel is al besloten door Karin de Boer op 23-11-2026 10:02."},
)
DRAFT_EXAMPLE = OpenApiExample(
    "Household help",
    request_only=True,
    value={
        "case": 12,
        "provision_type": 2,
        "volume": "3.00",
        "unit": "hours_per_week",
        "frequency": "per_week",
        "start_date": "2026-12-01",
        "end_date": "2027-11-30",
        "motivation": "Mevrouw kan na haar heupoperatie het huishouden niet aan; "
        "haar netwerk helpt met boodschappen, niet met schoonmaken.",
    },
)


def _versioned(summary, **kwargs):
    """A step that takes only the version read (`ProposalViewSet._versioned`)."""
    return extend_schema(
        summary=summary,
        request=VersionOnlySerializer,
        responses={200: serializers.ProposalSerializer, **WRITE_ERRORS},
        **kwargs,
    )


extend_schema_view(
    retrieve=read_one(
        serializers.ProposalSerializer,
        "A proposal with its motivation (the read is recorded in the access log)",
    ),
    list=read_list(
        serializers.ProposalListItemSerializer,
        "Proposals of the cases you may see, or the loket's review queue",
        errors=(400, 403),
        description=(
            "Newest first (by id). With `queue=true` (who decides): the submitted "
            "proposals, each with its decision deadline."
        ),
        parameters=[ProposalFilterSerializer],
    ),
    create=extend_schema(
        summary="Draft a proposal (voorwerk) on a case",
        request=serializers.ProposalWriteSerializer,
        responses={201: serializers.ProposalSerializer, **error_responses(400, 403)},
        examples=[DRAFT_EXAMPLE],
    ),
    partial_update=extend_schema(
        summary="Change a draft, or a proposal returned with a question",
        request=serializers.ProposalWriteSerializer,
        responses={200: serializers.ProposalSerializer, **WRITE_ERRORS},
    ),
    submit=_versioned(
        "Submit the proposal to the loket",
        description=(
            "To the team's linked loket consultant (mandated for the law), else the loket's "
            "queue. The first submission is the application date and starts the decision "
            "deadline (Wmo: 2 weeks, others: 8 weeks, as configured)."
        ),
    ),
    withdraw=_versioned("Withdraw the proposal"),
    decide=extend_schema(
        summary="Decide on a submitted proposal (loket consultants with a mandate only)",
        description=(
            "Grant it as proposed, grant it changed (give the changed volume, unit, "
            "frequency or period, and the reasons), refuse it (reasons required) or return "
            "it to the team with a question (reasons: the question). Only a loket "
            "consultant of the municipality mandated for the provision's law: anyone else "
            "gets 403 and nothing is saved. A proposal is decided once: a decided, "
            "withdrawn or returned proposal gives 409 with who decided it and when. A grant "
            "or refusal gets its decision letter (PDF) built in the background; "
            "`/decisions/{id}/letter/` has it when ready."
        ),
        request=serializers.ProposalDecideSerializer,
        responses={
            201: serializers.DecisionSerializer,
            **error_responses(
                400,
                403,
                404,
                409,
                examples={409: [DECIDED_EXAMPLE, *CONFLICT_EXAMPLES[409]]},
            ),
        },
        examples=DECIDE_EXAMPLES,
    ),
    deadline=extend_schema(
        summary="Suspend or extend the decision deadline, with the reason",
        request=serializers.DeadlineChangeRequestSerializer,
        responses={200: serializers.ProposalSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Extend",
                request_only=True,
                value={
                    "kind": "extend",
                    "new_date": "2027-01-15",
                    "reason": "Advies van de huisarts nodig.",
                },
            )
        ],
    ),
)(ProposalViewSet)


# --- decisions -------------------------------------------------------------------------

extend_schema_view(
    list=read_list(
        serializers.DecisionListItemSerializer,
        "Decisions on the cases you may see (summaries)",
        errors=(400, 403),
    ),
    retrieve=read_one(
        serializers.DecisionSerializer,
        "A decision with its reasons (the read is recorded in the access log)",
    ),
    letter=download(
        "Download the decision letter (PDF)",
        (
            "404 until the letter is built (shortly after a grant or refusal; a return "
            "for information gets none). The download is recorded in the access log."
        ),
        "application/pdf",
        file_description="The letter.",
    ),
)(DecisionViewSet)


# --- #21 part 2: a provision's lifecycle ---------------------------------------------------


def _provision_step(summary, request, description):
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={200: serializers.ProvisionDetailSerializer, **WRITE_ERRORS},
    )


extend_schema_view(
    list=read_list(
        serializers.ProvisionSerializer,
        "Granted provisions of the cases you may see",
        errors=(400, 403),
        description="Newest first (by id). Filter by `resident`, `household`, `case`, `status`.",
    ),
    retrieve=read_one(
        serializers.ProvisionDetailSerializer,
        "A provision with its events (the read is recorded in the access log)",
    ),
    suspend=_provision_step(
        "Suspend a running provision (loket consultants mandated for its law)",
        serializers.ProvisionSuspendSerializer,
        "Suspended from `date` with the reason (e.g. a hospital stay); not a new decision. "
        "Anyone without the mandate gets 403 and nothing is saved; send the version read.",
    ),
    resume=_provision_step(
        "Resume a suspended provision (loket consultants mandated for its law)",
        serializers.ProvisionResumeSerializer,
        "Running again from `date` (not before the suspension began).",
    ),
)(ProvisionViewSet)


# --- objections (bezwaar, #21 part 3) ---------------------------------------------------


def _objection_step(summary, request, description=""):
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={200: serializers.ObjectionSerializer, **WRITE_ERRORS},
    )


extend_schema_view(
    list=read_list(
        serializers.ObjectionSerializer,
        "Objections against decisions you may see (the loket: all)",
        errors=(400, 403),
        parameters=[ObjectionFilterSerializer],
    ),
    retrieve=read_one(
        serializers.ObjectionSerializer,
        "An objection with its grounds and clock (the read is recorded in the access log)",
    ),
    create=extend_schema(
        summary="Register an objection against a final decision (the loket)",
        description=(
            "The decision term is 6 weeks (12 with an advisory committee), counted from "
            "the end of the 6-week objection period, or from receipt when the objection "
            "came in later (then `late` is true). Loket consultants and gate clarifiers "
            "only; anyone else 403."
        ),
        request=serializers.ObjectionWriteSerializer,
        responses={201: serializers.ObjectionSerializer, **error_responses(400, 403)},
        examples=[
            OpenApiExample(
                "Objection by the resident",
                request_only=True,
                value={
                    "decision": 31,
                    "received_on": "2026-12-01",
                    "lodged_by_name": "J. de Vries",
                    "lodged_by_relation": "resident",
                    "grounds": "Drie uur per week is te weinig voor het huishouden.",
                    "advisory_committee": False,
                },
            )
        ],
    ),
    extend=_objection_step(
        "Extend the decision term once, by at most 6 weeks, with the reason (Awb 7:10 lid 3)",
        serializers.ObjectionExtendSerializer,
    ),
    withdraw=_objection_step(
        "Record that the lodger withdrew the objection", serializers.ObjectionWithdrawSerializer
    ),
    decide=_objection_step(
        "Decide on the objection: well_founded, unfounded or inadmissible",
        serializers.ObjectionDecideSerializer,
        description=(
            "Only a loket consultant mandated for the decision's law, and not the "
            "consultant who made the objected decision (Awb 7:5): anyone else 403, "
            "nothing saved. Decided once (409 after). Well-founded: `new_proposal` is a "
            "loket proposal with the objected decision's terms, decided with "
            "`POST /proposals/{id}/decide/`."
        ),
    ),
)(ObjectionViewSet)
