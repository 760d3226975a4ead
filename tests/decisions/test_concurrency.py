"""Two people at the same moment, each on their own database connection (a
thread each, started together with a Barrier): two loket consultants deciding
the same proposal give exactly one decision and one clear "already decided";
two people editing the same support plan give one change and a "changed by X"
for the other."""

import threading

import pytest
from django.db import close_old_connections, connection
from django_scopes import scope, scopes_disabled

from apps.cases import services as cases
from apps.core.exceptions import DomainError
from apps.core.versioning import ChangedByOtherError
from apps.decisions.models import Decision, Proposal
from apps.decisions.services import proposal_decide
from tests.cases.api_world import build_world, open_case, submitted_proposal

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need a real database server"
    ),
]


@pytest.fixture
def w(municipality, other_municipality):
    return build_world(municipality, other_municipality)


def run_together(municipality, *calls):
    """Run each call in its own thread (its own connection), released at the same
    moment; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            with scope(municipality=municipality):
                barrier.wait(timeout=10)
                results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            results[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_two_consultants_deciding_at_once_give_one_decision(w):
    proposal = submitted_proposal(w)
    with scopes_disabled():
        first, second = (
            Proposal.objects.get(pk=proposal.pk),
            Proposal.objects.get(pk=proposal.pk),
        )
    results = run_together(
        w.municipality,
        lambda: proposal_decide(actor=w.consultant, proposal=first, outcome="granted"),
        lambda: proposal_decide(
            actor=w.consultant2, proposal=second, outcome="refused", reasons="Niet nodig."
        ),
    )
    decided = [r for r in results if isinstance(r, Decision)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(decided) == 1 and len(refused) == 1, results
    assert "al besloten" in str(refused[0].message)
    winner = decided[0]
    assert winner.consultant.user.full_name in str(refused[0].message)
    with scopes_disabled():
        assert list(Decision.objects.filter(proposal=proposal).values_list("pk", flat=True)) == [
            winner.pk
        ]
        assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.DECIDED


def test_two_people_editing_a_plan_at_once_give_one_change_and_name_the_winner(w):
    case = open_case(w)
    with scope(municipality=w.municipality):
        plan = cases.plan_start(actor=w.member, case=case)
    version = plan.version
    people = {"member": w.member, "colleague": w.colleague}
    results = run_together(
        w.municipality,
        *[
            (
                lambda user=user, name=name: cases.plan_update(
                    actor=user, plan=plan, summary=f"Door {name}", expected_version=version
                )
            )
            for name, user in people.items()
        ],
    )
    saved = [r for r in results if not isinstance(r, Exception)]
    clashes = [r for r in results if isinstance(r, ChangedByOtherError)]
    assert len(saved) == 1 and len(clashes) == 1, results
    winner = next(name for name in people if saved[0].summary == f"Door {name}")
    assert people[winner].full_name in str(clashes[0].message)
    with scopes_disabled():
        plan.refresh_from_db()
    assert plan.summary == f"Door {winner}" and plan.version == version + 1
