"""Rule 1 from a shell: there is no operator path around `proposal_decide`. Without
a user, or as a superuser without a loket membership, deciding is refused; and a
decision cannot be written, changed or deleted through the ORM, nor changed or
deleted with raw SQL (a PostgreSQL trigger)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django_scopes import scope, scopes_disabled

from apps.core.models import AppendOnlyError
from apps.decisions.models import Decision
from apps.decisions.services import proposal_decide
from tests.cases.api_world import build_world, submitted_proposal
from tests.factories import DecisionFactory, UserFactory


@pytest.fixture
def w(municipality, other_municipality):
    return build_world(municipality, other_municipality)


def decisions_now():
    with scopes_disabled():
        return list(Decision.objects.values_list("pk", "outcome", "reasons"))


@pytest.mark.parametrize("who", ["nobody", "superuser", "anonymous"])
def test_deciding_without_a_mandated_consultant_is_refused(w, who):
    from django.contrib.auth.models import AnonymousUser

    actor = {
        "nobody": None,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "anonymous": AnonymousUser(),
    }[who]
    proposal = submitted_proposal(w)
    with scope(municipality=w.municipality), pytest.raises(PermissionDenied):
        proposal_decide(actor=actor, proposal=proposal, outcome="granted")
    assert decisions_now() == []


def test_a_decision_cannot_be_created_outside_proposal_decide(w):
    proposal = submitted_proposal(w)
    template = DecisionFactory.build(
        municipality=w.municipality, proposal=proposal, case=proposal.case
    )
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Decision._meta.concrete_fields
        if not f.primary_key
    }
    with scope(municipality=w.municipality):
        with pytest.raises(AppendOnlyError):
            Decision.objects.create(**fields)
        with pytest.raises(AppendOnlyError):
            Decision(**fields).save()
        with pytest.raises(AppendOnlyError):
            Decision.objects.bulk_create([Decision(**fields)])
        with pytest.raises(AppendOnlyError):
            Decision._base_manager.bulk_create([Decision(**fields)])
    assert decisions_now() == []


@pytest.fixture
def decision(w):
    proposal = submitted_proposal(w)
    with scope(municipality=w.municipality):
        return proposal_decide(actor=w.consultant, proposal=proposal, outcome="granted")


def test_a_decision_cannot_be_changed_or_deleted_through_the_orm(w, decision):
    before = decisions_now()
    with scope(municipality=w.municipality):
        decision.outcome = "refused"
        with pytest.raises(AppendOnlyError):
            decision.save()
        with pytest.raises(AppendOnlyError):
            decision.delete()
        for manager in (Decision.objects, Decision._base_manager):
            with pytest.raises(AppendOnlyError):
                manager.filter(pk=decision.pk).update(outcome="refused")
            with pytest.raises(AppendOnlyError):
                manager.filter(pk=decision.pk).delete()
            with pytest.raises(AppendOnlyError):
                manager.update_or_create(pk=decision.pk, defaults={"reasons": "x"})
    assert decisions_now() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE decisions_decision SET outcome = 'refused' WHERE id = %s",
        "DELETE FROM decisions_decision WHERE id = %s",
        "UPDATE decisions_deadlinechange SET reason = 'x' WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_a_decision(w, decision, sql):
    before = decisions_now()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [decision.pk])
    assert decisions_now() == before


# A script that imports the models, as a shell or a management command would:
# every ORM path that writes a decision is refused before it reaches the database,
# and there is no public switch to open them (the key is the services' own).
SCRIPT = """
import json
from contextlib import nullcontext

import django
django.setup()
from django_scopes import scopes_disabled
from apps.core.models import AppendOnlyError
import apps.decisions.models as models
from apps.decisions.models import Decision

fields = dict(
    municipality_id=1, proposal_id=1, case_id=1, resident_id=1, outcome="granted",
    consultant_id=1, mandate_id=1, law="wmo", provision_type_id=1, legal_basis="art. 2.3.5",
    via_voorwerk=True, application_date="2026-01-05", deadline="2026-01-19",
)
guard = getattr(models, "decision_write_guard", None)


def with_public_opener():
    # What the demo history did: a public context manager that opens the guard.
    with models.decision_writer():
        Decision(**fields).save()


attempts = {
    "objects.create": lambda: Decision.objects.create(**fields),
    "save": lambda: Decision(**fields).save(),
    "objects.bulk_create": lambda: Decision.objects.bulk_create([Decision(**fields)]),
    "base_manager.bulk_create": lambda: Decision._base_manager.bulk_create([Decision(**fields)]),
    "queryset.update": lambda: Decision.objects.filter(pk=1).update(outcome="refused"),
    "decision_writer": with_public_opener,
    "a forged key": lambda: guard.opened(object()).__enter__(),
    "a second key": lambda: guard.issue_key(),
}
refused = {}
with scopes_disabled():
    for name, attempt in attempts.items():
        try:
            attempt()
        except (AppendOnlyError, RuntimeError) as exc:
            refused[name] = type(exc).__name__
        except AttributeError:
            refused[name] = "no such thing"
        except Exception as exc:  # it got past the guard, to the (empty) database
            refused[name] = "not refused by the guard: " + type(exc).__name__
        else:
            refused[name] = "written"
print(json.dumps(refused))
"""


def test_a_script_importing_the_models_cannot_insert_a_decision(tmp_path):
    import json
    import os
    import subprocess  # noqa: S404  # nosec B404: runs this project's own Python
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # An empty database: whatever got past the guard would fail there, not write.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603  # nosec B603: a fixed script, no input
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    refused = json.loads(result.stdout.strip().splitlines()[-1])
    assert refused == {
        "objects.create": "AppendOnlyError",
        "save": "AppendOnlyError",
        "objects.bulk_create": "AppendOnlyError",
        "base_manager.bulk_create": "AppendOnlyError",
        "queryset.update": "AppendOnlyError",
        "decision_writer": "no such thing",
        "a forged key": "AppendOnlyError",
        "a second key": "RuntimeError",
    }
