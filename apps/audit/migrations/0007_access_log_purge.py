"""Retention of the access log: the one way to delete entries.

The append-only triggers of the access log tables (audit/0002, audit/0006) now
call `portal_refuse_access_log_change()`: it refuses every UPDATE, and every
DELETE unless the transaction-local setting `portal.purge_access_log` is on.
Only `portal_purge_access_log(municipality_id, before)` sets it: a SECURITY
DEFINER function that removes the entries of one municipality older than
`before` (and the rows naming the residents their lists showed), and refuses a
`before` that lies within the municipality's retention period (a day's
grace for clocks)
(`tenants_municipality.access_log_retention_years`, at least a year by a check
constraint). It returns the number of entries removed.

With the role split of production (docs/security.md: the application's role
has SELECT and INSERT on the log, no DELETE), the application can remove
entries only through this function, and only those past the retention period;
the owner role that runs the migrations owns the function, and the application
role needs `GRANT EXECUTE ON FUNCTION portal_purge_access_log(bigint,
timestamptz)` (docs/operations.md). The forwarding history and the role history
keep `portal_refuse_change()`, which knows no exception."""

from django.db import migrations

TABLES = ["audit_accesslogentry", "audit_accesslogresident"]

REFUSE = """
CREATE OR REPLACE FUNCTION portal_refuse_access_log_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('portal.purge_access_log', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

PURGE = """
CREATE OR REPLACE FUNCTION portal_purge_access_log(p_municipality_id bigint, p_before timestamptz)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = {schema}, pg_temp
AS $$
DECLARE
    retention_years integer;
    removed bigint;
BEGIN
    SELECT access_log_retention_years INTO retention_years
        FROM tenants_municipality WHERE id = p_municipality_id;
    IF retention_years IS NULL THEN
        RAISE EXCEPTION 'no municipality %', p_municipality_id
            USING ERRCODE = 'no_data_found';
    END IF;
    -- The clock now (not the transaction's start), with a day's grace for an
    -- application server whose clock runs a little ahead of the database's.
    IF p_before IS NULL
       OR p_before > clock_timestamp() - make_interval(years => retention_years) + interval '1 day'
    THEN
        RAISE EXCEPTION 'the access log is kept % years: % lies within that period',
            retention_years, p_before
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('portal.purge_access_log', 'on', true);
    DELETE FROM audit_accesslogresident AS shown
        USING audit_accesslogentry AS entry
        WHERE shown.entry_id = entry.id
          AND entry.municipality_id = p_municipality_id
          AND entry.at < p_before;
    DELETE FROM audit_accesslogentry
        WHERE municipality_id = p_municipality_id AND at < p_before;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('portal.purge_access_log', '', true);
    RETURN removed;
END;
$$;
REVOKE ALL ON FUNCTION portal_purge_access_log(bigint, timestamptz) FROM PUBLIC;
"""


def _retrigger(schema_editor, function):
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        schema = cursor.fetchone()[0]
    schema_editor.execute(REFUSE, params=None)
    schema_editor.execute(PURGE.format(schema=schema), params=None)
    _retrigger(schema_editor, "portal_refuse_access_log_change")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _retrigger(schema_editor, "portal_refuse_change")
    schema_editor.execute("DROP FUNCTION IF EXISTS portal_purge_access_log(bigint, timestamptz);")
    schema_editor.execute("DROP FUNCTION IF EXISTS portal_refuse_access_log_change();")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_list_reads"),
        ("tenants", "0005_municipality_access_log_retention"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
