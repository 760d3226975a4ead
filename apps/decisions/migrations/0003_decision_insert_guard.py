"""On PostgreSQL a decision is inserted only by `proposal_decide`: the table
refuses an INSERT unless the transaction carries the flag the service sets after
its mandate check (`portal.decision_service`, transaction-local, see
`apps.decisions.models._DecisionWriteGuard`). No script, shell, admin action or
raw query writes one around it."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION portal_decision_insert_guard() RETURNS trigger AS $$
BEGIN
    IF current_setting('portal.decision_service', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'a decision is written only by proposal_decide'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    schema_editor.execute(
        "CREATE TRIGGER decisions_decision_insert_guard BEFORE INSERT ON decisions_decision "
        "FOR EACH ROW EXECUTE FUNCTION portal_decision_insert_guard();"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS decisions_decision_insert_guard ON decisions_decision;"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS portal_decision_insert_guard();")


class Migration(migrations.Migration):
    dependencies = [("decisions", "0002_append_only_triggers")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
