"""On PostgreSQL the database refuses UPDATE and DELETE on the history of
moving work (a case to another team, a member's work to a colleague), as it
does for director handovers (the function `portal_refuse_change` comes from
audit/0002_append_only_trigger)."""

from django.db import migrations

TABLES = ["cases_teamchange", "cases_workreassignment", "cases_workreassignmentitem"]


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
        ("cases", "0003_moving_work"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
