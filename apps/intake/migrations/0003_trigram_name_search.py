"""Name search on PostgreSQL: trigram indexes, so a search for part of a name
('jans') stays fast with hundreds of thousands of residents (see
scripts/bench_inbox.py). `icontains` compiles to UPPER(column) LIKE UPPER(%term%),
so the indexes are on UPPER(column). SQLite (the local demo) does without."""

from django.db import migrations

INDEXES = {
    "resident_surname_trgm": "surname",
    "resident_first_names_trgm": "first_names",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may add it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON intake_resident "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)",
            params=None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_default_life_domains")]

    operations = [migrations.RunPython(forwards, backwards)]
