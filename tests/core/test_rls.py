"""PostgreSQL itself keeps municipalities apart and the histories append-only
(apps/core/rls.py, docs/security.md "Twee lagen").

The tests that connect as the application's database role (`DATABASE_APP_URL`,
made by scripts/test-services.sh) work on committed rows, so they use
`transaction=True`; the rest check the setting that follows the scope on the
suite's own connection, which RLS binds too (FORCE: the owner is no exception).
"""

import ast
import os
from pathlib import Path

import psycopg2
import pytest
from celery import shared_task
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django_scopes import scope, scopes_disabled

from apps.core import rls
from apps.decisions.models import Decision, DecisionLetter
from apps.tenants.management.base import MunicipalityCommand
from apps.tenants.middleware import MunicipalityScopeMiddleware
from apps.tenants.tasks import MunicipalityTask
from tests.conftest import make_person
from tests.factories import FACTORIES, MunicipalityFactory, QuestionFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)

ROOT = Path(__file__).resolve().parents[2]

# Every place in the application that works across municipalities, with how
# often. A new `scopes_disabled()` is a new way past the database's wall too:
# review it, then add it here.
CROSSING_PLACES = {
    "apps/audit/services.py": 2,  # retention: the municipality's period; the purge
    "apps/audit/tasks.py": 1,  # retention: every municipality
    "apps/core/tasks.py": 1,  # find the task's municipality
    "apps/decisions/tasks.py": 1,  # the daily deadline / letter sweep
    "apps/demo/management/commands/seed_demo.py": 2,  # the demo builds municipalities
    "apps/demo/documents.py": 1,  # the demo links DUO+ from the municipalities it serves
    "apps/portal/views.py": 1,  # the switcher's list of one's municipalities
    "apps/reporting/tasks.py": 2,  # the monthly report job and the sweep
    # Who a change concerns: user ids to bump, and who held a row moved to another person.
    "apps/tenants/access_signals.py": 2,
    "apps/tenants/management/base.py": 1,  # find the municipality by name or code
    "apps/tenants/middleware.py": 1,  # the platform admin (superuser, /admin/)
    "apps/tenants/selectors.py": 2,  # the municipalities one may work in
    "apps/tenants/services.py": 2,  # 2FA reset: other accesses; revoke keys everywhere
    "apps/tenants/tokens.py": 1,  # an API key, found by its hash
}


def test_every_way_past_the_wall_is_a_known_one():
    found = {}
    for path in sorted((ROOT / "apps").rglob("*.py")):
        calls = [
            node
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "scopes_disabled"
        ]
        if calls:
            found[str(path.relative_to(ROOT))] = len(calls)
    assert found == CROSSING_PLACES


def municipality_tables():
    with connection.cursor() as cursor:
        return rls.tables_with_municipality(cursor)


@pytest.mark.django_db
def test_every_table_with_municipality_data_has_row_level_security_and_its_policy():
    tables = set(municipality_tables()) | set(rls.owned_link_tables())
    # The many-to-many tables and the case grants are covered through their owner.
    assert {
        "teams_team_areas",
        "cases_activity_participants",
        "intake_question_life_domains",
        "cases_caseuserobjectpermission",
    } <= set(rls.owned_link_tables())
    assert len(tables) > 30
    states = {s["table"]: s for s in rls.table_states()}
    lacking = [
        t
        for t in sorted(tables)
        if not (states[t]["enabled"] and states[t]["forced"] and states[t]["policy"])
    ]
    assert lacking == []
    call_command("rls_status")  # the operator's check agrees


@pytest.mark.django_db
def test_the_operators_check_fails_when_a_table_lacks_its_policy():
    with connection.cursor() as cursor:
        cursor.execute(f"DROP POLICY {rls.POLICY} ON intake_question")
    with pytest.raises(Exception, match="intake_question"):
        call_command("rls_status")
    assert rls.install() >= 1  # and the next migrate puts it back
    call_command("rls_status")


def count(table="intake_question"):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT municipality_id, count(*) FROM {table} GROUP BY 1")  # noqa: S608
        return dict(cursor.fetchall())


@pytest.fixture
def two(db):
    a, b = MunicipalityFactory(), MunicipalityFactory()
    for m, n in ((a, 2), (b, 3)):
        QuestionFactory.create_batch(n, municipality=m)
    return a, b


def test_raw_sql_sees_the_scopes_municipality_only(two, settings):
    a, b = two
    with scope(municipality=a):
        assert count() == {a.pk: 2}
    with scope(municipality=b):
        assert count() == {b.pk: 3}
    with scope(municipality=[a]):
        assert count() == {a.pk: 2}
    with scope(municipality=[a, b]):  # several at once: none
        assert count() == {}
    with scopes_disabled():
        assert count() == {a.pk: 2, b.pk: 3}
    settings.PORTAL_DB_UNSCOPED = "none"  # a shell: no scope, nothing
    assert count() == {}


def test_a_rollback_does_not_leave_the_connection_with_a_stale_setting(two, settings):
    a, b = two
    settings.PORTAL_DB_UNSCOPED = "none"
    assert count() == {}
    with scope(municipality=b):
        try:
            with transaction.atomic():
                assert count() == {b.pk: 3}  # set inside the savepoint...
                raise RuntimeError
        except RuntimeError:
            pass
        # ...which the rollback undid: said again, not assumed.
        assert count() == {b.pk: 3}
    assert count() == {}


def test_a_kept_connection_never_carries_one_requests_municipality_into_the_next(two, settings):
    a, b = two
    settings.PORTAL_DB_UNSCOPED = "none"
    seen = []

    def view(request):
        seen.append(count())
        return HttpResponse("ok")

    middleware = MunicipalityScopeMiddleware(view)
    for municipality in (a, b, None):
        request = RequestFactory().get("/")
        request.session = SessionStore()
        if municipality is None:
            from django.contrib.auth.models import AnonymousUser

            request.user = AnonymousUser()
        else:
            request.user = make_person(municipality)
        middleware(request)
        # Between requests, on the same connection, nothing is visible.
        assert count() == {}
    assert seen == [{a.pk: 2}, {b.pk: 3}, {}]


def test_a_task_and_a_command_see_their_own_municipality_only(two, settings):
    a, b = two
    settings.PORTAL_DB_UNSCOPED = "none"
    assert rls_task.apply(kwargs={"municipality_id": b.pk}).get() == {str(b.pk): 3}

    seen = []

    class Command(MunicipalityCommand):
        def handle_in_municipality(self, municipality, **options):
            seen.append(count())

    call_command(Command(), municipality=a.cbs_code)
    assert seen == [{a.pk: 2}]
    assert count() == {}


@shared_task(base=MunicipalityTask)
def rls_task(*, municipality_id):
    return {str(k): v for k, v in count().items()}


# --- as the application's database role ------------------------------------------


def app_connection():
    url = os.environ.get("DATABASE_APP_URL")
    assert url, "scripts/test-services.sh exports DATABASE_APP_URL (the application's role)"
    conn = psycopg2.connect(url, dbname=connection.settings_dict["NAME"])
    conn.autocommit = True
    return conn


def as_app(sql, params=None, municipality=None):
    conn = app_connection()
    try:
        with conn.cursor() as cursor:
            if municipality is not None:
                cursor.execute(
                    "SELECT set_config('portal.municipality', %s, false)", [str(municipality)]
                )
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else cursor.rowcount
    finally:
        conn.close()


@pytest.fixture
def world(transactional_db):
    a, b = MunicipalityFactory(), MunicipalityFactory()
    with scopes_disabled():
        for m in (a, b):
            for model, make in FACTORIES.items():
                if model is not DecisionLetter:  # the decision's own task builds it
                    make(municipality=m)
    return a, b


@pytest.mark.django_db(transaction=True)
def test_the_application_role_without_a_municipality_sees_no_row_at_all(world):
    tables = municipality_tables() + sorted(rls.owned_link_tables())
    counts = {t: as_app(f"SELECT count(*) FROM {t}")[0][0] for t in tables}  # noqa: S608
    assert set(counts.values()) == {0}
    with scopes_disabled():
        assert count("intake_question")  # the rows are there


@pytest.mark.django_db(transaction=True)
def test_the_application_role_with_a_municipality_sees_and_changes_only_its_rows(world):
    a, b = world
    for table in municipality_tables():
        rows = as_app(f"SELECT DISTINCT municipality_id FROM {table}", municipality=a.pk)  # noqa: S608
        assert rows in ([], [(a.pk,)]), table
    with scopes_disabled():
        theirs = QuestionFactory(municipality=b)
    changed = as_app(
        "UPDATE intake_question SET description = 'overschreven' WHERE id = %s",
        [theirs.pk],
        municipality=a.pk,
    )
    deleted = as_app("DELETE FROM intake_resident WHERE municipality_id = %s", [b.pk], a.pk)
    assert (changed, deleted) == (0, 0)
    # Moving one's own row to another municipality is refused as well.
    with pytest.raises(psycopg2.Error, match="row-level security"):
        as_app("UPDATE intake_question SET municipality_id = %s", [b.pk], municipality=a.pk)
    with scopes_disabled():
        theirs.refresh_from_db()
    assert theirs.description != "overschreven"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("table", rls.APPEND_ONLY_TABLES)
def test_the_application_role_cannot_rewrite_history(world, table):
    a, _ = world
    for statement in (
        f"UPDATE {table} SET id = id",  # noqa: S608 - the table names above
        f"DELETE FROM {table}",  # noqa: S608
        f"TRUNCATE {table} CASCADE",
        f"ALTER TABLE {table} DISABLE TRIGGER ALL",
    ):
        with pytest.raises(psycopg2.Error, match="permission denied|must be owner"):
            as_app(statement, municipality=a.pk)
    with scopes_disabled():
        assert count(table)[a.pk] >= 1  # untouched


@pytest.mark.django_db(transaction=True)
def test_the_application_role_cannot_empty_or_alter_any_table(world):
    for statement in (
        "TRUNCATE intake_question CASCADE",
        "ALTER TABLE intake_question DISABLE ROW LEVEL SECURITY",
    ):
        with pytest.raises(psycopg2.Error, match="permission denied|must be owner"):
            as_app(statement)


@pytest.mark.django_db(transaction=True)
def test_a_decision_cannot_be_inserted_around_the_service_even_by_the_owner(world):
    a, _ = world
    with scopes_disabled():
        decision = Decision.objects.filter(municipality=a).first()
        before = Decision.objects.count()
        copy = "INSERT INTO decisions_decision SELECT * FROM decisions_decision WHERE id = %s"
        with (
            pytest.raises(Exception, match="only by proposal_decide"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(copy, [decision.pk])
        with pytest.raises(psycopg2.Error, match="only by proposal_decide"):
            as_app(copy, [decision.pk], municipality=a.pk)
        assert Decision.objects.count() == before
