"""On PostgreSQL the database itself refuses UPDATE and DELETE on the access
log and on the forwarding history, whatever code asks (a raw query, a shell). TRUNCATE stays possible: the test
suite empties tables with it between tests; the application never issues it."""

from django.db import migrations

TABLES = ["audit_accesslogentry", "intake_questionforward"]

FUNCTION = """
CREATE OR REPLACE FUNCTION portal_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
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
    schema_editor.execute("DROP FUNCTION IF EXISTS portal_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("intake", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
