"""On PostgreSQL the database refuses UPDATE and DELETE on the letters sent, as
it does for decisions and director handovers (the function
`portal_refuse_change` comes from audit/0002_append_only_trigger). A letter's
row is inserted once, complete: its PDF is stored before the INSERT
(`apps.letters.services._store`)."""

from django.db import migrations

TABLES = ["letters_letter"]


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
        ("letters", "0004_letter_proposal_notice"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
