"""Retention of the access log: entries past the municipality's retention period
are removed by the monthly purge, through the one path the append-only guards
leave open; everything else stays refused."""

import datetime
import logging

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.audit import tasks
from apps.audit.models import AccessLogEntry, AccessLogResident, AppendOnlyError
from apps.audit.services import RetentionError, access_log_purge, access_log_retention_cutoff
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger and function are PostgreSQL's"
)


def years_ago(years, days=0):
    now = timezone.now()
    return now.replace(year=now.year - years) - datetime.timedelta(days=days)


def make_entry(municipality, at, *, shown=()):
    with scope(municipality=municipality):
        entry = AccessLogEntry(
            municipality=municipality,
            at=at,
            action=AccessLogEntry.Action.VIEW,
            object_type="intake.resident",
            object_label="dossier",
            channel=AccessLogEntry.Channel.SYSTEM,
        )
        entry.save()
        AccessLogResident.append_only_base.bulk_create(
            [AccessLogResident(municipality=municipality, entry=entry, resident=r) for r in shown]
        )
    return entry


def entry_ids(municipality):
    with scopes_disabled():
        return set(
            AccessLogEntry.objects.filter(municipality=municipality).values_list("pk", flat=True)
        )


@pytest.fixture
def old_and_new(municipality):
    with scope(municipality=municipality):
        resident = ResidentFactory(municipality=municipality)
    old = make_entry(municipality, years_ago(5, days=2), shown=[resident])
    new = make_entry(municipality, years_ago(5, days=-2), shown=[resident])
    return old, new


def test_the_default_retention_of_the_access_log_is_five_years(municipality):
    assert municipality.access_log_retention_years == 5


def test_entries_older_than_the_retention_period_are_removed_and_newer_stay(
    municipality, old_and_new
):
    old, new = old_and_new
    assert access_log_purge(municipality=municipality) == 1
    assert entry_ids(municipality) == {new.pk}
    with scopes_disabled():
        assert set(AccessLogResident.objects.values_list("entry_id", flat=True)) == {new.pk}


def test_the_purge_follows_the_municipality_retention_setting(municipality, old_and_new):
    old, new = old_and_new
    municipality.access_log_retention_years = 10
    municipality.save()
    assert access_log_purge(municipality=municipality) == 0
    assert entry_ids(municipality) == {old.pk, new.pk}


def test_the_purge_leaves_other_municipalities_untouched(
    municipality, other_municipality, old_and_new
):
    theirs = make_entry(other_municipality, years_ago(8))
    access_log_purge(municipality=municipality)
    assert entry_ids(other_municipality) == {theirs.pk}


def test_a_cutoff_within_the_retention_period_is_refused_and_nothing_removed(
    municipality, old_and_new
):
    with pytest.raises(RetentionError):
        access_log_purge(municipality=municipality, before=timezone.now())
    assert len(entry_ids(municipality)) == 2


@postgres_only
def test_the_database_function_refuses_a_cutoff_within_the_retention_period(
    municipality, old_and_new
):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT portal_purge_access_log(%s, %s)", [municipality.pk, timezone.now()])
    assert len(entry_ids(municipality)) == 2


def test_the_plain_orm_delete_is_still_refused(municipality, old_and_new):
    with scopes_disabled():
        with pytest.raises(AppendOnlyError):
            AccessLogEntry.objects.filter(municipality=municipality).delete()
        with pytest.raises(AppendOnlyError):
            AccessLogEntry.append_only_base.all()._raw_delete(connection.alias)
        with pytest.raises(AppendOnlyError):
            AccessLogResident.objects.all().delete()
    assert len(entry_ids(municipality)) == 2


@postgres_only
def test_a_raw_delete_is_still_refused_by_the_database(municipality, old_and_new):
    for statement in ("DELETE FROM audit_accesslogresident", "DELETE FROM audit_accesslogentry"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accesslogentry SET reason = 'x'")
    assert len(entry_ids(municipality)) == 2


@postgres_only
def test_the_purge_flag_does_not_outlive_the_purge(municipality, old_and_new):
    access_log_purge(municipality=municipality)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry")


def test_the_purge_is_recorded_in_the_security_log(
    municipality, old_and_new, caplog, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.INFO, logger="portal.security"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        access_log_purge(municipality=municipality)
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    cutoff = access_log_retention_cutoff(municipality)
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith("access_log.purged ")
    assert f"municipality={municipality.pk}" in line
    assert "removed=1" in line and "by=system" in line
    assert f"cutoff={cutoff:%Y-%m-%d}" in line
    # Only ids, a moment and a count: nothing the entries were about.
    assert "dossier" not in line


def test_the_monthly_task_purges_every_active_municipality(
    municipality, other_municipality, old_and_new
):
    theirs = make_entry(other_municipality, years_ago(8))
    assert tasks.purge_access_log_everywhere.delay().get() == 2
    assert entry_ids(municipality) == {old_and_new[1].pk}
    assert entry_ids(other_municipality) == set()
    assert theirs.pk not in entry_ids(other_municipality)


def test_the_beat_schedule_has_the_monthly_purge():
    jobs = [
        job
        for job in settings.CELERY_BEAT_SCHEDULE.values()
        if job["task"] == "apps.audit.tasks.purge_access_log_everywhere"
    ]
    assert len(jobs) == 1
    schedule = jobs[0]["schedule"]
    assert schedule.day_of_month == {2} and schedule.hour == {3}


RETENTION_URL = "/beheer/toegangslog-bewaartermijn/"


def test_the_municipality_admin_sets_the_retention_period_and_it_is_logged(
    client, admin_user, municipality, caplog, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    page = client.get(RETENTION_URL)
    assert page.status_code == 200
    assert 'value="5"' in page.content.decode()
    with (
        caplog.at_level(logging.INFO, logger="portal.security"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            RETENTION_URL, {"access_log_retention_years": "7", "_municipality": municipality.pk}
        )
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.access_log_retention_years == 7
    assert any(
        r.getMessage() == f"access_log.retention_changed municipality={municipality.pk} years=5->7 "
        f"by={admin_user.pk}"
        for r in caplog.records
    )
    # The log page says how long entries are kept.
    assert "ouder dan 7 jaar" in client.get("/beheer/toegangslog/").content.decode()


@pytest.mark.parametrize("years", ["0", "31", "vijf", ""])
def test_a_retention_period_out_of_bounds_is_refused_and_nothing_saved(
    client, admin_user, municipality, years
):
    client.force_login(admin_user)
    response = client.post(
        RETENTION_URL, {"access_log_retention_years": years, "_municipality": municipality.pk}
    )
    assert response.status_code == 200
    assert "access_log_retention_years" in response.context["form"].errors
    municipality.refresh_from_db()
    assert municipality.access_log_retention_years == 5


def test_a_team_member_cannot_change_the_retention_period(client, team_member, municipality):
    client.force_login(team_member)
    assert client.get(RETENTION_URL).status_code == 403
    response = client.post(
        RETENTION_URL, {"access_log_retention_years": "1", "_municipality": municipality.pk}
    )
    assert response.status_code == 403
    municipality.refresh_from_db()
    assert municipality.access_log_retention_years == 5


def test_the_admin_of_another_municipality_changes_only_their_own_period(
    client, municipality, other_municipality
):
    from tests.conftest import make_person

    other_admin = make_person(other_municipality, admin=True)
    client.force_login(other_admin)
    response = client.post(
        RETENTION_URL, {"access_log_retention_years": "2", "_municipality": other_municipality.pk}
    )
    assert response.status_code == 302
    municipality.refresh_from_db()
    other_municipality.refresh_from_db()
    assert (
        municipality.access_log_retention_years,
        other_municipality.access_log_retention_years,
    ) == (5, 2)


def test_the_database_refuses_a_retention_period_shorter_than_a_year(municipality):
    municipality.access_log_retention_years = 0
    with pytest.raises(DatabaseError), transaction.atomic():
        municipality.save()
