"""A provision's lifecycle (#21 part 2): a withdrawal (intrekking) is a decision
of the loket, decided only by `proposal_decide`; the mandated loket suspends and
resumes a provision (not a decision); the daily task ends provisions on their
date; every change is an event. The provisions page and API per resident."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_scopes import scope, scopes_disabled

from apps.access import rules
from apps.cases.services import require_case_worker
from apps.core.exceptions import ConcurrentEditError, DomainError
from apps.core.models import AppendOnlyError
from apps.decisions import services as decisions
from apps.decisions.letters import letter_context
from apps.decisions.models import Decision, Proposal, ProposalKind, Provision, ProvisionEvent
from apps.teams.models import Membership
from tests.cases.api_world import api_for, build_world, open_case
from tests.conftest import make_person
from tests.factories import ProvisionFactory

F = Membership.Function


@pytest.fixture
def w(municipality, other_municipality):
    w = build_world(municipality, other_municipality)
    w.case = open_case(w)
    w.gate = make_person(municipality, memberships=[(w.loket, F.GATE_CLARIFIER)])
    w.coordinator = make_person(municipality, memberships=[(w.kernteam, F.COORDINATOR)])
    with scope(municipality=municipality):
        # consultant decides under the Wmo and the Jeugdwet; consultant2 under the Jeugdwet only.
        Membership.objects.filter(staff_member__user=w.consultant).update(
            mandated_laws=["wmo", "jeugdwet"]
        )
        Membership.objects.filter(staff_member__user=w.consultant2).update(
            mandated_laws=["jeugdwet"]
        )
    with scope(municipality=other_municipality):
        w.foreign.provision = ProvisionFactory(
            municipality=other_municipality,
            decision__proposal__case=w.foreign.case,
            decision__proposal__provision_type=w.foreign.provision_type,
        )
    return w


def running_provision(w, *, weeks=52):
    today = timezone.localdate()
    with scope(municipality=w.municipality):
        proposal = decisions.proposal_draft(
            actor=w.member,
            case=w.case,
            provision_type=w.household_help,
            volume=3,
            unit="hours_per_week",
            frequency="per_week",
            start_date=today - timedelta(weeks=4),
            end_date=today + timedelta(weeks=weeks),
            motivation="Kan het huishouden niet aan.",
            # #21 part 1: a grant needs a form of delivery.
            delivery_form="pgb",
            budget_amount=250,
            budget_period="per_month",
        )
        proposal = decisions.proposal_submit(actor=w.member, proposal=proposal)
        decision = decisions.proposal_decide(
            actor=w.consultant, proposal=proposal, outcome="granted", queue_letter=False
        )
        return Provision.objects.get(decision=decision)


def submitted_withdrawal(w, provision, *, end_date=None, actor=None):
    with scope(municipality=w.municipality):
        proposal = decisions.withdrawal_draft(
            actor=actor or w.member,
            case=w.case,
            revises=provision,
            end_date=end_date or timezone.localdate() + timedelta(days=7),
            motivation="Mevrouw is hersteld; de hulp is niet meer nodig.",
        )
        return decisions.proposal_submit(actor=actor or w.member, proposal=proposal)


def fresh(w, obj):
    with scopes_disabled():
        return type(obj)._base_manager.get(pk=obj.pk)


def counts(w):
    with scopes_disabled():
        return (
            Decision.objects.count(),
            ProvisionEvent.objects.count(),
            Provision.objects.filter(status=Provision.Status.ACTIVE).count(),
        )


# --- withdrawal: a decision of the loket --------------------------------------------------


def test_team_drafts_withdrawal_loket_decides_provision_ends_early_with_letter(w):
    provision = running_provision(w)
    ends = timezone.localdate() + timedelta(days=7)
    proposal = submitted_withdrawal(w, provision, end_date=ends)
    assert proposal.kind == ProposalKind.WITHDRAWAL and proposal.is_voorwerk
    with scope(municipality=w.municipality):
        decision = decisions.proposal_decide(
            actor=w.consultant,
            proposal=proposal,
            outcome="granted",
            reasons="De ondersteuning is niet meer nodig.",
            queue_letter=False,
        )
        html = render_to_string("pdf/decision_letter.html", letter_context(decision))
    assert decision.kind == ProposalKind.WITHDRAWAL and decision.is_withdrawal
    assert decision.outcome_label == "ingetrokken zoals voorgesteld"
    provision = fresh(w, provision)
    assert provision.status == Provision.Status.ENDED_EARLY
    assert provision.ended_on == ends and provision.ended_by_id == decision.pk
    with scope(municipality=w.municipality):
        event = ProvisionEvent.objects.get(provision=provision)
        # No new provision is granted by a withdrawal.
        assert not Provision.objects.filter(decision=decision).exists()
    assert event.kind == ProvisionEvent.Kind.ENDED_EARLY and event.decision_id == decision.pk
    assert f"Uw voorziening eindigt op {date_format(ends, 'DATE_FORMAT')}" in html
    assert "De ondersteuning is niet meer nodig." in html
    assert date_format(decision.objection_deadline, "DATE_FORMAT") in html
    assert "Wij kennen de voorziening toe" not in html


def test_refused_withdrawal_keeps_the_provision_running(w):
    provision = running_provision(w)
    proposal = submitted_withdrawal(w, provision)
    with scope(municipality=w.municipality):
        decision = decisions.proposal_decide(
            actor=w.consultant,
            proposal=proposal,
            outcome="refused",
            reasons="Nog nodig.",
            queue_letter=False,
        )
        html = render_to_string("pdf/decision_letter.html", letter_context(decision))
    assert fresh(w, provision).status == Provision.Status.ACTIVE
    assert "Uw voorziening loopt door" in html


def test_a_withdrawal_is_not_granted_with_changes(w):
    provision = running_provision(w)
    proposal = submitted_withdrawal(w, provision)
    before = counts(w)
    with scope(municipality=w.municipality), pytest.raises(ValidationError) as exc:
        decisions.proposal_decide(
            actor=w.consultant,
            proposal=proposal,
            outcome="granted_changed",
            reasons="Later",
            end_date=provision.end_date,
        )
    assert "outcome" in exc.value.message_dict
    assert counts(w) == before


@pytest.mark.parametrize(
    "who", ["member", "coordinator", "gate", "admin", "policy", "expert", "consultant2"]
)
def test_only_a_mandated_loket_consultant_decides_a_withdrawal(w, who):
    """A team member, coordinator, gate clarifier, admin, policy advisor,
    behavioural expert and a consultant mandated for another law cannot."""
    provision = running_provision(w)
    proposal = submitted_withdrawal(w, provision)
    before = counts(w)
    with scope(municipality=w.municipality), pytest.raises(PermissionDenied):
        decisions.proposal_decide(actor=getattr(w, who), proposal=proposal, outcome="granted")
    assert counts(w) == before
    assert fresh(w, provision).status == Provision.Status.ACTIVE
    # Through the API too: 403 and nothing written.
    api = api_for(getattr(w, who), w.municipality)
    response = api.post(
        reverse("api:proposal-decide", args=[proposal.pk]),
        {"outcome": "granted", "version": fresh(w, proposal).version},
        format="json",
    )
    assert response.status_code in (403, 404)
    assert counts(w) == before


def test_the_model_guard_refuses_a_withdrawal_decision_written_directly(w):
    provision = running_provision(w)
    proposal = submitted_withdrawal(w, provision)
    with scope(municipality=w.municipality):
        granting = Decision.objects.get(pk=provision.decision_id)
        decision = Decision(
            municipality=w.municipality,
            proposal=proposal,
            case=proposal.case,
            resident=proposal.resident,
            outcome="granted",
            consultant=granting.consultant,
            mandate=granting.mandate,
            law="wmo",
            provision_type=proposal.provision_type,
            legal_basis="x",
            via_voorwerk=True,
            application_date=timezone.localdate(),
            deadline=timezone.localdate(),
            kind=ProposalKind.WITHDRAWAL,
        )
        with pytest.raises(AppendOnlyError):
            decision.save()
        with pytest.raises(AppendOnlyError):
            Decision.objects.bulk_create([decision])
    assert fresh(w, provision).status == Provision.Status.ACTIVE


@pytest.mark.parametrize(
    ("offset", "message"),
    [(-10, "ingangsdatum"), (60, "loopt al af op")],
)
def test_withdrawal_dates_outside_the_period_are_refused_on_the_field(w, offset, message):
    provision = running_provision(w, weeks=4)
    before = counts(w)
    with scopes_disabled():
        proposals = Proposal.objects.count()
    end = (
        provision.start_date + timedelta(weeks=offset)
        if offset < 0
        else provision.end_date + timedelta(days=offset)
    )
    with scope(municipality=w.municipality), pytest.raises(ValidationError) as exc:
        decisions.withdrawal_draft(
            actor=w.member, case=w.case, revises=provision, end_date=end, motivation="Klaar"
        )
    assert message in " ".join(exc.value.message_dict["end_date"])
    assert counts(w) == before
    with scopes_disabled():
        assert Proposal.objects.count() == proposals


def test_withdrawal_of_an_ended_provision_is_refused(w):
    provision = running_provision(w)
    with scopes_disabled():
        Provision.objects.filter(pk=provision.pk).update(status=Provision.Status.ENDED)
    with scope(municipality=w.municipality), pytest.raises(ValidationError) as exc:
        decisions.withdrawal_draft(
            actor=w.member,
            case=w.case,
            revises=fresh(w, provision),
            end_date=timezone.localdate(),
            motivation="Klaar",
        )
    assert "revises" in exc.value.message_dict


def test_withdrawal_page_drafts_on_the_case(w, client):
    provision = running_provision(w)
    client.force_login(w.member)
    url = reverse("decisions:provision_withdraw", args=[provision.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"end_date": "", "motivation": ""})
    assert response.status_code == 200 and response.context["form"].errors.keys() >= {
        "end_date",
        "motivation",
    }
    ends = timezone.localdate() + timedelta(days=3)
    response = client.post(url, {"end_date": ends.isoformat(), "motivation": "Hersteld"})
    assert response.status_code == 302
    with scope(municipality=w.municipality):
        proposal = Proposal.objects.get(revises=provision)
    assert proposal.kind == ProposalKind.WITHDRAWAL and proposal.end_date == ends
    # Someone without a mandate who does not work on the case cannot: the gate
    # clarifier does not even see the case (404); the other law's consultant
    # sees it (a proposal of the case lay at the loket) and is refused (403).
    client.force_login(w.gate)
    assert client.get(url).status_code == 404
    client.force_login(w.consultant2)
    assert client.get(url).status_code == 403


def test_the_loket_withdraws_on_its_own_initiative(w, client):
    """A mandated loket consultant prepares a withdrawal of a team case's
    provision (the resident moved away) and decides it: the provision ends
    early, by a decision of the loket."""
    provision = running_provision(w)
    client.force_login(w.consultant)
    url = reverse("decisions:provision_withdraw", args=[provision.pk])
    assert client.get(url).status_code == 200
    ends = timezone.localdate() + timedelta(days=10)
    response = client.post(url, {"end_date": ends.isoformat(), "motivation": "Verhuisd"})
    assert response.status_code == 302
    with scope(municipality=w.municipality):
        proposal = Proposal.objects.get(revises=provision, kind=ProposalKind.WITHDRAWAL)
        assert response["Location"] == reverse("decisions:review", args=[proposal.pk])
        assert proposal.status == Proposal.Status.SUBMITTED and not proposal.is_voorwerk
        assert proposal.assigned_consultant.user == w.consultant
        decision = decisions.proposal_decide(
            actor=w.consultant, proposal=proposal, outcome="granted", queue_letter=False
        )
        assert decision.kind == ProposalKind.WITHDRAWAL
    ended = fresh(w, provision)
    assert ended.status == Provision.Status.ENDED_EARLY and ended.ended_on == ends
    # Bad input: a date after the provision's end, named on the field, nothing saved.
    other = running_provision(w, weeks=4)
    url = reverse("decisions:provision_withdraw", args=[other.pk])
    late = other.end_date + timedelta(days=1)
    response = client.post(url, {"end_date": late.isoformat(), "motivation": "Verhuisd"})
    assert response.status_code == 200 and "end_date" in response.context["form"].errors
    with scope(municipality=w.municipality):
        assert not Proposal.objects.filter(revises=other).exists()


def test_withdrawal_through_the_proposals_api(w):
    provision = running_provision(w)
    api = api_for(w.member, w.municipality)
    ends = timezone.localdate() + timedelta(days=5)
    response = api.post(
        reverse("api:proposal-list"),
        {"kind": "withdrawal", "case": w.case.pk, "motivation": "Hersteld"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"revises", "end_date"}
    response = api.post(
        reverse("api:proposal-list"),
        {
            "kind": "withdrawal",
            "case": w.case.pk,
            "revises": provision.pk,
            "end_date": ends.isoformat(),
            "motivation": "Hersteld",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "withdrawal" and body["revises"] == provision.pk
    proposal_id = body["id"]
    response = api.post(
        reverse("api:proposal-submit", args=[proposal_id]),
        {"version": body["version"]},
        format="json",
    )
    assert response.status_code == 200
    loket = api_for(w.consultant, w.municipality)
    response = loket.post(
        reverse("api:proposal-decide", args=[proposal_id]),
        {"outcome": "granted", "version": response.json()["version"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "withdrawal"
    assert fresh(w, provision).status == Provision.Status.ENDED_EARLY


# --- suspension: the mandated loket, not a decision ---------------------------------------


def test_loket_suspends_and_resumes_with_events(w):
    provision = running_provision(w)
    today = timezone.localdate()
    with scope(municipality=w.municipality):
        provision = decisions.provision_suspend(
            actor=w.consultant,
            provision=provision,
            date=today,
            reason="Opname in het ziekenhuis",
            expected_version=provision.version,
        )
        assert provision.status == Provision.Status.SUSPENDED
        assert provision.suspended_since == today
        # A suspended provision cannot be suspended again.
        with pytest.raises(DomainError):
            decisions.provision_suspend(
                actor=w.consultant, provision=provision, date=today, reason="x"
            )
        provision = decisions.provision_resume(
            actor=w.consultant,
            provision=provision,
            date=today + timedelta(days=3),
            expected_version=provision.version,
        )
        kinds = list(
            ProvisionEvent.objects.filter(provision=provision).values_list("kind", flat=True)
        )
    assert provision.status == Provision.Status.ACTIVE and provision.suspended_since is None
    assert kinds == ["suspended", "resumed"]
    with scope(municipality=w.municipality):
        assert Decision.objects.count() == 1  # not a decision


def test_a_suspended_provision_can_be_withdrawn(w):
    provision = running_provision(w)
    with scope(municipality=w.municipality):
        decisions.provision_suspend(
            actor=w.consultant, provision=provision, date=timezone.localdate(), reason="Opname"
        )
    proposal = submitted_withdrawal(w, fresh(w, provision))
    with scope(municipality=w.municipality):
        decisions.proposal_decide(
            actor=w.consultant, proposal=proposal, outcome="granted", queue_letter=False
        )
    provision = fresh(w, provision)
    assert provision.status == Provision.Status.ENDED_EARLY and provision.suspended_since is None


def test_an_ended_provision_cannot_be_suspended(w):
    provision = running_provision(w)
    with scopes_disabled():
        Provision.objects.filter(pk=provision.pk).update(status=Provision.Status.ENDED)
    before = counts(w)
    with scope(municipality=w.municipality), pytest.raises(DomainError):
        decisions.provision_suspend(
            actor=w.consultant,
            provision=fresh(w, provision),
            date=timezone.localdate(),
            reason="x",
        )
    assert counts(w) == before


@pytest.mark.parametrize(
    "who", ["member", "coordinator", "gate", "admin", "policy", "expert", "consultant2"]
)
def test_only_the_mandated_loket_suspends(w, who, client):
    provision = running_provision(w)
    before = counts(w)
    with scope(municipality=w.municipality), pytest.raises(PermissionDenied):
        decisions.provision_suspend(
            actor=getattr(w, who), provision=provision, date=timezone.localdate(), reason="x"
        )
    api = api_for(getattr(w, who), w.municipality)
    response = api.post(
        reverse("api:provision-suspend", args=[provision.pk]),
        {"date": timezone.localdate().isoformat(), "reason": "x", "version": provision.version},
        format="json",
    )
    assert response.status_code in (403, 404)
    client.force_login(getattr(w, who))
    response = client.post(
        reverse("decisions:provision_suspend", args=[provision.pk]),
        {"date": timezone.localdate().isoformat(), "reason": "x", "version": provision.version},
    )
    assert response.status_code in (403, 404)
    assert counts(w) == before


def test_suspension_dates_and_reason_are_checked_on_their_fields(w, client):
    provision = running_provision(w, weeks=4)
    before = counts(w)
    with scope(municipality=w.municipality):
        with pytest.raises(ValidationError) as exc:
            decisions.provision_suspend(
                actor=w.consultant, provision=provision, date=timezone.localdate(), reason=" "
            )
        assert "reason" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            decisions.provision_suspend(
                actor=w.consultant,
                provision=provision,
                date=provision.end_date + timedelta(days=1),
                reason="Opname",
            )
        assert "date" in exc.value.message_dict
    client.force_login(w.consultant)
    response = client.post(
        reverse("decisions:provision_suspend", args=[provision.pk]),
        {
            "date": (provision.start_date - timedelta(days=1)).isoformat(),
            "reason": "Opname",
            "version": provision.version,
        },
    )
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert counts(w) == before


def test_concurrent_suspend_is_a_version_conflict(w):
    provision = running_provision(w)
    read = provision.version
    with scope(municipality=w.municipality):
        decisions.provision_suspend(
            actor=w.consultant,
            provision=provision,
            date=timezone.localdate(),
            reason="Opname",
            expected_version=read,
        )
        with pytest.raises(ConcurrentEditError):
            decisions.provision_resume(
                actor=w.consultant,
                provision=provision,
                date=timezone.localdate(),
                expected_version=read,
            )
    api = api_for(w.consultant, w.municipality)
    response = api.post(
        reverse("api:provision-resume", args=[provision.pk]),
        {"date": timezone.localdate().isoformat(), "version": read},
        format="json",
    )
    assert response.status_code == 409


def test_suspend_and_resume_pages_and_api(w, client):
    provision = running_provision(w)
    client.force_login(w.consultant)
    detail = reverse("decisions:provision_detail", args=[provision.pk])
    page = client.get(detail)
    assert page.status_code == 200 and page.context["may_suspend"]
    suspend = reverse("decisions:provision_suspend", args=[provision.pk])
    assert client.get(suspend).status_code == 200
    response = client.post(
        suspend,
        {
            "date": timezone.localdate().isoformat(),
            "reason": "Opname",
            "version": provision.version,
        },
    )
    assert response.status_code == 302 and response["Location"] == detail
    provision = fresh(w, provision)
    assert provision.status == Provision.Status.SUSPENDED
    api = api_for(w.consultant, w.municipality)
    response = api.post(
        reverse("api:provision-resume", args=[provision.pk]),
        {"date": timezone.localdate().isoformat(), "version": provision.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "active"
    assert [e["kind"] for e in body["events"]] == ["suspended", "resumed"]
    response = api.post(
        reverse("api:provision-suspend", args=[provision.pk]),
        {"date": "", "reason": "", "version": body["version"]},
        format="json",
    )
    assert response.status_code == 400 and {"date", "reason"} <= set(response.json())


# --- ended on its date ----------------------------------------------------------------------


def test_daily_task_ends_provisions_past_their_date_with_an_event(w):
    provision = running_provision(w, weeks=1)
    suspended = running_provision(w, weeks=1)
    with scope(municipality=w.municipality):
        decisions.provision_suspend(
            actor=w.consultant, provision=suspended, date=timezone.localdate(), reason="Opname"
        )
    later = provision.end_date + timedelta(days=1)
    with scope(municipality=w.municipality):
        result = decisions.reassessments_mark(w.municipality, today=later)
    assert result["ended"] == 2
    for row in (provision, suspended):
        assert fresh(w, row).status == Provision.Status.ENDED
    with scopes_disabled():
        ended = ProvisionEvent.objects.filter(kind=ProvisionEvent.Kind.ENDED)
        assert sorted(ended.values_list("provision_id", flat=True)) == sorted(
            [provision.pk, suspended.pk]
        )
    # Idempotent: a second run ends nothing more.
    with scope(municipality=w.municipality):
        assert decisions.reassessments_mark(w.municipality, today=later)["ended"] == 0


def test_a_revision_records_the_revised_event(w):
    provision = running_provision(w)
    with scope(municipality=w.municipality):
        proposal = decisions.proposal_draft(
            actor=w.member,
            case=w.case,
            provision_type=w.household_help,
            revises=provision,
            volume=4,
            unit="hours_per_week",
            start_date=timezone.localdate(),
            end_date=timezone.localdate() + timedelta(weeks=20),
            motivation="Meer uren nodig",
            delivery_form="pgb",
            budget_amount=250,
            budget_period="per_month",
        )
        proposal = decisions.proposal_submit(actor=w.member, proposal=proposal)
        decision = decisions.proposal_decide(
            actor=w.consultant, proposal=proposal, outcome="granted", queue_letter=False
        )
        event = ProvisionEvent.objects.get(provision=provision)
    assert event.kind == ProvisionEvent.Kind.REVISED and event.decision_id == decision.pk
    assert fresh(w, provision).status == Provision.Status.REVISED


# --- who sees: pages and API -------------------------------------------------------------


def test_resident_provisions_page_lists_current_and_past(w, client, django_assert_max_num_queries):
    first = running_provision(w)
    second = running_provision(w)
    proposal = submitted_withdrawal(w, second)
    with scope(municipality=w.municipality):
        decisions.proposal_decide(
            actor=w.consultant, proposal=proposal, outcome="granted", queue_letter=False
        )
    client.force_login(w.member)
    url = reverse("decisions:resident_provisions", args=[w.case.resident_id])
    client.get(url)  # warm the per-request caches of the first request
    with django_assert_max_num_queries(22):
        response = client.get(url)
    assert response.status_code == 200
    assert {p.pk for p in response.context["provisions"]} == {first.pk, second.pk}
    # More rows, the same number of queries.
    for _ in range(3):
        running_provision(w)
    with django_assert_max_num_queries(22):
        response = client.get(url)
    assert len(response.context["provisions"]) == 5
    assert "ingetrokken per" in response.content.decode()
    # Someone of another team does not see this resident's provisions.
    client.force_login(w.driel_member)
    assert client.get(url).status_code == 404


def test_provisions_api_filters_and_fixed_queries(w, django_assert_max_num_queries):
    running_provision(w)
    api = api_for(w.member, w.municipality)
    url = reverse("api:provision-list")
    api.get(url)
    with django_assert_max_num_queries(16) as first:
        response = api.get(url, {"resident": w.case.resident_id})
    assert response.status_code == 200 and len(response.json()["results"]) == 1
    for _ in range(3):
        running_provision(w)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = api.get(url, {"resident": w.case.resident_id, "status": "active"})
    assert len(response.json()["results"]) == 4
    assert api.get(url, {"status": "ended_early"}).json()["results"] == []
    # Who may not see the case sees none of its provisions.
    other = api_for(w.driel_member, w.municipality)
    assert other.get(url).json()["results"] == []


def test_another_municipality_is_404_on_every_new_url(w, client):
    foreign = w.foreign.provision
    client.force_login(w.consultant)
    for name, arg in (
        ("decisions:resident_provisions", foreign.resident_id),
        ("decisions:provision_detail", foreign.pk),
        ("decisions:provision_suspend", foreign.pk),
        ("decisions:provision_resume", foreign.pk),
        ("decisions:provision_withdraw", foreign.pk),
    ):
        url = reverse(name, args=[arg])
        assert client.get(url).status_code == 404, name
        if name not in ("decisions:resident_provisions", "decisions:provision_detail"):
            assert client.post(url, {}).status_code == 404, name
    api = api_for(w.consultant, w.municipality)
    assert api.get(reverse("api:provision-detail", args=[foreign.pk])).status_code == 404
    for name in ("api:provision-suspend", "api:provision-resume"):
        response = api.post(
            reverse(name, args=[foreign.pk]),
            {"date": timezone.localdate().isoformat(), "reason": "x", "version": 1},
            format="json",
        )
        assert response.status_code == 404, name
    assert api.get(
        reverse("api:provision-list"), {"resident": foreign.resident_id}
    ).status_code in (
        400,
        200,
    )


def test_reads_are_logged_as_personal_data(w, client):
    from apps.audit.models import AccessLogEntry

    provision = running_provision(w)
    client.force_login(w.member)
    with scopes_disabled():
        before = AccessLogEntry.objects.count()
    client.get(reverse("decisions:provision_detail", args=[provision.pk]))
    client.get(reverse("decisions:resident_provisions", args=[w.case.resident_id]))
    api_for(w.member, w.municipality).get(reverse("api:provision-detail", args=[provision.pk]))
    with scopes_disabled():
        entries = list(AccessLogEntry.objects.order_by("pk")[before:])
    assert len(entries) >= 3
    assert all(e.resident_id == w.case.resident_id for e in entries[-3:])


def test_the_change_pages_name_the_resident_so_their_reads_are_logged(w, client):
    """The suspend, resume and withdraw forms show the provision, with the
    resident's name, in their title: each showing is a logged read."""
    from apps.audit.models import AccessLogEntry

    provision = running_provision(w)
    pages = [
        (w.consultant, "decisions:provision_suspend"),
        (w.consultant, "decisions:provision_resume"),
        (w.member, "decisions:provision_withdraw"),
    ]
    for user, name in pages:
        client.force_login(user)
        with scopes_disabled():
            before = AccessLogEntry.objects.count()
        response = client.get(reverse(name, args=[provision.pk]))
        assert response.status_code == 200, name
        with scopes_disabled():
            entries = list(AccessLogEntry.objects.order_by("pk")[before:])
        assert [(e.resident_id, e.user_id) for e in entries] == [(w.case.resident_id, user.pk)], (
            name
        )


# --- docs/permissions.md: the table of a provision's lifecycle, every cell --------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
ROLE_COLUMNS = {
    "team member (own team)": "member",
    "coordinator (own team)": "coordinator",
    "loket consultant (Wmo)": "consultant",
    "loket consultant (other law)": "consultant2",
    "other team member": "driel_member",
    "gate clarifier": "gate",
    "behavioural expert": "expert",
    "municipality admin": "admin",
    "policy advisor": "policy",
}


def lifecycle_table() -> dict:
    lines = DOC.read_text().splitlines()
    start = lines.index("## A provision's lifecycle (#21 part 2)")
    header_at = next(i for i in range(start, len(lines)) if lines[i].startswith("| action |"))
    roles = [c.strip() for c in lines[header_at].strip("|").split("|")][1:]
    table = {}
    for line in lines[header_at + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        action = cells[0].split("`")[1]
        table[action] = {role: cell == "yes" for role, cell in zip(roles, cells[1:], strict=True)}
    return table


def _allowed(call, *args) -> bool:
    try:
        call(*args)
    except (PermissionDenied, Http404):
        return False
    return True


def test_every_cell_of_the_lifecycle_table(w):
    table = lifecycle_table()
    assert set(table) == {
        "provision.view",
        "provision.suspend",
        "provision.withdrawal_propose",
        "provision.withdrawal_decide",
    }
    provision = running_provision(w)
    for column, who in ROLE_COLUMNS.items():
        user = getattr(w, who)
        with scope(municipality=w.municipality):
            current = Provision.objects.get(pk=provision.pk)
            actual = {
                "provision.view": rules.can_view_provision(user, current),
                "provision.suspend": rules.may_suspend_provision(user, current)
                and _allowed(decisions.require_provision_mandate, user, current),
                # the team as voorwerk, or the mandated loket on its own initiative
                "provision.withdrawal_propose": _allowed(require_case_worker, user, current.case)
                or _allowed(decisions.require_provision_mandate, user, current),
            }
            proposal = Proposal(
                municipality=w.municipality,
                case=current.case,
                provision_type=current.provision_type,
                kind=ProposalKind.WITHDRAWAL,
                revises=current,
            )
            actual["provision.withdrawal_decide"] = _allowed(
                decisions.require_mandate, user, proposal
            )
        for action, cells in table.items():
            assert actual[action] == cells[column], (action, column)


def test_the_review_page_reads_as_a_withdrawal(w, client):
    provision = running_provision(w)
    proposal = submitted_withdrawal(w, provision)
    client.force_login(w.consultant)
    response = client.get(reverse("decisions:review", args=[proposal.pk]))
    html = response.content.decode()
    assert "Voorstel tot intrekking." in html and "Intrekken zoals voorgesteld" in html
    assert "Toekennen met wijzigingen" not in html
