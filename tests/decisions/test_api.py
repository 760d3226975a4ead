"""The decisions API: the provision catalogue, proposals (voorwerk), the review
queue, deciding (only a mandated loket consultant; once), deadlines, decisions
and the decision letter."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.decisions import services as decisions
from apps.decisions.models import DeadlineChange, Decision, Proposal, Provision, ProvisionType
from tests.cases.api_world import api_for, build_world, open_case, submitted_proposal
from tests.conftest import residents_shown_by
from tests.factories import ProposalFactory

A = AccessLogEntry.Action


@pytest.fixture
def w(municipality, other_municipality):
    return build_world(municipality, other_municipality)


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def decide(w, user, proposal, **body):
    body.setdefault("version", proposal.version)
    return api_for(user, w.municipality).post(
        f"/api/v1/proposals/{proposal.pk}/decide/", body, format="json"
    )


def decision_count(w):
    with scopes_disabled():
        return Decision.objects.filter(municipality=w.municipality).count()


# --- the provision catalogue -----------------------------------------------------------


def test_staff_read_the_catalogue_and_the_admin_changes_it(w):
    listed = api_for(w.member, w.municipality).get("/api/v1/provision-types/")
    assert {row["name"] for row in listed.json()["results"]} == {
        "Hulp bij het huishouden",
        "Jeugdhulp",
    }
    assert (
        api_for(w.member, w.municipality)
        .post("/api/v1/provision-types/", {"name": "X"}, format="json")
        .status_code
        == 403
    )
    admin = api_for(w.admin, w.municipality)
    created = admin.post(
        "/api/v1/provision-types/",
        {
            "name": "Rolstoel",
            "law": "wmo",
            "legal_basis": "artikel 2.3.5 Wmo 2015",
            "unit": "piece",
            "end_date_required": False,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/provision-types/{created.json()['id']}/"
    changed = admin.patch(url, {"is_active": False, "version": 1}, format="json")
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = admin.patch(url, {"name": "Scootmobiel", "version": 1}, format="json")
    assert stale.status_code == 409
    duplicate = admin.post(
        "/api/v1/provision-types/",
        {"name": "Jeugdhulp", "law": "jeugdwet", "legal_basis": "art. 2.3", "unit": "trajectory"},
        format="json",
    )
    assert duplicate.status_code == 400 and "name" in duplicate.json()
    foreign = admin.get(f"/api/v1/provision-types/{w.foreign.provision_type.pk}/")
    assert foreign.status_code == 404


# --- proposals -------------------------------------------------------------------------


def draft(w, api=None, **overrides):
    case = overrides.pop("case", None) or open_case(w).pk
    today = timezone.localdate()
    body = {
        "case": case,
        "provision_type": w.household_help.pk,
        "volume": "3.00",
        "unit": "hours_per_week",
        "frequency": "per_week",
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(weeks=26)).isoformat(),
        "motivation": "Kan het huishouden niet meer aan.",
        "delivery_form": "pgb",
        "budget_amount": "250.00",
        "budget_period": "per_month",
        **overrides,
    }
    return (api or api_for(w.member, w.municipality)).post(
        "/api/v1/proposals/", body, format="json"
    )


def test_a_team_member_drafts_changes_and_submits_a_proposal(w):
    response = draft(w)
    assert response.status_code == 201, response.content
    proposal = response.json()
    assert proposal["status"] == "draft" and proposal["is_voorwerk"] is True
    api = api_for(w.member, w.municipality)
    url = f"/api/v1/proposals/{proposal['id']}/"
    changed = api.patch(url, {"volume": "4.00", "version": proposal["version"]}, format="json")
    assert changed.status_code == 200 and changed.json()["volume"] == "4.00"
    submitted = api.post(url + "submit/", {"version": changed.json()["version"]}, format="json")
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["status"] == "submitted"
    assert body["application_date"] == timezone.localdate().isoformat()
    assert body["decision_deadline"] == (timezone.localdate() + timedelta(weeks=2)).isoformat()
    with scope(municipality=w.municipality):
        assert body["assigned_consultant"] == w.kernteam.linked_loket_consultant_id
    # Submitted: no longer editable.
    locked = api.patch(url, {"volume": "5.00", "version": body["version"]}, format="json")
    assert locked.status_code == 400 and "niet meer gewijzigd" in str(locked.json())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"unit": ""}, "unit"),
        ({"end_date": "2020-01-01"}, "end_date"),
        ({"provision_type": "foreign"}, "provision_type"),
        ({"case": "foreign"}, "case"),
        ({"motivation": ""}, "motivation"),
    ],
    ids=["volume-without-unit", "end-before-start", "foreign-provision", "foreign-case", "no-why"],
)
def test_bad_proposals_are_refused_and_nothing_is_saved(w, overrides, field):
    foreign = {"provision_type": w.foreign.provision_type.pk, "case": w.foreign.case.pk}
    overrides = {k: (foreign[k] if v == "foreign" else v) for k, v in overrides.items()}
    response = draft(w, **overrides)
    assert response.status_code == 400, response.content
    assert field in response.json()
    with scope(municipality=w.municipality):
        assert not Proposal.objects.exists()


def test_an_inactive_provision_is_not_in_the_catalogue_for_proposals(w):
    with scope(municipality=w.municipality):
        ProvisionType.objects.filter(pk=w.household_help.pk).update(is_active=False)
    response = draft(w)
    assert response.status_code == 400 and "provision_type" in response.json()


def test_proposal_lists_and_the_review_queue(w):
    proposal = submitted_proposal(w)
    member = api_for(w.member, w.municipality)
    assert ids(member.get("/api/v1/proposals/")) == [proposal.pk]
    assert member.get("/api/v1/proposals/", {"queue": "true"}).status_code == 403
    # A consultant of the loket who is not linked to the team sees it once submitted.
    queue = api_for(w.consultant2, w.municipality).get("/api/v1/proposals/", {"queue": "true"})
    assert ids(queue) == [proposal.pk]
    assert "motivation" not in queue.json()["results"][0]
    assert ids(api_for(w.driel_member, w.municipality).get("/api/v1/proposals/")) == []
    assert api_for(w.policy, w.municipality).get("/api/v1/proposals/").status_code == 403
    detail = api_for(w.consultant2, w.municipality).get(f"/api/v1/proposals/{proposal.pk}/")
    assert detail.json()["motivation"] == "Kan het huishouden niet meer aan."
    with scopes_disabled():
        assert AccessLogEntry.objects.filter(action=A.VIEW, object_type="decisions.proposal")
    foreign = member.get(f"/api/v1/proposals/{w.foreign.proposal.pk}/")
    assert foreign.status_code == 404


def test_the_proposal_list_has_a_fixed_number_of_queries(w, django_assert_max_num_queries):
    case = open_case(w)
    api = api_for(w.consultant, w.municipality)

    def add(n):
        with scope(municipality=w.municipality):
            for _ in range(n):
                ProposalFactory(municipality=w.municipality, case=case, provision_type=w.youth_care)

    add(2)
    with django_assert_max_num_queries(40) as small:
        assert len(ids(api.get("/api/v1/proposals/"))) == 2
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(ids(api.get("/api/v1/proposals/"))) == 22


# --- deciding --------------------------------------------------------------------------


def test_the_loket_consultant_grants_and_the_letter_can_be_downloaded(
    w, django_capture_on_commit_callbacks
):
    proposal = submitted_proposal(w)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(w, w.consultant, proposal, outcome="granted")
    assert response.status_code == 201, response.content
    decision = response.json()
    assert decision["outcome"] == "granted" and decision["via_voorwerk"] is True
    assert decision["consultant_name"] == w.consultant.full_name
    assert response["Location"] == f"/api/v1/decisions/{decision['id']}/"
    with scope(municipality=w.municipality):
        assert Provision.objects.filter(decision_id=decision["id"]).exists()
        assert Proposal.objects.get(pk=proposal.pk).status == "decided"
    # The letter was built on commit; the member of the team may have it.
    api = api_for(w.member, w.municipality)
    listed = api.get("/api/v1/decisions/").json()["results"]
    assert [row["id"] for row in listed] == [decision["id"]] and listed[0]["has_letter"]
    letter = api.get(f"/api/v1/decisions/{decision['id']}/letter/")
    assert letter.status_code == 200, letter.content
    assert letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF")
    with scopes_disabled():
        assert AccessLogEntry.objects.filter(action=A.DOWNLOAD, object_id=str(decision["id"]))
        assert AccessLogEntry.objects.filter(action=A.DECIDE, object_id=str(decision["id"]))
    other = api_for(w.driel_member, w.municipality)
    assert other.get(f"/api/v1/decisions/{decision['id']}/letter/").status_code == 404
    assert other.get(f"/api/v1/decisions/{decision['id']}/").status_code == 404


def test_the_letter_is_404_until_it_is_built(w):
    proposal = submitted_proposal(w)
    response = decide(
        w, w.consultant, proposal, outcome="returned", reasons="Graag het advies van de huisarts."
    )
    assert response.status_code == 201
    api = api_for(w.consultant, w.municipality)
    assert api.get(f"/api/v1/decisions/{response.json()['id']}/letter/").status_code == 404


def test_a_kernteam_member_cannot_decide_and_nothing_is_saved(w):
    proposal = submitted_proposal(w)
    response = decide(w, w.member, proposal, outcome="granted")
    assert response.status_code == 403
    assert decision_count(w) == 0
    with scope(municipality=w.municipality):
        assert Proposal.objects.get(pk=proposal.pk).status == "submitted"


def test_a_consultant_without_the_mandate_for_the_law_cannot_decide(w):
    proposal = submitted_proposal(w, provision_type=w.youth_care)
    response = decide(w, w.consultant2, proposal, outcome="granted")
    assert response.status_code == 403
    assert "mandaat" in response.json()["detail"]
    assert decision_count(w) == 0


def test_deciding_a_decided_proposal_is_409_naming_who_decided(w):
    proposal = submitted_proposal(w)
    assert decide(w, w.consultant, proposal, outcome="granted").status_code == 201
    with scope(municipality=w.municipality):
        proposal.refresh_from_db()
    again = decide(w, w.consultant2, proposal, outcome="refused", reasons="Nee")
    assert again.status_code == 409
    assert "al besloten" in again.json()["detail"]
    assert w.consultant.full_name in again.json()["detail"]
    assert decision_count(w) == 1


def test_deciding_a_withdrawn_proposal_is_409(w):
    proposal = submitted_proposal(w)
    with scope(municipality=w.municipality):
        proposal = decisions.proposal_withdraw(actor=w.member, proposal=proposal)
    response = decide(w, w.consultant, proposal, outcome="granted")
    assert response.status_code == 409 and "ingetrokken" in response.json()["detail"]
    assert decision_count(w) == 0


def test_a_stale_version_on_decide_is_409(w):
    proposal = submitted_proposal(w)
    response = decide(w, w.consultant, proposal, outcome="granted", version=proposal.version - 1)
    assert response.status_code == 409
    assert decision_count(w) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome": "refused"}, "reasons"),
        ({"outcome": "refused", "reasons": "  "}, "reasons"),
        ({"outcome": "granted_changed", "reasons": "Minder", "end_date": "2000-01-01"}, "end_date"),
        ({"outcome": "granted_changed", "reasons": "Meer", "unit": ""}, "unit"),
        ({"outcome": "granted", "volume": "1.00"}, "volume"),
        ({"outcome": "maybe"}, "outcome"),
    ],
    ids=[
        "refusal-without-reasons",
        "blank-reasons",
        "end-before-start",
        "no-unit",
        "change-on-grant",
        "bad",
    ],
)
def test_bad_decisions_are_refused_and_nothing_is_saved(w, body, field):
    proposal = submitted_proposal(w)
    response = decide(w, w.consultant, proposal, **body)
    assert response.status_code == 400, response.content
    assert field in response.json() or field in str(response.json())
    assert decision_count(w) == 0


def test_grant_changed_records_the_changed_volume(w):
    proposal = submitted_proposal(w)
    response = decide(
        w,
        w.consultant,
        proposal,
        outcome="granted_changed",
        reasons="Twee uur volstaat.",
        volume="2.00",
    )
    assert response.status_code == 201, response.content
    with scope(municipality=w.municipality):
        assert Provision.objects.get().volume == Decimal("2.00")


def test_a_proposal_of_another_municipality_cannot_be_decided(w):
    response = decide(w, w.consultant, w.foreign.proposal, outcome="granted")
    assert response.status_code == 404
    with scopes_disabled():
        assert not Decision.objects.exists()


def test_the_loket_extends_the_deadline_with_a_reason(w):
    proposal = submitted_proposal(w)
    new_date = proposal.decision_deadline + timedelta(weeks=2)
    api = api_for(w.consultant, w.municipality)
    url = f"/api/v1/proposals/{proposal.pk}/deadline/"
    response = api.post(
        url,
        {"kind": "extend", "new_date": new_date.isoformat(), "reason": "Advies nodig."},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["decision_deadline"] == new_date.isoformat()
    assert response.json()["deadline_changes"][0]["reason"] == "Advies nodig."
    earlier = api.post(
        url,
        {"kind": "extend", "new_date": proposal.decision_deadline.isoformat(), "reason": "x"},
        format="json",
    )
    assert earlier.status_code == 400 and "new_date" in earlier.json()
    member = api_for(w.member, w.municipality).post(
        url, {"kind": "extend", "new_date": new_date.isoformat(), "reason": "x"}, format="json"
    )
    assert member.status_code == 403
    with scope(municipality=w.municipality):
        assert DeadlineChange.objects.count() == 1


def test_decisions_are_read_only_in_the_api(w):
    proposal = submitted_proposal(w)
    decision_id = decide(w, w.consultant, proposal, outcome="granted").json()["id"]
    api = api_for(w.consultant, w.municipality)
    url = f"/api/v1/decisions/{decision_id}/"
    assert api.patch(url, {"outcome": "refused"}, format="json").status_code == 405
    assert api.delete(url).status_code == 405
    assert api.post("/api/v1/decisions/", {}, format="json").status_code == 405
    assert api.get(url).json()["reasons"] == ""
    with scopes_disabled():
        assert Decision.objects.get(pk=decision_id).outcome == "granted"


# --- lists are reads ---------------------------------------------------------------------


def test_proposal_and_decision_lists_log_one_entry_naming_the_residents_shown(w):
    proposal = submitted_proposal(w)
    queue = api_for(w.consultant2, w.municipality).get("/api/v1/proposals/", {"queue": "true"})
    assert ids(queue) == [proposal.pk]
    with scopes_disabled():
        [listed] = AccessLogEntry.objects.filter(
            object_type="decisions.proposal", user=w.consultant2
        )
    assert listed.action == A.VIEW
    assert listed.object_ids == [proposal.pk] and residents_shown_by(listed) == [
        proposal.resident_id
    ]
    response = decide(w, w.consultant, proposal, outcome="granted")
    assert response.status_code == 201, response.content
    assert ids(api_for(w.member, w.municipality).get("/api/v1/decisions/")) == [
        response.json()["id"]
    ]
    with scopes_disabled():
        [listed] = AccessLogEntry.objects.filter(object_type="decisions.decision", user=w.member)
    assert listed.object_ids == [response.json()["id"]]
    assert residents_shown_by(listed) == [proposal.resident_id]
