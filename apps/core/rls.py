"""Row-level security: PostgreSQL itself keeps municipalities apart.

django-scopes is the first layer: every scoped query outside a scope raises.
This module is the second: every table that holds a municipality's data has
row-level security switched on and forced (it binds the tables' owner too),
with one policy:

    municipality_id = NULLIF(current_setting('portal.municipality', true), '')::bigint
    OR current_setting('portal.all_municipalities', true) = 'on'

and the many-to-many and grant tables, which have no `municipality_id` of their
own, see a row only when its owning row is visible.

**The setting follows the scope.** The database backend (`apps.core.dbbackend`)
compares, whenever it opens a cursor, what the current django-scopes scope asks
for (`wanted()`) with what the connection was last told, and tells it again when
they differ: one `set_config` call, only on a change. So a kept connection
(CONN_MAX_AGE) never carries one request's municipality into the next: the next
request's first query sets its own, or none. A rollback (also to a savepoint)
can undo a `set_config`, so the backend forgets what it told the connection and
says it again at the next cursor.

- inside `scope(municipality=X)`: only X's rows;
- inside `scopes_disabled()`: every municipality (`portal.all_municipalities`):
  the explicit cross-municipality paths (the platform admin, the login's list of
  one's municipalities, API key lookup, the nightly sweeps, retention). Every
  `scopes_disabled()` in the application is listed in
  `tests/core/test_rls.py::CROSSING_PLACES`, so a new one is a reviewed change;
- anywhere else: no rows (`''`). Code outside a request, task or command (a
  shell) gets `settings.PORTAL_DB_UNSCOPED` ("none" by default; the test suite's
  own set-up code, which creates rows of several municipalities, sets "all").

**Installed by `install()`** after every `migrate` (a `post_migrate` handler
of the core app), for every table that has a `municipality_id` column and for the
many-to-many tables of municipality-owned models, so a new model cannot be
forgotten; `tests/core/test_rls.py` lists every such table and fails when one has
no policy. The same step grants the application's database role
(`DATABASE_APP_ROLE`) what it needs and nothing more: SELECT, INSERT, UPDATE and
DELETE on ordinary tables, SELECT and INSERT only on the append-only ones, no
TRUNCATE, no ownership (so no ALTER TABLE, no DISABLE TRIGGER).

SQLite (`make run`) has no row-level security: there the first layer is the only
one (docs/security.md).
"""

from __future__ import annotations

import contextvars
import logging
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.models import ManyToManyField
from django_scopes.state import get_scope

logger = logging.getLogger("portal.security")

POLICY = "portal_municipality"
SETTING = "portal.municipality"
ALL_SETTING = "portal.all_municipalities"

# The append-only tables: the application's role may read and add rows, never
# change or remove them (the triggers refuse it as well, for every role).
APPEND_ONLY_TABLES = (
    "audit_accesslogentry",
    "audit_accesslogresident",
    "intake_questionforward",
    "cases_directorchange",
    "cases_teamchange",
    "cases_workreassignment",
    "cases_workreassignmentitem",
    "cases_activitynoterevision",
    "intake_questiondescriptionrevision",
    "decisions_decision",
    "decisions_deadlinechange",
    "decisions_provisionevent",
    "decisions_objectiondecision",
    "letters_letter",
    "tenants_rolechange",
)

# Functions the application's role runs (they are revoked from PUBLIC).
APP_FUNCTIONS = ("portal_purge_access_log(bigint, timestamptz)",)

_OWN = f"NULLIF(current_setting('{SETTING}', true), '')::bigint"
_ALL = f"current_setting('{ALL_SETTING}', true) = 'on'"
DIRECT_RULE = f"(municipality_id = {_OWN} OR {_ALL})"


@dataclass(frozen=True)
class State:
    municipality: str  # the id as text, or "" for none
    all: bool

    def sql_args(self):
        return [self.municipality, "on" if self.all else ""]


NONE = State("", False)
ALL = State("", True)

# True while a request, task or command of the application runs (set by the
# scope middleware, the task signals and the command base): there, code without a
# scope sees nothing, in the test suite too.
_in_application = contextvars.ContextVar("portal_rls_in_application", default=False)
# True while `migrate` runs: migrations see every row (they run as the owner).
_migrating = contextvars.ContextVar("portal_rls_migrating", default=False)


@contextmanager
def application():
    """Marks code run by the application itself (a request, a task, a command)."""
    token = _in_application.set(True)
    try:
        yield
    finally:
        _in_application.reset(token)


def enter_application():
    return _in_application.set(True)


def leave_application(token):
    _in_application.reset(token)


def _municipality_id(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        values = list(value)
        if len(values) != 1:  # several (or none): fail closed
            return ""
        value = values[0]
    pk = getattr(value, "pk", value)
    return "" if pk is None else str(int(pk))


def wanted() -> State:
    """What the current django-scopes scope allows the database to show."""
    if _migrating.get():
        return ALL
    current = get_scope()
    if current.get("_enabled") is False:
        return ALL
    if "municipality" in current:
        return State(_municipality_id(current["municipality"]), False)
    if not _in_application.get() and getattr(settings, "PORTAL_DB_UNSCOPED", "none") == "all":
        return ALL
    return NONE


# --- installation ------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tables_with_municipality(cursor) -> list[str]:
    cursor.execute(
        """
        SELECT c.table_name FROM information_schema.columns c
        JOIN information_schema.tables t
          ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND c.column_name = 'municipality_id'
          AND t.table_type = 'BASE TABLE'
        ORDER BY c.table_name
        """
    )
    return [row[0] for row in cursor.fetchall()]


def owned_link_tables() -> dict[str, tuple[str, str]]:
    """Tables without a municipality of their own whose rows belong to one through
    a municipality-owned row: {table: (column, owning table)}. The many-to-many
    tables of municipality-owned models, and django-guardian's case grants."""
    links: dict[str, tuple[str, str]] = {}
    for model in apps.get_models():
        field_names = {f.name for f in model._meta.concrete_fields}
        if "municipality" not in field_names:
            continue
        for field in model._meta.local_many_to_many:
            if not isinstance(field, ManyToManyField):
                continue
            through = field.remote_field.through
            column = field.m2m_column_name()
            links[through._meta.db_table] = (column, model._meta.db_table)
    for model in apps.get_models():
        if "municipality" in {f.name for f in model._meta.concrete_fields}:
            continue
        for field in model._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if (
                field.name == "content_object"
                and target is not None
                and "municipality" in {f.name for f in target._meta.concrete_fields}
            ):
                links[model._meta.db_table] = (field.column, target._meta.db_table)
    return links


def policy_statements(cursor) -> list[str]:
    statements = []
    rules = dict.fromkeys(tables_with_municipality(cursor), DIRECT_RULE)
    for table, (column, owner) in owned_link_tables().items():
        # Names from the model registry, quoted: no outside input.
        link = f"{_quote(table)}.{_quote(column)}"
        rules.setdefault(table, f"EXISTS (SELECT 1 FROM {_quote(owner)} o WHERE o.id = {link})")  # noqa: S608  # nosec B608
    cursor.execute(
        "SELECT tablename, qual FROM pg_policies WHERE schemaname = current_schema() "
        "AND policyname = %s",
        [POLICY],
    )
    existing = dict(cursor.fetchall())
    cursor.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
        "AND relkind = 'r' AND relrowsecurity AND relforcerowsecurity"
    )
    forced = {row[0] for row in cursor.fetchall()}
    for table, rule in sorted(rules.items()):
        name = _quote(table)
        if table not in forced:
            statements.append(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
            statements.append(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
        if table not in existing:
            statements.append(
                f"CREATE POLICY {POLICY} ON {name} USING ({rule}) WITH CHECK ({rule})"
            )
    return statements


def grant_statements(cursor, role: str) -> list[str]:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    if cursor.fetchone() is None:
        password = getattr(settings, "DATABASE_APP_PASSWORD", "")
        if not password:
            logger.warning("rls.app_role_missing", extra={"role": role})
            return []
        # First migrate of a new installation (docker-compose.yml): the owner
        # makes the role, which may log in and nothing else.
        cursor.execute(
            f"CREATE ROLE {_quote(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
            "NOBYPASSRLS NOREPLICATION PASSWORD %s",
            [password],
        )
        logger.info("rls.app_role_created", extra={"role": role})
    cursor.execute("SELECT current_user")
    if cursor.fetchone()[0] == role:
        return []  # the application runs as the owner: nothing to grant
    who = _quote(role)
    statements = [
        f"GRANT USAGE ON SCHEMA {_quote_schema(cursor)} TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "
        f"{_quote_schema(cursor)} TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {_quote_schema(cursor)} TO {who}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA "
        f"{_quote_schema(cursor)} FROM {who}",
    ]
    cursor.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
        "AND relkind = 'r' AND relname = ANY(%s)",
        [list(APPEND_ONLY_TABLES)],
    )
    for (table,) in cursor.fetchall():
        statements.append(f"REVOKE UPDATE, DELETE ON {_quote(table)} FROM {who}")
    for function in APP_FUNCTIONS:
        cursor.execute("SELECT to_regprocedure(%s)", [function])
        if cursor.fetchone()[0] is not None:
            statements.append(f"GRANT EXECUTE ON FUNCTION {function} TO {who}")
    return statements


def _quote_schema(cursor) -> str:
    cursor.execute("SELECT current_schema()")
    return _quote(cursor.fetchone()[0])


def install(using: str = "default") -> int:
    """Switches row-level security on where it is missing and grants the
    application's role its rights. Idempotent; returns the statements run."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        statements = policy_statements(cursor)
        role = getattr(settings, "DATABASE_APP_ROLE", "")
        if role:
            statements += grant_statements(cursor, role)
        for statement in statements:
            cursor.execute(statement)
    return len(statements)


def table_states(using: str = "default") -> list[dict]:
    """Every table of the schema: row-level security on / forced, its policy,
    and what the application's role may do. For `manage.py rls_status`."""
    connection = connections[using]
    role = getattr(settings, "DATABASE_APP_ROLE", "") or None
    with connection.cursor() as cursor:
        expected = set(tables_with_municipality(cursor)) | set(owned_link_tables())
        cursor.execute(
            """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = current_schema()
                           AND p.tablename = c.relname AND p.policyname = %s),
                   pg_get_userbyid(c.relowner),
                   CASE WHEN %s::text IS NULL THEN NULL ELSE
                     concat_ws(',',
                       CASE WHEN has_table_privilege(%s, c.oid, 'SELECT') THEN 'SELECT' END,
                       CASE WHEN has_table_privilege(%s, c.oid, 'INSERT') THEN 'INSERT' END,
                       CASE WHEN has_table_privilege(%s, c.oid, 'UPDATE') THEN 'UPDATE' END,
                       CASE WHEN has_table_privilege(%s, c.oid, 'DELETE') THEN 'DELETE' END,
                       CASE WHEN has_table_privilege(%s, c.oid, 'TRUNCATE') THEN 'TRUNCATE' END)
                   END
            FROM pg_class c
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
            ORDER BY c.relname
            """,
            [POLICY, role, role, role, role, role, role],
        )
        rows = cursor.fetchall()
    return [
        {
            "table": name,
            "municipality_data": name in expected,
            "enabled": enabled,
            "forced": forced,
            "policy": policy,
            "owner": owner,
            "app_rights": rights,
        }
        for name, enabled, forced, policy, owner, rights in rows
    ]


# --- signal handlers -----------------------------------------------------------


def on_pre_migrate(sender, using="default", **kwargs):
    _migrating.set(True)


def on_post_migrate(sender, using="default", **kwargs):
    # Sent once per app after the whole plan has run: install on the first,
    # end the migration's view of every row on the last.
    configs = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender is configs[0]:
        install(using)
    if sender is configs[-1]:
        _migrating.set(False)
