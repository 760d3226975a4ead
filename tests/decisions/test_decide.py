"""Rule 1: only a loket consultant of the proposal's municipality, mandated for
the provision's law, decides — and a proposal is decided at most once. The
voorwerk rules around it: drafting, submitting, returning, the deadlines."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scope

from apps.cases.models import Case
from apps.cases.services import case_open
from apps.core.exceptions import DomainError
from apps.decisions import services
from apps.decisions.models import DeadlineChange, Decision, Proposal, Provision
from apps.intake.services import intake_settings_for
from apps.teams.models import Membership, Team
from apps.tenants.models import StaffMember
from tests.conftest import make_person
from tests.factories import (
    MembershipFactory,
    ProvisionTypeFactory,
    QuestionFactory,
    TeamFactory,
    UserFactory,
)

F, K = Membership.Function, Team.Kind
TODAY = timezone.localdate


@pytest.fixture
def w(municipality):
    with scope(municipality=municipality):
        loket = TeamFactory(municipality=municipality, kind=K.LOKET, name="Loket")
        elst = TeamFactory(municipality=municipality, kind=K.KERNTEAM, name="Elst")
    member = make_person(municipality, memberships=[(elst, F.TEAM_MEMBER)])
    consultant = make_person(municipality, memberships=[(loket, F.CONSULTANT)])  # wmo
    youth_consultant = make_person(municipality)
    with scope(municipality=municipality):
        MembershipFactory(
            municipality=municipality,
            team=loket,
            staff_member=StaffMember.objects.get(user=youth_consultant),
            function=F.CONSULTANT,
            mandated_laws=["jeugdwet"],
        )
        wmo = ProvisionTypeFactory(municipality=municipality, law="wmo", name="Huishoudelijke hulp")
        youth = ProvisionTypeFactory(
            municipality=municipality, law="jeugdwet", name="Jeugdhulp", unit="trajectory"
        )
        case = case_open(
            actor=member, question=QuestionFactory(municipality=municipality, team=elst)
        )
        yield {
            "municipality": municipality,
            "loket": loket,
            "elst": elst,
            "member": member,
            "consultant": consultant,
            "youth_consultant": youth_consultant,
            "wmo": wmo,
            "youth": youth,
            "case": case,
        }


def draft(w, provision_type=None, **fields):
    values = {
        "volume": 3,
        "unit": "hours_per_week",
        "frequency": "per_week",
        "start_date": TODAY(),
        "end_date": TODAY() + timedelta(weeks=26),
        "motivation": "Nodig",
        "delivery_form": "pgb",
        "budget_amount": "250.00",
        "budget_period": "per_month",
    }
    values.update(fields)
    return services.proposal_draft(
        actor=w["member"], case=w["case"], provision_type=provision_type or w["wmo"], **values
    )


def submitted(w, **fields):
    return services.proposal_submit(actor=w["member"], proposal=draft(w, **fields))


# --- who decides ---------------------------------------------------------------------


def test_a_kernteam_member_can_propose_but_never_decide(w):
    proposal = submitted(w)
    for outcome in Decision.Outcome.values:
        with pytest.raises(PermissionDenied):
            services.proposal_decide(
                actor=w["member"], proposal=proposal, outcome=outcome, reasons="r"
            )
    assert not Decision.objects.exists()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SUBMITTED


def test_a_consultant_decides_only_within_the_mandate_for_the_law(w):
    proposal = submitted(w)
    with pytest.raises(PermissionDenied, match="mandaat"):
        services.proposal_decide(actor=w["youth_consultant"], proposal=proposal, outcome="granted")
    youth = submitted(w, provision_type=w["youth"], unit="trajectory", volume=1)
    with pytest.raises(PermissionDenied, match="mandaat"):
        services.proposal_decide(actor=w["consultant"], proposal=youth, outcome="granted")
    decision = services.proposal_decide(
        actor=w["youth_consultant"], proposal=youth, outcome="granted"
    )
    assert decision.law == "jeugdwet" and decision.mandate.mandated_laws == ["jeugdwet"]


def test_no_shell_or_superuser_path_decides(w):
    proposal = submitted(w)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for actor in (None, superuser):
        with pytest.raises(PermissionDenied):
            services.proposal_decide(actor=actor, proposal=proposal, outcome="granted")
    assert not Decision.objects.exists()


def test_a_consultant_of_another_municipality_cannot_decide(w, other_municipality):
    with scope(municipality=other_municipality):
        loket_b = TeamFactory(municipality=other_municipality, kind=K.LOKET)
    consultant_b = make_person(other_municipality, memberships=[(loket_b, F.CONSULTANT)])
    proposal = submitted(w)
    with pytest.raises(PermissionDenied):
        services.proposal_decide(actor=consultant_b, proposal=proposal, outcome="granted")
    assert not Decision.objects.exists()


def test_a_consultant_whose_loket_membership_ended_no_longer_decides(w):
    proposal = submitted(w)
    Membership.objects.filter(staff_member__user=w["consultant"]).update(is_active=False)
    from apps.tenants.permissions import forget_roles

    forget_roles(w["consultant"])
    with pytest.raises(PermissionDenied):
        services.proposal_decide(actor=w["consultant"], proposal=proposal, outcome="granted")


# --- decided once --------------------------------------------------------------------


def test_a_proposal_is_decided_once_and_the_second_hears_who_did(w):
    proposal = submitted(w)
    services.proposal_decide(actor=w["consultant"], proposal=proposal, outcome="granted")
    with pytest.raises(DomainError, match="al besloten"):
        services.proposal_decide(
            actor=w["consultant"], proposal=proposal, outcome="refused", reasons="toch niet"
        )
    assert Decision.objects.count() == 1 and Provision.objects.count() == 1


def test_a_withdrawn_or_unsubmitted_proposal_is_not_decided(w):
    proposal = draft(w)
    with pytest.raises(DomainError, match="nog niet ingediend"):
        services.proposal_decide(actor=w["consultant"], proposal=proposal, outcome="granted")
    services.proposal_withdraw(actor=w["member"], proposal=proposal)
    with pytest.raises(DomainError, match="ingetrokken"):
        services.proposal_decide(actor=w["consultant"], proposal=proposal, outcome="granted")
    assert not Decision.objects.exists()


def test_a_decision_is_never_changed_only_followed(w):
    proposal = submitted(w)
    decision = services.proposal_decide(actor=w["consultant"], proposal=proposal, outcome="granted")
    from apps.core.models import AppendOnlyError

    decision.reasons = "achteraf"
    with pytest.raises(AppendOnlyError):
        decision.save()
    with pytest.raises(AppendOnlyError):
        Decision.objects.filter(pk=decision.pk).update(reasons="x")
    with pytest.raises(AppendOnlyError):
        decision.delete()


def test_a_revision_is_a_new_decision_that_ends_the_old_provision(w):
    first = services.proposal_decide(
        actor=w["consultant"], proposal=submitted(w), outcome="granted"
    )
    running = Provision.objects.get(decision=first)
    revision = submitted(w, revises=running, volume=5, motivation="Meer uren nodig")
    second = services.proposal_decide(actor=w["consultant"], proposal=revision, outcome="granted")
    assert Provision.objects.get(pk=running.pk).status == Provision.Status.REVISED
    assert Provision.objects.get(decision=second).volume == Decimal("5")


# --- outcomes and bad input ----------------------------------------------------------------


def test_a_refusal_needs_reasons_and_saves_nothing_without(w):
    proposal = submitted(w)
    with pytest.raises(ValidationError) as exc:
        services.proposal_decide(actor=w["consultant"], proposal=proposal, outcome="refused")
    assert "reasons" in exc.value.message_dict
    assert not Decision.objects.exists()
    decision = services.proposal_decide(
        actor=w["consultant"], proposal=proposal, outcome="refused", reasons="Algemene voorziening"
    )
    assert not decision.is_grant and not Provision.objects.exists()
    assert Case.objects.get(pk=w["case"].pk).status == Case.Status.DECIDED


def test_a_changed_grant_must_change_something_valid(w):
    proposal = submitted(w)
    with pytest.raises(ValidationError):
        services.proposal_decide(
            actor=w["consultant"], proposal=proposal, outcome="granted_changed", reasons="x"
        )
    with pytest.raises(ValidationError) as exc:
        services.proposal_decide(
            actor=w["consultant"],
            proposal=proposal,
            outcome="granted_changed",
            reasons="Korter",
            end_date=TODAY() - timedelta(days=1),
        )
    assert "end_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.proposal_decide(
            actor=w["consultant"],
            proposal=proposal,
            outcome="granted_changed",
            reasons="Geen eenheid",
            unit="",
        )
    assert "unit" in exc.value.message_dict
    assert not Decision.objects.exists()
    decision = services.proposal_decide(
        actor=w["consultant"],
        proposal=proposal,
        outcome="granted_changed",
        reasons="Twee uur volstaat",
        volume=Decimal("2"),
    )
    assert decision.volume == Decimal("2")
    assert Provision.objects.get(decision=decision).volume == Decimal("2")


def test_a_proposal_with_bad_input_is_not_saved(w, other_municipality):
    cases = [
        ({"end_date": TODAY() - timedelta(days=1)}, "end_date"),
        ({"unit": ""}, "unit"),
        ({"volume": None}, "volume"),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as exc:
            draft(w, **fields)
        assert field in exc.value.message_dict, fields
    with scope(municipality=other_municipality):
        foreign = ProvisionTypeFactory(municipality=other_municipality)
    with pytest.raises(ValidationError) as exc:
        draft(w, provision_type=foreign)
    assert "provision_type" in exc.value.message_dict
    w["wmo"].is_active = False
    w["wmo"].save()
    with pytest.raises(ValidationError):
        draft(w)
    assert not Proposal.objects.exists()


def test_returned_for_information_the_team_resubmits_and_the_waiting_days_suspend_the_term(w):
    proposal = submitted(w)
    deadline = proposal.decision_deadline
    with pytest.raises(ValidationError):
        services.proposal_decide(actor=w["consultant"], proposal=proposal, outcome="returned")
    services.proposal_decide(
        actor=w["consultant"], proposal=proposal, outcome="returned", reasons="Welke uren?"
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RETURNED
    Proposal.objects.filter(pk=proposal.pk).update(returned_at=timezone.now() - timedelta(days=3))
    proposal.refresh_from_db()
    proposal = services.proposal_update(
        actor=w["member"], proposal=proposal, motivation="Drie uur voor schoonmaken"
    )
    proposal = services.proposal_submit(actor=w["member"], proposal=proposal)
    assert proposal.application_date == TODAY()
    assert proposal.decision_deadline == deadline + timedelta(days=3)
    change = DeadlineChange.objects.get(proposal=proposal)
    assert change.kind == DeadlineChange.Kind.SUSPEND and change.old_date == deadline
    decision = services.proposal_decide(actor=w["consultant"], proposal=proposal, outcome="granted")
    assert decision.deadline == deadline + timedelta(days=3)


# --- deadlines and routing -----------------------------------------------------------------


def test_the_decision_deadline_follows_the_law_and_the_municipality_settings(w):
    assert submitted(w).decision_deadline == TODAY() + timedelta(weeks=2)
    youth = submitted(w, provision_type=w["youth"], unit="trajectory", volume=1)
    assert youth.decision_deadline == TODAY() + timedelta(weeks=8)
    settings = intake_settings_for(w["municipality"])
    settings.wmo_decision_weeks = 3
    settings.save()
    assert submitted(w).decision_deadline == TODAY() + timedelta(weeks=3)


def test_voorwerk_goes_to_the_linked_consultant_if_mandated_else_the_loket_queue(w):
    assert submitted(w).assigned_consultant is None  # no linked consultant
    w["elst"].linked_loket_consultant = StaffMember.objects.get(user=w["consultant"])
    w["elst"].save()
    w["case"].team.refresh_from_db()
    assert submitted(w).assigned_consultant.user == w["consultant"]
    youth = submitted(w, provision_type=w["youth"], unit="trajectory", volume=1)
    assert youth.assigned_consultant is None  # not mandated for the Jeugdwet


def test_the_loket_path_is_not_voorwerk(w):
    consultant = w["consultant"]
    question = QuestionFactory(municipality=w["municipality"], team=w["loket"])
    case = case_open(actor=consultant, question=question)
    proposal = services.proposal_draft(
        actor=consultant,
        case=case,
        provision_type=w["wmo"],
        volume=2,
        unit="hours_per_week",
        start_date=TODAY(),
        end_date=TODAY() + timedelta(weeks=10),
        motivation="Keukentafelgesprek",
        delivery_form="pgb",
        budget_amount=250,
        budget_period="per_month",
    )
    assert not proposal.is_voorwerk
    proposal = services.proposal_submit(actor=consultant, proposal=proposal)
    assert proposal.assigned_consultant.user == consultant
    decision = services.proposal_decide(actor=consultant, proposal=proposal, outcome="granted")
    assert decision.via_voorwerk is False


def test_a_default_duration_fills_the_end_date(w):
    proposal = draft(w, end_date=None)
    assert proposal.end_date == TODAY() + timedelta(weeks=52) - timedelta(days=1)


# --- after the review: the loket decides on voorwerk, it does not write it ------------------


def test_a_loket_consultant_cannot_withdraw_rewrite_or_resubmit_a_teams_voorwerk(w):
    proposal = submitted(w)
    for call in (
        lambda: services.proposal_withdraw(actor=w["youth_consultant"], proposal=proposal),
        lambda: services.proposal_update(
            actor=w["consultant"], proposal=proposal, motivation="anders"
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SUBMITTED


def test_the_law_of_a_catalogue_entry_in_use_cannot_change(w):
    from apps.teams.services import configuration_save

    submitted(w, provision_type=w["youth"], unit="trajectory", volume=1)
    admin = make_person(w["municipality"], admin=True)
    w["youth"].law = "wmo"
    with pytest.raises(ValidationError) as exc:
        configuration_save(actor=admin, instance=w["youth"])
    assert "law" in exc.value.message_dict
    w["youth"].refresh_from_db()
    assert w["youth"].law == "jeugdwet"


def test_an_application_keeps_its_law_after_a_return(w):
    proposal = submitted(w)
    services.proposal_decide(
        actor=w["consultant"], proposal=proposal, outcome="returned", reasons="Welke uren?"
    )
    proposal.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.proposal_update(
            actor=w["member"], proposal=proposal, provision_type=w["youth"], unit="trajectory"
        )
    assert "provision_type" in exc.value.message_dict


def test_the_loket_path_goes_to_the_queue_when_the_submitter_lacks_the_mandate(w):
    question = QuestionFactory(municipality=w["municipality"], team=w["loket"])
    case = case_open(actor=w["consultant"], question=question)  # mandated for wmo only
    proposal = services.proposal_draft(
        actor=w["consultant"],
        case=case,
        provision_type=w["youth"],
        volume=1,
        unit="trajectory",
        start_date=TODAY(),
        end_date=TODAY() + timedelta(weeks=10),
        motivation="Jeugdhulp",
        delivery_form="pgb",
        budget_amount=250,
        budget_period="per_month",
    )
    proposal = services.proposal_submit(actor=w["consultant"], proposal=proposal)
    assert proposal.assigned_consultant is None


def test_a_broker_that_is_down_does_not_undo_a_decision_and_the_sweep_builds_the_letter(
    w, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.decisions import tasks
    from apps.decisions.models import DecisionLetter

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.build_decision_letter, "delay", broker_down)
    proposal = submitted(w)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.proposal_decide(
            actor=w["consultant"], proposal=proposal, outcome="granted"
        )
    assert Decision.objects.filter(pk=decision.pk).exists()
    assert not DecisionLetter.objects.exists()
    assert list(services.decisions_without_letter(w["municipality"], timedelta(0))) == [decision]
    monkeypatch.setattr(
        services, "decisions_without_letter", lambda m: Decision.objects.filter(pk=decision.pk)
    )
    result = tasks.mark_reassessments(municipality_id=w["municipality"].pk)
    assert result["letters_built"] == 1
    assert DecisionLetter.objects.filter(decision=decision).count() == 1
