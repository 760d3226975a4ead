"""On PostgreSQL the database itself refuses UPDATE and DELETE on the history
of role changes, like the access log (the function `portal_refuse_change`
comes from audit/0002_append_only_trigger)."""

from django.db import migrations

TABLE = "tenants_rolechange"


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
        ("tenants", "0003_role_change_history"),
        ("audit", "0002_append_only_trigger"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
