"""Objections (bezwaar, #21 part 3): registering one against a decision, its
statutory clock (Awb 7:10), the withdrawal, and the decision on it — under the
same mandate as the decision, never by the consultant who made it (Awb 7:5),
written once — with the new decision after a well-founded objection through
`proposal_decide`, the letter, the pages, the API and the report."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.core.exceptions import ConcurrentEditError, DomainError
from apps.core.models import AppendOnlyError
from apps.decisions import services
from apps.decisions.letters import render_objection_letter_html
from apps.decisions.models import (
    Decision,
    Objection,
    ObjectionDecision,
    ObjectionLetter,
    Proposal,
    Provision,
)
from apps.teams.models import Membership, Team
from tests.cases.api_world import api_for
from tests.conftest import make_person
from tests.decisions.conftest import submitted_proposal
from tests.factories import ObjectionFactory, TeamFactory

F = Membership.Function
TODAY = timezone.localdate


@pytest.fixture
def people(town):
    """Beside the town's people: a Wmo colleague at the loket (decides on
    objections against the consultant's decisions), a gate clarifier of the loket,
    the coordinator of Elst and the municipality admin."""
    m = town["m"]
    return {
        **town,
        "colleague": make_person(m, memberships=[(town["loket"], F.CONSULTANT)]),
        "gate": make_person(m, memberships=[(town["loket"], F.GATE_CLARIFIER)]),
        "coordinator": make_person(m, memberships=[(town["elst"], F.COORDINATOR)]),
        "admin": make_person(m, admin=True),
    }


def decided(town, outcome="granted", **kw):
    """A decision by the town's (Wmo) consultant on a proposal of Elst."""
    proposal = submitted_proposal(town, **kw)
    reasons = "Niet nodig." if outcome == "refused" else ""
    with scope(municipality=town["m"]):
        return services.proposal_decide(
            actor=town["consultant"], proposal=proposal, outcome=outcome, reasons=reasons
        )


def register(people, decision, actor=None, **kw):
    values = {
        "received_on": TODAY(),
        "lodged_by_name": "Anna de Vries",
        "lodged_by_relation": "resident",
        "grounds": "Drie uur per week is te weinig.",
    }
    values.update(kw)
    with scope(municipality=people["m"]):
        return services.objection_register(
            actor=actor or people["consultant"], decision=decision, **values
        )


def count(model, m):
    with scopes_disabled():
        return model.objects.filter(municipality=m).count()


# --- the clock (Awb 6:7, 6:8, 7:10) ------------------------------------------------------


def test_the_term_is_six_weeks_after_the_objection_period(people):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        decision = decided(people)
    objection = register(people, decision, received_on=date(2026, 3, 10))
    # Objection period: 6 weeks after the decision (up to 13 April); the term
    # counts from the day after, six weeks: 25 May.
    assert decision.objection_deadline == date(2026, 4, 13)
    assert objection.deadline == objection.statutory_deadline == date(2026, 5, 25)
    assert not objection.late


def test_twelve_weeks_with_an_advisory_committee(people):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        decision = decided(people)
    objection = register(people, decision, received_on=date(2026, 3, 10), advisory_committee=True)
    assert objection.deadline == date(2026, 7, 6)


def test_a_late_objection_counts_from_receipt_and_is_marked(people):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        decision = decided(people)
    objection = register(people, decision, received_on=date(2026, 4, 20))
    assert objection.late
    assert objection.deadline == date(2026, 6, 1)


def test_the_term_is_extended_once_by_at_most_six_weeks_with_a_reason(people):
    objection = register(people, decided(people))
    with scope(municipality=people["m"]):
        with pytest.raises(ValidationError) as exc:
            services.objection_extend(
                actor=people["consultant"], objection=objection, weeks=7, reason="Advies"
            )
        assert "weeks" in exc.value.error_dict
        with pytest.raises(ValidationError) as exc:
            services.objection_extend(
                actor=people["consultant"], objection=objection, weeks=6, reason=" "
            )
        assert "reason" in exc.value.error_dict
        extended = services.objection_extend(
            actor=people["gate"],
            objection=objection,
            weeks=6,
            reason="Advies van de commissie nodig.",
            expected_version=objection.version,
        )
        assert extended.deadline == objection.statutory_deadline + timedelta(weeks=6)
        assert extended.extension_reason == "Advies van de commissie nodig."
        with pytest.raises(DomainError, match="één keer"):
            services.objection_extend(
                actor=people["consultant"], objection=extended, weeks=1, reason="Nog eens"
            )


# --- registering -------------------------------------------------------------------------


def test_bad_input_names_the_field_and_saves_nothing(people):
    decision = decided(people)
    for field, values in {
        "received_on": {"received_on": TODAY() + timedelta(days=1)},
        "grounds": {"grounds": "   "},
        "lodged_by_name": {"lodged_by_name": ""},
        "lodged_by_relation": {"lodged_by_relation": "neighbour"},
    }.items():
        with pytest.raises(ValidationError) as exc:
            register(people, decision, **values)
        assert field in exc.value.error_dict
    with time_machine.travel(date(2026, 3, 2), tick=False):
        old = decided(people)
    with pytest.raises(ValidationError, match="voor het besluit"):
        register(people, old, received_on=date(2026, 3, 1))
    assert count(Objection, people["m"]) == 0


def test_no_objection_against_a_return_for_information(people):
    proposal = submitted_proposal(people)
    with scope(municipality=people["m"]):
        returned = services.proposal_decide(
            actor=people["consultant"], proposal=proposal, outcome="returned", reasons="Welke?"
        )
    with pytest.raises(ValidationError) as exc:
        register(people, returned)
    assert "decision" in exc.value.error_dict


@pytest.mark.parametrize("who", ["member", "coordinator", "admin"])
def test_only_the_loket_registers(people, who):
    with pytest.raises(PermissionDenied):
        register(people, decided(people), actor=people[who])
    assert count(Objection, people["m"]) == 0


def test_a_gate_clarifier_of_the_loket_registers_and_withdraws(people):
    objection = register(people, decided(people), actor=people["gate"])
    with scope(municipality=people["m"]):
        withdrawn = services.objection_withdraw(
            actor=people["gate"],
            objection=objection,
            withdrawn_on=TODAY(),
            expected_version=objection.version,
        )
        assert withdrawn.status == Objection.Status.WITHDRAWN
        with pytest.raises(DomainError):
            services.objection_decide(
                actor=people["colleague"], objection=withdrawn, outcome="unfounded", reasons="r"
            )
    assert count(ObjectionDecision, people["m"]) == 0


# --- deciding: the mandate, Awb 7:5, once --------------------------------------------------


def test_the_maker_of_the_decision_does_not_decide_on_the_objection(people):
    objection = register(people, decided(people))
    with scope(municipality=people["m"]), pytest.raises(PermissionDenied, match="7:5"):
        services.objection_decide(
            actor=people["consultant"], objection=objection, outcome="unfounded", reasons="r"
        )
    assert count(ObjectionDecision, people["m"]) == 0


@pytest.mark.parametrize("who", ["member", "coordinator", "gate", "admin", "youth_consultant"])
def test_who_may_not_decide_on_an_objection_is_refused(people, who):
    objection = register(people, decided(people))
    with scope(municipality=people["m"]), pytest.raises(PermissionDenied):
        services.objection_decide(
            actor=people[who], objection=objection, outcome="unfounded", reasons="r"
        )
    assert count(ObjectionDecision, people["m"]) == 0
    with scopes_disabled():
        assert Objection.objects.get(pk=objection.pk).status == Objection.Status.OPEN


def test_unfounded_is_written_once_and_never_changed(people):
    objection = register(people, decided(people))
    with scope(municipality=people["m"]):
        result = services.objection_decide(
            actor=people["colleague"],
            objection=objection,
            outcome="unfounded",
            reasons="Het besluit klopt.",
            expected_version=objection.version,
        )
        assert result.outcome == "unfounded"
        assert Objection.objects.get(pk=objection.pk).status == Objection.Status.DECIDED
        with pytest.raises(DomainError, match="Dit bezwaar is al"):
            services.objection_decide(
                actor=people["colleague"], objection=objection, outcome="well_founded", reasons="r"
            )
        with pytest.raises(AppendOnlyError):
            result.save()
        with pytest.raises(AppendOnlyError):
            ObjectionDecision.objects.filter(pk=result.pk).update(outcome="well_founded")
        with pytest.raises(AppendOnlyError):
            result.delete()
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE decisions_objectiondecision SET outcome = 'well_founded'")
    assert count(ObjectionDecision, people["m"]) == 1


def test_a_concurrent_decision_gets_a_version_conflict(people):
    objection = register(people, decided(people))
    with scope(municipality=people["m"]):
        services.objection_extend(
            actor=people["gate"], objection=objection, weeks=2, reason="Hoorzitting"
        )
        with pytest.raises(ConcurrentEditError):
            services.objection_decide(
                actor=people["colleague"],
                objection=objection,
                outcome="unfounded",
                reasons="r",
                expected_version=objection.version,
            )
    assert count(ObjectionDecision, people["m"]) == 0


def test_bad_decide_input_names_the_field(people):
    objection = register(people, decided(people))
    with scope(municipality=people["m"]), pytest.raises(ValidationError) as exc:
        services.objection_decide(
            actor=people["colleague"], objection=objection, outcome="maybe", reasons=""
        )
    assert {"outcome", "reasons"} <= set(exc.value.error_dict)
    assert count(ObjectionDecision, people["m"]) == 0


def test_well_founded_leads_to_a_new_decision_through_proposal_decide(people):
    decision = decided(people)
    objection = register(people, decision)
    with scope(municipality=people["m"]):
        services.objection_decide(
            actor=people["colleague"],
            objection=objection,
            outcome="well_founded",
            reasons="Vijf uur is nodig.",
        )
        objection = Objection.objects.get(pk=objection.pk)
        proposal = objection.new_proposal
        assert proposal is not None and not proposal.is_voorwerk
        assert proposal.status == Proposal.Status.SUBMITTED
        assert proposal.case_id == decision.case_id
        assert proposal.volume == decision.volume
        provision = Provision.objects.get(decision=decision)
        assert proposal.revises_id == provision.pk
        # The team member still cannot decide it; the colleague decides it changed.
        with pytest.raises(PermissionDenied):
            services.proposal_decide(actor=people["member"], proposal=proposal, outcome="granted")
        new = services.proposal_decide(
            actor=people["colleague"],
            proposal=proposal,
            outcome="granted_changed",
            reasons="Na bezwaar: vijf uur.",
            volume=5,
        )
        assert new.volume == 5
        assert Provision.objects.get(pk=provision.pk).status == Provision.Status.REVISED


# --- the letter ----------------------------------------------------------------------------


def test_the_letter_states_the_outcome_reasons_and_the_new_decision(
    people, django_capture_on_commit_callbacks
):
    objection = register(people, decided(people))
    with (
        scope(municipality=people["m"]),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = services.objection_decide(
            actor=people["colleague"],
            objection=objection,
            outcome="well_founded",
            reasons="De zorgbehoefte is groter dan aangenomen.",
        )
    with scope(municipality=people["m"]):
        html = render_objection_letter_html(result)
        assert "Wij verklaren uw bezwaar gegrond" in html
        assert "De zorgbehoefte is groter dan aangenomen." in html
        assert "nieuw besluit" in html
        assert "Anna de Vries" in html
        # Built after the commit (eagerly in tests), once.
        letter = ObjectionLetter.objects.get(objection_decision=result)
        assert services.objection_letter_build(result).pk == letter.pk


# --- pages ---------------------------------------------------------------------------------


def test_register_and_decide_on_the_pages(people, client):
    decision = decided(people)
    client.force_login(people["consultant"])
    page = client.get(reverse("decisions:detail", args=[decision.pk]))
    assert "Bezwaar registreren" in page.content.decode()
    url = reverse("decisions:objection_register", args=[decision.pk])
    response = client.post(
        url,
        {
            "received_on": TODAY().isoformat(),
            "lodged_by_name": "Anna de Vries",
            "lodged_by_relation": "resident",
            "grounds": "Te weinig uren.",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        objection = Objection.objects.get(decision=decision)
    detail = client.get(response["Location"])
    assert "Te weinig uren." in detail.content.decode()
    # The maker may not decide: the page says why.
    refused = client.get(reverse("decisions:objection_decide", args=[objection.pk]))
    assert refused.status_code == 403 and "7:5" in refused.content.decode()
    client.force_login(people["colleague"])
    response = client.post(
        reverse("decisions:objection_decide", args=[objection.pk]),
        {"outcome": "well_founded", "reasons": "Meer uren nodig.", "version": objection.version},
    )
    assert response.status_code == 302
    detail = client.get(reverse("decisions:objection_detail", args=[objection.pk])).content.decode()
    assert "gegrond" in detail and "Nieuw besluit voorbereiden" in detail


def test_bad_input_on_the_page_is_shown_on_the_field(people, client):
    decision = decided(people)
    client.force_login(people["consultant"])
    response = client.post(
        reverse("decisions:objection_register", args=[decision.pk]),
        {
            "received_on": (TODAY() + timedelta(days=3)).isoformat(),
            "lodged_by_name": "Anna",
            "lodged_by_relation": "resident",
            "grounds": "",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "grounds" in form.errors
    assert count(Objection, people["m"]) == 0
    response = client.post(
        reverse("decisions:objection_register", args=[decision.pk]),
        {
            "received_on": (TODAY() + timedelta(days=3)).isoformat(),
            "lodged_by_name": "Anna",
            "lodged_by_relation": "resident",
            "grounds": "Te weinig.",
        },
    )
    assert "received_on" in response.context["form"].errors
    assert "toekomst" in response.content.decode()
    assert count(Objection, people["m"]) == 0


def test_withdraw_and_extend_on_the_pages(people, client):
    objection = register(people, decided(people))
    client.force_login(people["gate"])
    response = client.post(
        reverse("decisions:objection_extend", args=[objection.pk]),
        {"weeks": 3, "reason": "Hoorzitting", "version": objection.version},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("decisions:objection_withdraw", args=[objection.pk]),
        {"withdrawn_on": TODAY().isoformat(), "version": objection.version},
    )
    assert response.status_code == 200  # the version read is stale
    assert count(Objection, people["m"]) == 1
    with scopes_disabled():
        objection = Objection.objects.get(pk=objection.pk)
    assert objection.status == Objection.Status.OPEN
    response = client.post(
        reverse("decisions:objection_withdraw", args=[objection.pk]),
        {"withdrawn_on": TODAY().isoformat(), "version": objection.version},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Objection.objects.get(pk=objection.pk).status == Objection.Status.WITHDRAWN


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_a_team_reads_but_does_not_act(people, client, who):
    objection = register(people, decided(people))
    client.force_login(people[who])
    assert client.get(reverse("decisions:objection_detail", args=[objection.pk])).status_code == 200
    for name in ("objection_extend", "objection_withdraw", "objection_decide"):
        assert client.get(reverse(f"decisions:{name}", args=[objection.pk])).status_code == 403
    assert (
        client.get(
            reverse("decisions:objection_register", args=[objection.decision_id])
        ).status_code
        == 403
    )


def test_a_team_that_does_not_see_the_case_gets_404(people, client):
    objection = register(people, decided(people))
    client.force_login(people["driel_member"])
    assert client.get(reverse("decisions:objection_detail", args=[objection.pk])).status_code == 404
    listed = client.get(reverse("decisions:objection_list"))
    assert list(listed.context["objections"]) == []


def test_another_municipality_gets_404_everywhere(people, client, other_municipality):
    objection = register(people, decided(people))
    with scope(municipality=other_municipality):
        loket_b = TeamFactory(municipality=other_municipality, kind=Team.Kind.LOKET)
    consultant_b = make_person(other_municipality, memberships=[(loket_b, F.CONSULTANT)])
    client.force_login(consultant_b)
    for name in (
        "objection_detail",
        "objection_extend",
        "objection_withdraw",
        "objection_decide",
        "objection_letter",
    ):
        assert client.get(reverse(f"decisions:{name}", args=[objection.pk])).status_code == 404
    register_url = reverse("decisions:objection_register", args=[objection.decision_id])
    assert client.get(register_url).status_code == 404
    api = api_for(consultant_b, other_municipality)
    assert api.get(f"/api/v1/objections/{objection.pk}/").status_code == 404
    for step in ("extend", "withdraw", "decide"):
        assert api.post(f"/api/v1/objections/{objection.pk}/{step}/", {}).status_code == 404
    assert api.get("/api/v1/objections/").json()["results"] == []


def test_the_list_and_the_deadlines_show_open_objections_in_fixed_queries(
    people, client, django_assert_max_num_queries
):
    for _ in range(3):
        register(people, decided(people))
    client.force_login(people["consultant"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("decisions:objection_list"))
    assert len(response.context["objections"]) == 3
    for _ in range(3):
        register(people, decided(people))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("decisions:objection_list"))
    assert len(response.context["objections"]) == 6
    with scopes_disabled():
        Objection.objects.update(deadline=TODAY() + timedelta(days=2))
    deadlines = client.get(reverse("decisions:deadlines"))
    assert len(deadlines.context["objections"]) == 6
    assert "Beslissingen op bezwaar" in deadlines.content.decode()


# --- the API -------------------------------------------------------------------------------


def test_the_api_registers_extends_and_decides(people):
    decision = decided(people)
    api = api_for(people["consultant"], people["m"])
    created = api.post(
        "/api/v1/objections/",
        {
            "decision": decision.pk,
            "received_on": TODAY().isoformat(),
            "lodged_by_name": "Anna de Vries",
            "lodged_by_relation": "representative",
            "grounds": "Te weinig.",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "open" and body["late"] is False
    pk = body["id"]
    bad = api.post(
        "/api/v1/objections/",
        {
            "decision": decision.pk,
            "received_on": (TODAY() + timedelta(days=1)).isoformat(),
            "lodged_by_name": "A",
            "lodged_by_relation": "resident",
            "grounds": "x",
        },
        format="json",
    )
    assert bad.status_code == 400 and "received_on" in bad.json()
    extended = api.post(
        f"/api/v1/objections/{pk}/extend/",
        {"weeks": 2, "reason": "Hoorzitting", "version": body["version"]},
        format="json",
    )
    assert extended.status_code == 200, extended.content
    # The maker of the decision: 403.
    refused = api.post(
        f"/api/v1/objections/{pk}/decide/",
        {"outcome": "unfounded", "reasons": "r", "version": extended.json()["version"]},
        format="json",
    )
    assert refused.status_code == 403
    member = api_for(people["member"], people["m"])
    assert member.get(f"/api/v1/objections/{pk}/").status_code == 200
    assert (
        member.post(
            f"/api/v1/objections/{pk}/withdraw/",
            {"withdrawn_on": TODAY().isoformat(), "version": extended.json()["version"]},
            format="json",
        ).status_code
        == 403
    )
    colleague = api_for(people["colleague"], people["m"])
    stale = colleague.post(
        f"/api/v1/objections/{pk}/decide/",
        {"outcome": "unfounded", "reasons": "r", "version": body["version"]},
        format="json",
    )
    assert stale.status_code == 409
    decided_ = colleague.post(
        f"/api/v1/objections/{pk}/decide/",
        {"outcome": "unfounded", "reasons": "Klopt.", "version": extended.json()["version"]},
        format="json",
    )
    assert decided_.status_code == 200, decided_.content
    assert decided_.json()["result"]["outcome"] == "unfounded"
    listed = colleague.get(f"/api/v1/objections/?resident={decision.resident_id}&status=decided")
    assert [row["id"] for row in listed.json()["results"]] == [pk]


def test_the_api_withdraws(people):
    objection = register(people, decided(people))
    api = api_for(people["gate"], people["m"])
    response = api.post(
        f"/api/v1/objections/{objection.pk}/withdraw/",
        {"withdrawn_on": TODAY().isoformat(), "version": objection.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"


def test_the_factory_makes_a_valid_objection(people):
    with scope(municipality=people["m"]):
        objection = ObjectionFactory(municipality=people["m"])
        objection.full_clean()
        assert objection.decision.outcome == Decision.Outcome.GRANTED


# --- the report ----------------------------------------------------------------------------


def test_the_report_counts_objections_per_provision_and_outcome(people, other_municipality):
    from apps.reporting.figures import build_report_data

    m = people["m"]
    today = TODAY()
    outcomes = ["well_founded", "unfounded", "unfounded", "inadmissible"]
    with scope(municipality=m):
        for outcome in outcomes:
            objection = register(people, decided(people))
            services.objection_decide(
                actor=people["colleague"], objection=objection, outcome=outcome, reasons="r"
            )
        late = register(people, decided(people))
        with scopes_disabled():
            # Decided after its term.
            Objection.objects.filter(pk=late.pk).update(deadline=today - timedelta(days=1))
        services.objection_decide(
            actor=people["colleague"], objection=late, outcome="unfounded", reasons="r"
        )
        register(people, decided(people))  # open
        withdrawn = register(people, decided(people))
        services.objection_withdraw(actor=people["gate"], objection=withdrawn, withdrawn_on=today)
    # Another municipality's objection is not counted.
    with scope(municipality=other_municipality):
        ObjectionFactory(municipality=other_municipality)
    start = today.replace(day=1)
    data = build_report_data(m, start, today)
    section = next(s for s in data.sections if s.key == "objections")
    assert section.columns[1:6] == [
        "In behandeling",
        "Gegrond",
        "Ongegrond",
        "Niet-ontvankelijk",
        "Ingetrokken",
    ]
    (row,) = section.body_rows
    assert row.label == "Hulp bij het huishouden"
    assert [c.value for c in row.cells[:7]] == [1, 1, 3, 1, 1, 7, 4]
    assert row.cells[7].value == pytest.approx(80.0)
    total = section.rows[-1]
    assert total.is_total and total.cells[5].value == 7


# --- only the loket grants, still ------------------------------------------------------------


@pytest.mark.parametrize("who", ["nobody", "superuser", "anonymous"])
def test_no_shell_path_decides_on_an_objection(people, who):
    from django.contrib.auth.models import AnonymousUser

    from tests.factories import UserFactory

    actor = {
        "nobody": None,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "anonymous": AnonymousUser(),
    }[who]
    objection = register(people, decided(people))
    with scope(municipality=people["m"]):
        for call in (
            lambda: services.objection_decide(
                actor=actor, objection=objection, outcome="well_founded", reasons="r"
            ),
            lambda: services.objection_register(
                actor=actor,
                decision=objection.decision,
                received_on=TODAY(),
                lodged_by_name="X",
                lodged_by_relation="resident",
                grounds="g",
            ),
            lambda: services.objection_extend(
                actor=actor, objection=objection, weeks=1, reason="r"
            ),
            lambda: services.objection_withdraw(
                actor=actor, objection=objection, withdrawn_on=TODAY()
            ),
        ):
            with pytest.raises(PermissionDenied):
                call()
    assert count(ObjectionDecision, people["m"]) == 0
    assert count(Objection, people["m"]) == 1


def test_a_well_founded_objection_changes_no_provision_by_itself(people):
    """The provision's legal state changes only through `proposal_decide` on the new
    decision (its mandate check): the decision on the objection alone leaves the
    provision running and writes no decision."""
    decision = decided(people)
    objection = register(people, decision)
    with scope(municipality=people["m"]):
        decisions_before = Decision.objects.count()
        services.objection_decide(
            actor=people["colleague"], objection=objection, outcome="well_founded", reasons="r"
        )
        assert Decision.objects.count() == decisions_before
        assert Provision.objects.get(decision=decision).status == Provision.Status.ACTIVE


# --- the demo --------------------------------------------------------------------------------


def test_the_demo_has_an_open_and_a_decided_objection_in_overbetuwe_once(db):
    from django.core.management import call_command

    from apps.tenants.models import Municipality

    call_command("seed_demo", allow_without_debug=True)
    call_command("seed_demo", allow_without_debug=True)
    with scopes_disabled():
        overbetuwe = Municipality.objects.get(cbs_code="GM1734")
        objections = Objection.objects.filter(municipality=overbetuwe)
        assert sorted(objections.values_list("status", flat=True)) == ["decided", "open"]
        decided_ = objections.get(status="decided")
        assert decided_.result.outcome == "unfounded"
        assert decided_.result.decided_by_id != decided_.decision.consultant_id
        assert all(o.received_on.year > 2015 for o in objections)
        assert not Objection.objects.exclude(municipality=overbetuwe).exists()


def test_the_gate_finds_the_decision_by_its_number_on_the_list(people, client):
    decision = decided(people)
    client.force_login(people["gate"])
    url = reverse("decisions:objection_list")
    response = client.get(url, {"decision": decision.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("decisions:objection_register", args=[decision.pk])
    assert client.get(response["Location"]).status_code == 200
    missing = client.get(url, {"decision": 999_999})
    assert missing.status_code == 200 and "decision" in missing.context["form"].errors
    # A team member gets no such form.
    client.force_login(people["member"])
    assert client.get(url).context["form"] is None


# --- after the review: the new decision and the clock ------------------------------------


def _well_founded(people):
    decision = decided(people)
    objection = register(people, decision)
    with scope(municipality=people["m"]):
        services.objection_decide(
            actor=people["colleague"],
            objection=objection,
            outcome="well_founded",
            reasons="Vijf uur is nodig.",
        )
        return Objection.objects.get(pk=objection.pk).new_proposal


def test_the_maker_of_the_objected_decision_does_not_take_the_new_one(people):
    proposal = _well_founded(people)
    with scope(municipality=people["m"]):
        with pytest.raises(PermissionDenied, match="7:5"):
            services.proposal_decide(
                actor=people["consultant"], proposal=proposal, outcome="granted"
            )
        assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SUBMITTED


def test_the_new_decision_is_not_returned_to_a_team_nor_withdrawn(people):
    proposal = _well_founded(people)
    with scope(municipality=people["m"]):
        with pytest.raises(ValidationError) as exc:
            services.proposal_decide(
                actor=people["colleague"],
                proposal=proposal,
                outcome="returned",
                reasons="Graag meer informatie.",
            )
        assert "outcome" in exc.value.error_dict
        with pytest.raises(DomainError, match="gegrond bezwaar"):
            services.proposal_withdraw(actor=people["member"], proposal=proposal)
        assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SUBMITTED


def test_an_expired_term_is_not_extended(people):
    objection = register(people, decided(people))
    later = objection.deadline + timedelta(days=1)
    with (
        scope(municipality=people["m"]),
        time_machine.travel(
            timezone.make_aware(datetime.combine(later, time(10))),
            tick=False,
        ),
    ):
        with pytest.raises(DomainError, match="verstreken"):
            services.objection_extend(
                actor=people["consultant"], objection=objection, weeks=2, reason="Advies"
            )
        assert not Objection.objects.get(pk=objection.pk).is_extended
