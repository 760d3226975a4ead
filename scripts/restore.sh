#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and an empty MEDIA_ROOT.
#
#   scripts/restore.sh [--force] SRC_DIR
#
# The database is DATABASE_URL (create it first: createdb, owned by the role the
# portal's migrations run as); the files go to MEDIA_ROOT. A database that already
# has tables, or a MEDIA_ROOT that already has files, is refused unless --force
# (then the database objects of the backup are dropped and recreated, and the files
# are unpacked over what is there). Checks the checksums first; restores with
# pg_restore --no-owner --exit-on-error in one transaction (the append-only triggers
# and the purge function come back with the dump); then compares the migration state.
# One line per step; exits non-zero on any failure; never prints the password.
set -euo pipefail
SCRIPT_NAME=restore
# shellcheck source=scripts/pg-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/pg-common.sh"

FORCE=0
if [[ "${1:-}" == "--force" ]]; then
    FORCE=1
    shift
fi
[[ $# -eq 1 ]] || { echo "usage: $0 [--force] SRC_DIR" >&2; exit 2; }
SRC="$1"
[[ -d "$SRC" ]] || die "$SRC is not a directory"
[[ -f "$SRC/SHA256SUMS" ]] || die "$SRC has no SHA256SUMS: the backup is incomplete"
(cd "$SRC" && sha256sum --check --quiet --strict SHA256SUMS) || die "checksums of $SRC do not match"
say "checksums verified: $SRC"

load_database_env
MAJOR="$(server_major)"
BIN="$(find_pg_bin "$MAJOR")"
say "database $PGDATABASE on ${PGHOST:-localhost}:${PGPORT:-5432} (PostgreSQL $MAJOR), tools in $BIN"

psql_value() { "$BIN/psql" -X -A -t -v ON_ERROR_STOP=1 --no-password -c "$1"; }

TABLES="$(psql_value "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'")" ||
    die "cannot inspect the database"
CLEAN=()
if [[ "$TABLES" -ne 0 ]]; then
    [[ $FORCE -eq 1 ]] || die "the database $PGDATABASE is not empty ($TABLES relations); use --force to replace its contents"
    CLEAN=(--clean --if-exists)
    say "database not empty ($TABLES relations): replacing its contents (--force)"
else
    say "database is empty"
fi

MEDIA="$(media_root)"
if [[ -d "$MEDIA" && -n "$(ls -A "$MEDIA")" && $FORCE -ne 1 ]]; then
    die "MEDIA_ROOT $MEDIA is not empty; use --force to unpack over it"
fi

"$BIN/pg_restore" --no-owner --exit-on-error --single-transaction --no-password \
    "${CLEAN[@]}" --dbname="$PGDATABASE" "$SRC/database.dump" ||
    die "pg_restore failed: nothing was restored (one transaction)"
say "database restored from $SRC/database.dump"

mkdir -p "$MEDIA"
tar -C "$MEDIA" -xzf "$SRC/media.tar.gz" || die "unpacking the private files into $MEDIA failed"
say "private files restored into $MEDIA"

"$BIN/psql" -X -A -t -F ' ' -v ON_ERROR_STOP=1 --no-password \
    -c "SELECT app, name FROM django_migrations ORDER BY app, name" >"${TMPDIR:-/tmp}/restore-migrations.$$" ||
    die "cannot read the restored migration state"
if ! cmp -s "${TMPDIR:-/tmp}/restore-migrations.$$" "$SRC/migrations.txt"; then
    rm -f "${TMPDIR:-/tmp}/restore-migrations.$$"
    die "the restored migration state differs from the backup's migrations.txt"
fi
rm -f "${TMPDIR:-/tmp}/restore-migrations.$$"
say "migration state matches the backup ($(wc -l <"$SRC/migrations.txt") migrations); restore complete"
say "next: run 'python manage.py migrate' with the new release before starting it (docs/operations.md)"
