"""Django's PostgreSQL backend, plus one duty: before a cursor is used, the
connection's `portal.municipality` / `portal.all_municipalities` settings are
made to match the current django-scopes scope (apps/core/rls.py).

The connection remembers what it was last told, so the settings are only sent
when the scope changed: one extra round trip per change, none per query. A
rollback, to a savepoint too, may undo a `set_config` that ran inside it, and a
new connection starts without one, so both make the backend forget; the next
cursor says it again."""

from django.db.backends.postgresql import base
from psycopg2.extensions import TRANSACTION_STATUS_INERROR

from apps.core import rls

SET_SQL = (
    "SELECT set_config('portal.municipality', %s, false), "
    "set_config('portal.all_municipalities', %s, false)"
)


class DatabaseWrapper(base.DatabaseWrapper):
    portal_rls_state = None  # what the connection was last told; None: unknown

    def init_connection_state(self):
        self.portal_rls_state = None
        super().init_connection_state()

    def create_cursor(self, name=None):
        self.portal_rls_apply()
        return super().create_cursor(name)

    def portal_rls_apply(self):
        wanted = rls.wanted()
        if wanted == self.portal_rls_state or self.connection is None:
            return
        if self.connection.info.transaction_status == TRANSACTION_STATUS_INERROR:
            return  # only a rollback can run now; it makes us forget anyway
        with self.connection.cursor() as cursor:
            cursor.execute(SET_SQL, wanted.sql_args())
        self.portal_rls_state = wanted

    def _rollback(self):
        self.portal_rls_state = None
        return super()._rollback()

    def _savepoint_rollback(self, sid):
        # Said again after the rollback (the cursor below runs in the aborted
        # transaction, so it skips the settings).
        self.portal_rls_state = None
        super()._savepoint_rollback(sid)
        self.portal_rls_state = None

    def _close(self):
        self.portal_rls_state = None
        return super()._close()
