"""The loket's pages: the review queue, reviewing and deciding (only through
proposal_decide), and the decision page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.decisions import services as decisions
from apps.decisions.models import DeadlineChange, Decision, DecisionLetter, Proposal, Provision
from apps.teams.models import Membership, Team
from tests.conftest import make_person, residents_shown_by
from tests.decisions.conftest import submitted_proposal
from tests.factories import ProposalFactory, TeamFactory

F = Membership.Function


def decide_data(proposal, **extra):
    data = {
        "outcome": "granted",
        "reasons": "",
        "volume": proposal.volume,
        "unit": proposal.unit,
        "frequency": proposal.frequency,
        "start_date": proposal.start_date.isoformat(),
        "end_date": proposal.end_date.isoformat() if proposal.end_date else "",
        # #21 part 1: the form of delivery, as the page fills it in.
        "delivery_form": proposal.delivery_form,
        "provider": proposal.provider_id or "",
        "budget_amount": proposal.budget_amount if proposal.budget_amount is not None else "",
        "budget_period": proposal.budget_period,
        "version": proposal.version,
    }
    data.update(extra)
    return data


def decisions_of(town, proposal):
    with scope(municipality=town["m"]):
        return list(Decision.objects.filter(proposal=proposal))


# --- the queue --------------------------------------------------------------------


def test_queue_shows_mine_the_loket_queue_and_colleagues_by_deadline(town, client):
    mine = submitted_proposal(town, surname="Eerst")
    # Driel has no linked consultant: its proposal goes to the loket's queue.
    queued = submitted_proposal(
        town, team=town["driel"], actor=town["driel_member"], surname="Wachtrij"
    )
    youth = submitted_proposal(town, provision_type=town["youth_care"], surname="Jeugd")
    with scopes_disabled():
        # An earlier deadline comes first.
        Proposal.objects.filter(pk=youth.pk).update(
            decision_deadline=timezone.localdate() - timedelta(days=2)
        )
    client.force_login(town["consultant"])
    response = client.get(reverse("decisions:queue"))
    assert response.status_code == 200
    queue = response.context["queue"]
    assert [p.pk for p in queue.mine] == [youth.pk, mine.pk]
    assert [p.pk for p in queue.unassigned] == [queued.pk]
    assert queue.colleagues == []
    page = response.content.decode()
    assert "Hulp bij het huishouden" in page and "Elst" in page and "Wachtrij" in page
    assert "2 dagen te laat" in page
    assert "nog 14 dagen" in page

    # The Jeugdwet-only colleague sees Elst's proposals with a colleague, and the
    # Wmo ones marked as outside their mandate.
    client.force_login(town["youth_consultant"])
    page = client.get(reverse("decisions:queue"))
    assert {p.pk for p in page.context["queue"].colleagues} == {mine.pk, youth.pk}
    assert "geen mandaat" in page.content.decode()


@pytest.mark.parametrize("who", ["member", "policy", "admin"])
def test_queue_is_only_for_those_who_decide(town, client, who):
    user = {
        "member": town["member"],
        "policy": make_person(town["m"], policy=True),
        "admin": make_person(town["m"], admin=True),
    }[who]
    client.force_login(user)
    assert client.get(reverse("decisions:queue")).status_code == 403


def test_queue_query_count_does_not_grow_with_the_proposals(
    town, client, django_assert_max_num_queries
):
    client.force_login(town["consultant"])
    url = reverse("decisions:queue")

    def more(n):
        for i in range(n):
            submitted_proposal(town, surname=f"Rij{i}")
            submitted_proposal(
                town, team=town["driel"], actor=town["driel_member"], surname=f"Driel{i}"
            )

    more(1)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    more(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["queue"].mine) == 7


# --- reviewing and deciding ---------------------------------------------------------


def test_review_page_shows_the_proposal_and_logs_the_read(town, client):
    proposal = submitted_proposal(town)
    client.force_login(town["consultant"])
    response = client.get(reverse("decisions:review", args=[proposal.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Hulp bij het huishouden",
        "artikel 2.3.5 Wmo 2015",
        "heupoperatie",
        "Een schoon en veilig huis",
        "uur per week",
        "Besluit vastleggen",
    ):
        assert text in page, text
    with scopes_disabled():
        # The setup's own writes (draft, submit) are logged too: the read is the view.
        entry = AccessLogEntry.objects.get(object_type="decisions.proposal", action="view")
    assert entry.action == "view" and entry.resident_id == proposal.resident_id


def test_consultant_grants_as_proposed_and_the_letter_follows(
    town, client, django_capture_on_commit_callbacks
):
    proposal = submitted_proposal(town)
    client.force_login(town["consultant"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("decisions:review", args=[proposal.pk]), decide_data(proposal)
        )
    assert response.status_code == 302
    [decision] = decisions_of(town, proposal)
    assert response["Location"] == reverse("decisions:detail", args=[decision.pk])
    assert decision.outcome == "granted" and decision.consultant.user == town["consultant"]
    with scopes_disabled():
        assert DecisionLetter.objects.filter(decision=decision).exists()
        assert AccessLogEntry.objects.filter(action="decide", object_id=str(decision.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Besluitbrief downloaden" in page and "gehaald" in page


def test_grant_changed_saves_the_changed_values(town, client):
    proposal = submitted_proposal(town)
    client.force_login(town["consultant"])
    response = client.post(
        reverse("decisions:review", args=[proposal.pk]),
        decide_data(proposal, outcome="granted_changed", volume="2", reasons="Twee uur volstaat."),
    )
    assert response.status_code == 302
    [decision] = decisions_of(town, proposal)
    with scopes_disabled():
        assert Provision.objects.get(decision=decision).volume == 2
    assert decision.outcome == "granted_changed"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"outcome": "refused"}, "reasons", "Geef de redenen van de afwijzing op."),
        ({"outcome": "returned"}, "reasons", "Schrijf op welke informatie nog nodig is."),
        (
            {"outcome": "granted_changed", "reasons": "Korter", "end_date": "2000-01-01"},
            "end_date",
            "De einddatum ligt voor de ingangsdatum.",
        ),
        (
            {"outcome": "granted_changed", "reasons": "Anders", "volume": "4", "unit": ""},
            "unit",
            "Geef de eenheid van de omvang op.",
        ),
        ({"outcome": ""}, "outcome", "Dit veld is vereist."),
    ],
)
def test_bad_decision_input_gives_a_field_message_and_saves_nothing(
    town, client, extra, field, message
):
    proposal = submitted_proposal(town)
    client.force_login(town["consultant"])
    response = client.post(
        reverse("decisions:review", args=[proposal.pk]), decide_data(proposal, **extra)
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert decisions_of(town, proposal) == []
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_kernteam_member_trying_to_decide_is_refused_on_the_page(town, client):
    proposal = submitted_proposal(town)
    client.force_login(town["member"])
    assert client.get(reverse("decisions:review", args=[proposal.pk])).status_code == 403
    response = client.post(reverse("decisions:review", args=[proposal.pk]), decide_data(proposal))
    assert response.status_code == 403
    assert "Alleen het loket besluit" in response.content.decode()
    assert decisions_of(town, proposal) == []


def test_consultant_without_a_mandate_for_the_law_is_refused(town, client):
    proposal = submitted_proposal(town)  # Wmo
    client.force_login(town["youth_consultant"])
    page = client.get(reverse("decisions:review", args=[proposal.pk])).content.decode()
    assert "U heeft geen mandaat voor de Wmo 2015" in page
    assert "Besluit vastleggen" not in page
    response = client.post(reverse("decisions:review", args=[proposal.pk]), decide_data(proposal))
    assert response.status_code == 403
    assert "geen mandaat om te besluiten over Wmo 2015-voorzieningen" in response.content.decode()
    assert decisions_of(town, proposal) == []


def test_a_second_decision_says_who_decided_and_saves_nothing(town, client):
    proposal = submitted_proposal(town)
    with scope(municipality=town["m"]):
        decisions.proposal_decide(actor=town["consultant"], proposal=proposal, outcome="granted")
    colleague = make_person(town["m"], memberships=[(town["loket"], F.CONSULTANT)])
    client.force_login(colleague)
    response = client.post(
        reverse("decisions:review", args=[proposal.pk]),
        decide_data(proposal, outcome="refused", reasons="Toch niet"),
    )
    assert response.status_code == 200
    name = town["consultant"].full_name
    errors = response.context["form"].non_field_errors()
    assert any(f"Over dit voorstel is al besloten door {name} op" in e for e in errors)
    assert len(decisions_of(town, proposal)) == 1
    page = client.get(reverse("decisions:review", args=[proposal.pk])).content.decode()
    assert f"Over dit voorstel is al besloten door {name}" in page
    assert "Besluit vastleggen" not in page


def test_deciding_a_withdrawn_proposal_is_refused_clearly(town, client):
    proposal = submitted_proposal(town)
    with scope(municipality=town["m"]):
        decisions.proposal_withdraw(actor=town["member"], proposal=proposal)
    client.force_login(town["consultant"])
    response = client.post(reverse("decisions:review", args=[proposal.pk]), decide_data(proposal))
    assert response.status_code == 200
    assert "ingetrokken" in " ".join(response.context["form"].non_field_errors())
    assert decisions_of(town, proposal) == []


def test_a_proposal_changed_meanwhile_is_not_decided_on_the_old_page(town, client):
    proposal = submitted_proposal(town)
    data = decide_data(proposal)  # the page as loaded
    with scope(municipality=town["m"]):
        # A colleague extends the deadline meanwhile.
        decisions.deadline_change(
            actor=town["consultant"],
            kind="extend",
            new_date=proposal.decision_deadline + timedelta(days=14),
            reason="Advies nodig",
            proposal=proposal,
        )
    client.force_login(town["consultant"])
    response = client.post(reverse("decisions:review", args=[proposal.pk]), data)
    assert response.status_code == 200
    assert "intussen gewijzigd" in " ".join(response.context["form"].non_field_errors())
    assert decisions_of(town, proposal) == []


def test_returning_with_a_question_goes_back_to_the_queue_without_a_letter(
    town, client, django_capture_on_commit_callbacks
):
    proposal = submitted_proposal(town)
    client.force_login(town["consultant"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("decisions:review", args=[proposal.pk]),
            decide_data(proposal, outcome="returned", reasons="Is er een mantelzorger?"),
        )
    assert response["Location"] == reverse("decisions:queue")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RETURNED
    assert callbacks == []
    with scopes_disabled():
        assert not DecisionLetter.objects.exists()


def test_a_draft_is_not_on_the_loket_pages(town, client):
    with scope(municipality=town["m"]):
        draft = ProposalFactory(municipality=town["m"])
    client.force_login(town["consultant"])
    assert client.get(reverse("decisions:review", args=[draft.pk])).status_code == 404


def test_another_municipality_is_not_found(town, client, other_municipality):
    proposal = submitted_proposal(town)
    with scope(municipality=town["m"]):
        decision = decisions.proposal_decide(
            actor=town["consultant"], proposal=proposal, outcome="granted"
        )
    with scope(municipality=other_municipality):
        loket = TeamFactory(municipality=other_municipality, kind=Team.Kind.LOKET)
    outsider = make_person(other_municipality, memberships=[(loket, F.CONSULTANT)])
    client.force_login(outsider)
    for url in (
        reverse("decisions:review", args=[proposal.pk]),
        reverse("decisions:proposal_deadline", args=[proposal.pk]),
        reverse("decisions:detail", args=[decision.pk]),
        reverse("decisions:letter", args=[decision.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("decisions:review", args=[proposal.pk]), decide_data(proposal))
    assert response.status_code == 404


# --- deadline of a proposal ------------------------------------------------------------


def test_consultant_extends_the_decision_deadline_with_a_reason(town, client):
    proposal = submitted_proposal(town)
    old = proposal.decision_deadline
    new = old + timedelta(weeks=2)
    client.force_login(town["consultant"])
    url = reverse("decisions:proposal_deadline", args=[proposal.pk])
    bad = client.post(url, {"kind": "extend", "new_date": old.isoformat(), "reason": "Advies"})
    assert "De nieuwe termijn moet na de huidige liggen." in bad.context["form"].errors["new_date"]
    empty = client.post(url, {"kind": "extend", "new_date": new.isoformat(), "reason": ""})
    assert empty.context["form"].errors["reason"]
    response = client.post(
        url, {"kind": "extend", "new_date": new.isoformat(), "reason": "Advies van de arts"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.decision_deadline == new
    with scope(municipality=town["m"]):
        change = DeadlineChange.objects.get(proposal=proposal)
    assert (change.old_date, change.new_date, change.by.user) == (old, new, town["consultant"])
    page = client.get(reverse("decisions:review", args=[proposal.pk])).content.decode()
    assert "Advies van de arts" in page and new.strftime("%d-%m-%Y") in page


def test_deadline_change_is_for_those_who_decide(town, client):
    proposal = submitted_proposal(town)
    client.force_login(town["member"])
    url = reverse("decisions:proposal_deadline", args=[proposal.pk])
    new = proposal.decision_deadline + timedelta(days=7)
    response = client.post(url, {"kind": "extend", "new_date": new.isoformat(), "reason": "x"})
    assert response.status_code == 403
    with scope(municipality=town["m"]):
        assert not DeadlineChange.objects.exists()


# --- the decision page ------------------------------------------------------------------


def test_decision_page_for_those_who_see_the_case(town, client):
    proposal = submitted_proposal(town)
    with scope(municipality=town["m"]):
        decision = decisions.proposal_decide(
            actor=town["consultant"],
            proposal=proposal,
            outcome="refused",
            reasons="Een algemene voorziening volstaat.",
        )
    url = reverse("decisions:detail", args=[decision.pk])
    client.force_login(town["member"])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "afgewezen",
        town["consultant"].full_name,
        "artikel 2.3.5 Wmo 2015",
        "Een algemene voorziening volstaat.",
        "wordt gemaakt",
        "ja, van Elst",
    ):
        assert text in page, text
    assert "<form" not in page.split('id="main"')[1]  # nothing to edit
    # The letter is not there yet (no task ran in this test).
    assert client.get(reverse("decisions:letter", args=[decision.pk])).status_code == 404
    with scopes_disabled():
        assert AccessLogEntry.objects.filter(
            action="view", object_type="decisions.decision", user=town["member"]
        ).exists()
    # A team member of another team does not see the case: not found.
    client.force_login(town["driel_member"])
    assert client.get(url).status_code == 404
    # A policy advisor has no case.view at all.
    client.force_login(make_person(town["m"], policy=True))
    assert client.get(url).status_code == 403


def test_a_changed_value_without_grant_changed_is_refused_not_dropped(town, client):
    proposal = submitted_proposal(town)
    client.force_login(town["consultant"])
    response = client.post(
        reverse("decisions:review", args=[proposal.pk]),
        decide_data(proposal, outcome="granted", volume="2"),
    )
    assert response.status_code == 200
    assert "volume" in response.context["form"].errors
    with scopes_disabled():
        assert not Decision.objects.exists()


def test_the_queue_page_logs_one_entry_naming_the_residents_shown(town, client):
    mine = submitted_proposal(town, surname="Eerst")
    client.force_login(town["consultant"])
    assert client.get(reverse("decisions:queue")).status_code == 200
    with scopes_disabled():
        [entry] = AccessLogEntry.objects.filter(
            user=town["consultant"], object_type="decisions.proposal"
        )
    assert entry.object_ids == [mine.pk] and residents_shown_by(entry) == [mine.resident_id]
