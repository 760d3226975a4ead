"""On PostgreSQL the database refuses UPDATE and DELETE on letters sent, as it
does for the access log (the function comes from
apps/audit/migrations/0002_append_only_trigger.py)."""

from django.db import migrations

TABLE = "letters_letter"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE "
        f"ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION portal_refuse_change();"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_trigger"),
        ("letters", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
