"""Statuses move through transition tables: one `move()` per field refuses what
the table does not list."""

from types import SimpleNamespace

import pytest

from apps.cases.models import Case, SupportPlan
from apps.cases.workflow import CASE_FLOW, PLAN_EDITABLE, PLAN_FLOW
from apps.core.exceptions import DomainError
from apps.core.workflow import TransitionError, Workflow
from apps.decisions.models import Proposal, Provision
from apps.decisions.workflow import PROPOSAL_EDITABLE, PROPOSAL_FLOW, PROVISION_FLOW
from apps.intake.models import Question
from apps.intake.workflow import QUESTION_EDITABLE, QUESTION_FLOW

TABLES = [
    (QUESTION_FLOW, Question.Status),
    (CASE_FLOW, Case.Status),
    (PLAN_FLOW, SupportPlan.Status),
    (PROPOSAL_FLOW, Proposal.Status),
    (PROVISION_FLOW, Provision.Status),
]


@pytest.mark.parametrize(("flow", "statuses"), TABLES)
def test_every_status_has_a_row_and_every_target_is_a_status(flow, statuses):
    assert set(flow.allowed) == set(statuses.values)
    for targets in flow.allowed.values():
        assert targets <= set(statuses.values)


def test_a_move_the_table_lists_sets_the_status():
    proposal = SimpleNamespace(status=Proposal.Status.DRAFT)
    assert PROPOSAL_FLOW.move(proposal, Proposal.Status.SUBMITTED) is True
    assert proposal.status == Proposal.Status.SUBMITTED


def test_a_move_the_table_does_not_list_is_a_domain_error_and_changes_nothing():
    proposal = SimpleNamespace(status=Proposal.Status.DECIDED)
    with pytest.raises(TransitionError) as caught:
        PROPOSAL_FLOW.move(proposal, Proposal.Status.SUBMITTED)
    assert isinstance(caught.value, DomainError)
    assert proposal.status == Proposal.Status.DECIDED


def test_the_refusal_names_the_reason_given_by_the_table_or_the_caller():
    closed = SimpleNamespace(status=Question.Status.CLOSED)
    with pytest.raises(TransitionError, match="Deze vraag is afgesloten"):
        QUESTION_FLOW.move(closed, Question.Status.IN_PROGRESS)
    with pytest.raises(TransitionError, match="al afgesloten"):
        QUESTION_FLOW.move(closed, Question.Status.CLOSED, "Deze vraag is al afgesloten.")


def test_final_statuses_are_the_ones_without_a_way_out():
    assert PROPOSAL_FLOW.is_final(Proposal.Status.DECIDED)
    assert PROPOSAL_FLOW.is_final(Proposal.Status.WITHDRAWN)
    assert not PROPOSAL_FLOW.is_final(Proposal.Status.RETURNED)
    assert QUESTION_FLOW.is_final(Question.Status.CLOSED)
    assert not CASE_FLOW.is_final(Case.Status.CLOSED)  # a case can be reopened


def test_what_may_still_change_is_data():
    assert {Proposal.Status.DRAFT, Proposal.Status.RETURNED} == PROPOSAL_EDITABLE
    assert {SupportPlan.Status.DRAFT} == PLAN_EDITABLE
    assert Question.Status.CLOSED not in QUESTION_EDITABLE
    # An agreed plan is superseded, never edited back into a draft.
    assert not PLAN_FLOW.can_move(
        SimpleNamespace(status=SupportPlan.Status.AGREED), SupportPlan.Status.DRAFT
    )


def test_a_table_on_another_field():
    flow = Workflow({"a": {"b"}, "b": set()}, field="stage")
    thing = SimpleNamespace(stage="a")
    flow.move(thing, "b")
    assert thing.stage == "b"
    with pytest.raises(TransitionError):
        flow.move(thing, "a")
