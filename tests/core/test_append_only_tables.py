"""Every append-only history is guarded in the database too, not only by the
ORM: its table is in apps.core.rls.APPEND_ONLY_TABLES (the application's role
may not UPDATE or DELETE it) and has the trigger that refuses a change for every
role. A new AppendOnlyModel that forgets either fails here."""

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from apps.core import rls
from apps.core.models import AppendOnlyModel
from tests.test_cross_municipality_relations import APPEND_ONLY_TABLES as PLANTING_GUARDED

TABLES = sorted(m._meta.db_table for m in apps.get_models() if issubclass(m, AppendOnlyModel))


def test_every_append_only_model_is_listed_for_the_database():
    assert set(TABLES) <= set(rls.APPEND_ONLY_TABLES)
    assert set(TABLES) <= PLANTING_GUARDED


@pytest.mark.django_db
@pytest.mark.parametrize("table", TABLES)
def test_every_append_only_table_has_its_trigger(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal",
            [f"{table}_append_only"],
        )
        assert cursor.fetchone(), f"{table} has no append-only trigger"
    # And it refuses, for the table's owner too.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608  # nosec B608 - a model's table
