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
