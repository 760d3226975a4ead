"""An access log entry, once written, is never changed or deleted: not through
the model, its queryset, its managers (Django's own base manager included), nor
in the database itself (a PostgreSQL trigger). The same holds for the rows naming
the residents a list or search showed."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models.deletion import ProtectedError
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry, AccessLogResident, AppendOnlyError
from apps.audit.services import log_access
from tests.conftest import make_person
from tests.factories import QuestionFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(municipality):
    with scope(municipality=municipality):
        resident = ResidentFactory(municipality=municipality)
        return log_access(
            municipality=municipality,
            action=AccessLogEntry.Action.VIEW,
            obj=resident,
            user=make_person(municipality),
        )


def stored(entry):
    with scopes_disabled():
        return AccessLogEntry.objects.values("action", "object_label", "reason").get(pk=entry.pk)


def test_a_saved_entry_cannot_be_saved_again(entry):
    before = stored(entry)
    entry.reason = "achteraf aangepast"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.save(update_fields=["reason"])
    assert stored(entry) == before


def test_a_new_instance_with_the_pk_of_an_entry_does_not_overwrite_it(entry, municipality):
    before = stored(entry)
    forged = AccessLogEntry(
        pk=entry.pk,
        municipality=municipality,
        action=AccessLogEntry.Action.CHANGE,
        object_type="intake.resident",
        object_label="vervalst",
    )
    # Django would turn this save into an UPDATE of the existing row; ours only inserts.
    with pytest.raises(DatabaseError), transaction.atomic():
        forged.save()
    with pytest.raises(AppendOnlyError):
        forged.save(force_update=True)
    # Past save(): the model internals go through the base manager, which refuses too.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        forged.save_base()
    assert stored(entry) == before


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert stored(entry)


def test_queryset_and_managers_refuse_update_and_delete(entry, municipality):
    with scope(municipality=municipality):
        managers = [AccessLogEntry.objects, AccessLogEntry._base_manager]
        for manager in managers:
            qs = manager.filter(pk=entry.pk)
            with pytest.raises(AppendOnlyError):
                qs.update(reason="x")
            with pytest.raises(AppendOnlyError):
                manager.update(reason="x")
            with pytest.raises(AppendOnlyError):
                qs.delete()
            with pytest.raises(AppendOnlyError):
                manager.all().delete()
            with pytest.raises(AppendOnlyError):
                qs.bulk_update([entry], ["reason"])
            with pytest.raises(AppendOnlyError):
                manager.update_or_create(pk=entry.pk, defaults={"reason": "x"})
            with pytest.raises(AppendOnlyError):
                manager.bulk_create(
                    [AccessLogEntry(pk=entry.pk, municipality=municipality, action="view")],
                    update_conflicts=True,
                    unique_fields=["id"],
                    update_fields=["action"],
                )
    with scopes_disabled():
        with pytest.raises(AppendOnlyError):
            AccessLogEntry.objects.all().update(reason="x")
        with pytest.raises(AppendOnlyError):
            AccessLogEntry.objects.all().delete()
    assert stored(entry)["reason"] == ""


def test_inserting_many_at_once_is_allowed(municipality):
    with scope(municipality=municipality):
        AccessLogEntry.objects.bulk_create(
            [
                AccessLogEntry(municipality=municipality, action="view", object_type="x")
                for _ in range(3)
            ]
        )
        assert AccessLogEntry.objects.count() == 3


def test_what_an_entry_points_to_cannot_be_deleted_from_under_it(entry, municipality):
    with scope(municipality=municipality), pytest.raises(ProtectedError):
        entry.resident.delete()
    assert stored(entry)


# --- the database itself ---------------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's"
)


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@postgres_only
def test_raw_sql_update_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_accesslogentry SET reason = 'x' WHERE id = %s", [entry.pk])
    # Also when no row matches: the trigger refuses the statement itself.
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_accesslogentry SET reason = 'x' WHERE id = -1")
    assert stored(entry)["reason"] == ""


@postgres_only
def test_raw_sql_delete_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_accesslogentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_accesslogentry")
    assert stored(entry)


@postgres_only
def test_raw_sql_upsert_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        raw(
            "INSERT INTO audit_accesslogentry (id, municipality_id, at, user_label, action, "
            "object_type, object_id, object_label, channel, reason, acted_as) "
            "SELECT id, municipality_id, at, user_label, 'change', object_type, object_id, "
            "'vervalst', channel, reason, acted_as FROM audit_accesslogentry WHERE id = %s "
            "ON CONFLICT (id) DO UPDATE SET object_label = EXCLUDED.object_label",
            [entry.pk],
        )
    assert stored(entry)["object_label"] != "vervalst"


@postgres_only
def test_the_forwarding_history_is_append_only_in_the_database_too(municipality):
    from tests.factories import QuestionForwardFactory

    with scope(municipality=municipality):
        question = QuestionFactory(municipality=municipality)
        forward = QuestionForwardFactory(municipality=municipality, question=question)
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE intake_questionforward SET reason = 'x' WHERE id = %s", [forward.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM intake_questionforward WHERE id = %s", [forward.pk])


# --- the residents a list showed ---------------------------------------------------------


@pytest.fixture
def shown(municipality):
    """The row naming one resident a list showed, written as a list is logged."""
    with scope(municipality=municipality):
        residents = ResidentFactory.create_batch(2, municipality=municipality)
        entry = log_access(
            municipality=municipality,
            action=AccessLogEntry.Action.VIEW,
            object_type="intake.resident",
            object_ids=[r.pk for r in residents],
            resident_ids=[r.pk for r in residents],
            user=make_person(municipality),
        )
        return AccessLogResident.objects.filter(entry=entry).order_by("pk").first()


def stored_rows():
    with scopes_disabled():
        return list(AccessLogResident.objects.values_list("pk", "entry_id", "resident_id"))


def test_a_shown_resident_cannot_be_changed_or_deleted(shown, municipality):
    before = stored_rows()
    assert len(before) == 2
    with scope(municipality=municipality):
        other = ResidentFactory(municipality=municipality)
    shown.resident = other
    with pytest.raises(AppendOnlyError):
        shown.save()
    with pytest.raises(AppendOnlyError):
        shown.save(update_fields=["resident"])
    with pytest.raises(AppendOnlyError):
        shown.delete()
    forged = AccessLogResident(
        pk=shown.pk, municipality=municipality, entry_id=shown.entry_id, resident=other
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        forged.save()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        forged.save_base()
    assert stored_rows() == before


def test_shown_residents_queryset_and_managers_refuse_update_and_delete(shown, municipality):
    before = stored_rows()
    with scope(municipality=municipality):
        for manager in [AccessLogResident.objects, AccessLogResident._base_manager]:
            qs = manager.filter(pk=shown.pk)
            with pytest.raises(AppendOnlyError):
                qs.update(resident=None)
            with pytest.raises(AppendOnlyError):
                qs.delete()
            with pytest.raises(AppendOnlyError):
                manager.all().delete()
            with pytest.raises(AppendOnlyError):
                qs.bulk_update([shown], ["resident"])
            with pytest.raises(AppendOnlyError):
                manager.update_or_create(pk=shown.pk, defaults={"resident_id": shown.resident_id})
            with pytest.raises(AppendOnlyError):
                manager.bulk_create(
                    [shown],
                    update_conflicts=True,
                    unique_fields=["id"],
                    update_fields=["resident"],
                )
        # Nor through the entry: its rows go with it nowhere.
        with pytest.raises(AppendOnlyError):
            shown.entry.shown_residents.all().delete()
    with scopes_disabled(), pytest.raises(AppendOnlyError):
        AccessLogResident.objects.all().delete()
    assert stored_rows() == before


def test_what_a_shown_resident_points_to_cannot_be_deleted_from_under_it(shown, municipality):
    with scope(municipality=municipality), pytest.raises(ProtectedError):
        shown.resident.delete()
    assert len(stored_rows()) == 2


@postgres_only
def test_shown_residents_are_append_only_in_the_database_too(shown):
    before = stored_rows()
    with pytest.raises(DatabaseError, match="append-only"):
        raw(
            "UPDATE audit_accesslogresident SET resident_id = resident_id WHERE id = %s", [shown.pk]
        )
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_accesslogresident SET resident_id = resident_id WHERE id = -1")
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_accesslogresident WHERE id = %s", [shown.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_accesslogresident")
    assert stored_rows() == before


def test_a_list_of_any_size_is_two_inserts(municipality):
    from django.db.models import Q
    from django.test.utils import CaptureQueriesContext

    from apps.audit.selectors import resident_accesses

    with scope(municipality=municipality):
        residents = ResidentFactory.create_batch(12, municipality=municipality)
        user = make_person(municipality)
        log_access(municipality=municipality, action="view", object_type="x", user=user)
        with CaptureQueriesContext(connection) as ctx:
            entry = log_access(
                municipality=municipality,
                action=AccessLogEntry.Action.VIEW,
                object_type="intake.resident",
                object_ids=[r.pk for r in residents],
                resident_ids=[r.pk for r in residents] * 2,  # named once each
                user=user,
            )
        inserts = [q for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
        assert len(inserts) == len(ctx.captured_queries) == 2
        assert entry.object_ids == [r.pk for r in residents]
        rows = AccessLogResident.objects.filter(entry=entry).order_by("pk")
        assert [row.resident_id for row in rows] == [r.pk for r in residents]
        assert all(row.municipality_id == municipality.pk for row in rows)
        # Each resident's accesses find the list once.
        for resident in residents:
            assert list(resident_accesses(municipality=municipality, resident=resident)) == [entry]
        assert not AccessLogEntry.objects.filter(~Q(pk=entry.pk), shown_residents__isnull=False)
