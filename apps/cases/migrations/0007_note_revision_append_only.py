"""On PostgreSQL the database refuses UPDATE and DELETE on the earlier versions
of corrected activity notes, as it does for the other append-only histories (the
function `portal_refuse_change` comes from audit/0002_append_only_trigger)."""

from django.db import migrations

TABLE = "cases_activitynoterevision"


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
        ("cases", "0006_shell_partner"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
