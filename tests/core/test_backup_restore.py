"""The backup and restore drill: scripts/backup.sh dumps the database and the
private files; scripts/restore.sh brings them back into an empty database and an
empty MEDIA_ROOT. A decision letter comes back byte for byte and the access log
row for row, its append-only guard with it."""

import hashlib
import os
import subprocess
import uuid
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg2
import psycopg2.errors
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_scopes import scope

from apps.audit.models import AccessLogEntry
from apps.audit.services import log_access
from apps.decisions import services as decisions
from apps.decisions.models import DecisionLetter
from tests.decisions.conftest import submitted_proposal, town  # noqa: F401 (fixture)

REPO = Path(__file__).resolve().parents[2]
# The cluster trusts local connections, so any password gets in: a distinctive one
# shows whether a script ever prints it.
PASSWORD = "pw-never-printed-7f3a"

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def url_of(dbname: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{PASSWORD}@{db['HOST']}:{db['PORT']}/{dbname}"


def run(script, *args, database, media):
    env = {**os.environ, "DATABASE_URL": url_of(database), "MEDIA_ROOT": str(media)}
    env.pop("PGPASSWORD", None)
    return subprocess.run(  # noqa: S603 (our own scripts, fixed arguments)
        [str(REPO / "scripts" / script), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@contextmanager
def cursor_on(dbname, *, autocommit=True):
    # As the operator checking a restore: every municipality's rows (the owner
    # is bound by row-level security too, docs/security.md).
    options = "-c portal.all_municipalities=on"
    with closing(psycopg2.connect(url_of(dbname), options=options)) as conn:
        conn.autocommit = autocommit
        with conn.cursor() as cursor:
            yield cursor


def query(dbname, sql, params=None):
    with cursor_on(dbname) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def rows(dbname, table):
    return query(dbname, f"SELECT * FROM {table} ORDER BY id")  # noqa: S608


@pytest.fixture
def empty_database():
    name = f"restore_{uuid.uuid4().hex[:10]}"
    source = connection.settings_dict["NAME"]
    with cursor_on(source) as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with cursor_on(source) as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_and_restore_bring_back_the_letter_and_the_access_log_unchanged(
    town,  # noqa: F811
    media,
    tmp_path,
    empty_database,
):
    proposal = submitted_proposal(town)
    with scope(municipality=town["m"]):
        # The letter is built by the task on commit (eager in the tests).
        decision = decisions.proposal_decide(
            actor=town["consultant"], proposal=proposal, outcome="granted", reasons=""
        )
        letter = DecisionLetter.objects.get(decision=decision)
        resident = proposal.case.resident
        log_access(
            action=AccessLogEntry.Action.DOWNLOAD,
            obj=letter,
            user=town["consultant"],
            municipality=town["m"],
            resident=resident,
            reason="Brief nagestuurd",
        )
        log_access(
            action=AccessLogEntry.Action.SEARCH,
            user=town["member"],
            municipality=town["m"],
            object_type="intake.resident",
            object_label="Zoeken: Vries",
            object_ids=[resident.pk],
            resident_ids=[resident.pk],
        )
    letter_path = Path(settings.MEDIA_ROOT) / letter.file.name
    assert letter_path.read_bytes().startswith(b"%PDF")
    source_db = connection.settings_dict["NAME"]

    backup_dir = tmp_path / "backup"
    done = run("backup.sh", backup_dir, database=source_db, media=media)
    assert done.returncode == 0, done.stderr
    assert {p.name for p in backup_dir.iterdir()} == {
        "database.dump",
        "media.tar.gz",
        "migrations.txt",
        "manifest.txt",
        "SHA256SUMS",
    }
    assert "created_at=" in (backup_dir / "manifest.txt").read_text()
    assert "audit 0007_access_log_purge" in (backup_dir / "migrations.txt").read_text()

    restored_media = tmp_path / "restored-media"
    done_restore = run("restore.sh", backup_dir, database=empty_database, media=restored_media)
    assert done_restore.returncode == 0, done_restore.stderr
    for output in (done, done_restore):
        assert PASSWORD not in output.stdout + output.stderr
        assert len(output.stdout.splitlines()) >= 4  # a line per step

    assert sha256(restored_media / letter.file.name) == sha256(letter_path)
    for table in ("audit_accesslogentry", "audit_accesslogresident", "decisions_decisionletter"):
        assert rows(empty_database, table) == rows(source_db, table)
    assert len(rows(empty_database, "audit_accesslogentry")) >= 2
    assert rows(empty_database, "audit_accesslogresident")

    # The append-only trigger came back with the dump.
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        query(empty_database, "DELETE FROM audit_accesslogentry")
    # And the purge function still refuses what lies within the retention period.
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        query(
            empty_database, "SELECT portal_purge_access_log(%s, %s)", [town["m"].pk, timezone.now()]
        )

    # A second restore into the now filled database is refused, and changes nothing.
    again = run("restore.sh", backup_dir, database=empty_database, media=tmp_path / "other")
    assert again.returncode != 0
    assert "not empty" in again.stderr and "--force" in again.stderr
    assert rows(empty_database, "audit_accesslogentry") == rows(source_db, "audit_accesslogentry")


def test_a_damaged_backup_is_refused_before_anything_is_restored(
    media, tmp_path, empty_database, municipality
):
    backup_dir = tmp_path / "backup"
    assert (
        run(
            "backup.sh", backup_dir, database=connection.settings_dict["NAME"], media=media
        ).returncode
        == 0
    )
    with (backup_dir / "database.dump").open("r+b") as dump:
        dump.seek(100)
        dump.write(b"\0\0\0\0")
    done = run("restore.sh", backup_dir, database=empty_database, media=tmp_path / "restored")
    assert done.returncode != 0
    assert "checksums" in done.stderr
    assert query(empty_database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [
        (0,)
    ]
    assert not (tmp_path / "restored").exists()


def test_backup_refuses_a_directory_that_holds_something_and_a_database_that_does_not_answer(
    media, tmp_path
):
    used = tmp_path / "used"
    used.mkdir()
    (used / "old.dump").write_text("x")
    done = run("backup.sh", used, database=connection.settings_dict["NAME"], media=media)
    assert done.returncode != 0 and "not an empty directory" in done.stderr

    env = {**os.environ, "DATABASE_URL": f"postgres://nobody:{PASSWORD}@127.0.0.1:1/none"}
    done = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [str(REPO / "scripts" / "backup.sh"), str(tmp_path / "new")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "cannot connect" in done.stderr
    assert PASSWORD not in done.stdout + done.stderr
