"""On PostgreSQL the database refuses UPDATE and DELETE on decisions, deadline
changes and director handovers, as it does for the access log (the function
comes from apps/audit/migrations/0002_append_only_trigger.py)."""

from django.db import migrations

TABLES = ["decisions_decision", "decisions_deadlinechange", "cases_directorchange"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION portal_refuse_change();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_trigger"),
        ("cases", "0001_initial"),
        ("decisions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
