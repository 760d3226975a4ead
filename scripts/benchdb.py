"""The throwaway database of a benchmark script (scripts/bench_*.py)."""

from urllib.parse import urlparse


def ensure_database(url: str, fresh: bool = False) -> None:
    """Create the database named in `url` when it does not exist; `fresh`
    drops it first. Connects to the server's `postgres` database to do so."""
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres",
        user=parts.username,
        password=parts.password,
        host=parts.hostname,
        port=parts.port,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


_ORIGINAL_APPLY = []


def rls_enabled(on: bool) -> None:
    """Row-level security on (as `migrate` installs it) or off (the policies and
    the per-connection setting both), for a benchmark that measures its cost.
    Run as the tables' owner, on a benchmark database only."""
    from django.db import connection

    from apps.core import rls
    from apps.core.dbbackend.base import DatabaseWrapper

    if not _ORIGINAL_APPLY:
        _ORIGINAL_APPLY.append(DatabaseWrapper.portal_rls_apply)
    if on:
        DatabaseWrapper.portal_rls_apply = _ORIGINAL_APPLY[0]
        rls.install()
        return
    DatabaseWrapper.portal_rls_apply = lambda self: None
    with connection.cursor() as cursor:
        for table in rls.tables_with_municipality(cursor) + sorted(rls.owned_link_tables()):
            cursor.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
            cursor.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
            cursor.execute(f'DROP POLICY IF EXISTS {rls.POLICY} ON "{table}"')
