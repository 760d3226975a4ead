#!/usr/bin/env bash
# Back up the portal: the database and the private files (decision letters, reports).
#
#   scripts/backup.sh DEST_DIR
#
# DEST_DIR must not exist or be empty. It receives:
#   database.dump   pg_dump --format=custom of DATABASE_URL
#   media.tar.gz    the files under MEDIA_ROOT
#   migrations.txt  the applied migrations (app name), from django_migrations
#   manifest.txt    when, from which server, with which pg_dump
#   SHA256SUMS      checksums of the above, written last: a backup without it is incomplete
#
# Reads the app's environment (DATABASE_URL, MEDIA_ROOT; PG_BIN to choose the client
# tools). One line per step; exits non-zero on any failure; never prints the password.
# Restore with scripts/restore.sh; schedule and drill: docs/operations.md.
set -euo pipefail
SCRIPT_NAME=backup
# shellcheck source=scripts/pg-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/pg-common.sh"

[[ $# -eq 1 ]] || { echo "usage: $0 DEST_DIR" >&2; exit 2; }
DEST="$1"
if [[ -e "$DEST" ]]; then
    [[ -d "$DEST" && -z "$(ls -A "$DEST")" ]] || die "$DEST exists and is not an empty directory"
fi
mkdir -p "$DEST"
chmod 700 "$DEST"
umask 077

load_database_env
MAJOR="$(server_major)"
BIN="$(find_pg_bin "$MAJOR")"
say "database $PGDATABASE on ${PGHOST:-localhost}:${PGPORT:-5432} (PostgreSQL $MAJOR), tools in $BIN"

# Row-level security binds the tables' owner too (FORCE, docs/security.md): the
# dump reads every municipality's rows with the cross-municipality setting, as
# the application's sweeps do (a superuser is not bound and ignores it).
PGOPTIONS="${PGOPTIONS:-} -c portal.all_municipalities=on" \
    "$BIN/pg_dump" --format=custom --enable-row-security --no-password \
    --file="$DEST/database.dump" ||
    die "pg_dump failed"
say "database dumped: $DEST/database.dump ($(stat -c %s "$DEST/database.dump") bytes)"

"$BIN/psql" -X -A -t -F ' ' -v ON_ERROR_STOP=1 --no-password \
    -c "SELECT app, name FROM django_migrations ORDER BY app, name" >"$DEST/migrations.txt" ||
    die "cannot read the applied migrations"
say "migration state recorded: $(wc -l <"$DEST/migrations.txt") migrations"

MEDIA="$(media_root)"
if [[ -d "$MEDIA" ]]; then
    tar -C "$MEDIA" -czf "$DEST/media.tar.gz" . || die "tar of $MEDIA failed"
    say "private files archived: $MEDIA ($(tar -tzf "$DEST/media.tar.gz" | grep -vc '/$' || true) files)"
else
    tar -czf "$DEST/media.tar.gz" -T /dev/null || die "tar failed"
    say "private files archived: $MEDIA does not exist, empty archive"
fi

{
    echo "created_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "database=$PGDATABASE"
    echo "server_version=$("$BIN/psql" -X -A -t --no-password -c 'SHOW server_version')"
    echo "pg_dump=$("$BIN/pg_dump" --version)"
    echo "last_migration=$(tail -n1 "$DEST/migrations.txt")"
} >"$DEST/manifest.txt"
say "manifest written: $DEST/manifest.txt"

(cd "$DEST" && sha256sum database.dump media.tar.gz migrations.txt manifest.txt >SHA256SUMS.tmp &&
    mv SHA256SUMS.tmp SHA256SUMS) || die "checksums failed"
say "checksums written: $DEST/SHA256SUMS; backup complete"
