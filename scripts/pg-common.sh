# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run).
#
# Reads the app's own environment: DATABASE_URL (postgres://user:password@host:port/name)
# and MEDIA_ROOT (default $VAR_DIR/media, VAR_DIR default <repo>/var), as config/settings.py.
# The password goes to libpq through PGPASSWORD, never on a command line or in output.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"

say() { echo "$SCRIPT_NAME: $*"; }
die() {
    echo "$SCRIPT_NAME: ERROR: $*" >&2
    exit 1
}

# Split DATABASE_URL into libpq's environment variables.
load_database_env() {
    [[ -n "${DATABASE_URL:-}" ]] || die "DATABASE_URL is not set"
    local exports
    exports="$("$PYTHON" - <<'PY'
import os, shlex, sys, urllib.parse as up
url = up.urlsplit(os.environ["DATABASE_URL"])
if url.scheme not in ("postgres", "postgresql", "pgsql"):
    sys.exit(f"DATABASE_URL is not a PostgreSQL URL (scheme {url.scheme!r})")
values = {
    "PGHOST": url.hostname or "",
    "PGPORT": str(url.port or 5432),
    "PGUSER": up.unquote(url.username or ""),
    "PGPASSWORD": up.unquote(url.password or ""),
    "PGDATABASE": up.unquote(url.path.lstrip("/")),
}
for key, value in up.parse_qsl(url.query):
    if key == "sslmode":
        values["PGSSLMODE"] = value
for key, value in values.items():
    if value:
        print(f"export {key}={shlex.quote(value)}")
    else:
        print(f"unset {key}")
PY
)" || die "cannot read DATABASE_URL"
    eval "$exports"
    [[ -n "${PGDATABASE:-}" ]] || die "DATABASE_URL names no database"
}

media_root() {
    if [[ -n "${MEDIA_ROOT:-}" ]]; then
        echo "$MEDIA_ROOT"
    else
        echo "${VAR_DIR:-$REPO_ROOT/var}/media"
    fi
}

# PG_BIN: the client tools of the server's major version (or newer), found as
# scripts/test-services.sh finds the server: /usr/lib/postgresql/<major>/bin,
# then the PATH. pg_dump refuses a newer server; a pg_restore older than the
# pg_dump that wrote the archive cannot read it. Override with PG_BIN.
find_pg_bin() {
    local server_major="$1" dir major
    if [[ -n "${PG_BIN:-}" ]]; then
        [[ -x "$PG_BIN/pg_dump" ]] || die "PG_BIN=$PG_BIN has no pg_dump"
        echo "$PG_BIN"
        return
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
        major="$(basename "$(dirname "$dir")")"
        if [[ -x "$dir/pg_dump" && "$major" -ge "$server_major" ]]; then
            echo "$dir"
            return
        fi
    done
    if command -v pg_dump >/dev/null 2>&1; then
        major="$(pg_dump --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')"
        if [[ "$major" -ge "$server_major" ]]; then
            dirname "$(command -v pg_dump)"
            return
        fi
    fi
    die "no pg_dump/pg_restore of PostgreSQL $server_major or newer (install postgresql-client-$server_major or set PG_BIN)"
}

# psql as found before the server's version is known (any version can ask it).
any_psql() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [[ -x "$dir/psql" ]] && { echo "$dir/psql"; return; }
    done
    command -v psql || die "psql not found (install the PostgreSQL client)"
}

server_major() {
    local num
    num="$("$(any_psql)" -X -A -t -v ON_ERROR_STOP=1 -c "SHOW server_version_num" 2>/dev/null)" ||
        die "cannot connect to the database $PGDATABASE on ${PGHOST:-localhost}:${PGPORT:-5432} as ${PGUSER:-?}"
    echo $((num / 10000))
}
