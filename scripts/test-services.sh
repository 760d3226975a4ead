#!/usr/bin/env bash
# Throwaway PostgreSQL + Redis for the test suite (no Docker needed).
#
#   scripts/test-services.sh start   # (re)start them, listening on 127.0.0.1 only
#   scripts/test-services.sh env     # print the export lines (DATABASE_URL, TEST_REDIS_URL,
#                                    # TEST_CLAMD_ADDRESS)
#   scripts/test-services.sh stop    # stop them and delete their state
#   scripts/test-services.sh browser # install Debian's Chromium for tests/browser (root only)
#   scripts/test-services.sh wrk     # install wrk, the HTTP load generator of `make load` (root only)
#
# State lives in var/test-services-<pg port>-<redis port>/ (override with TEST_SERVICES_DIR). Ports are
# TEST_PG_PORT (default 55432) and TEST_REDIS_PORT (default 56379); clamd (the virus
# scanner of document uploads, with one test signature: EICAR) listens on
# TEST_REDIS_PORT + 100.
# Works as a normal user and as root (then PostgreSQL runs as the `postgres` user).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_PORT="${TEST_PG_PORT:-55432}"
REDIS_PORT="${TEST_REDIS_PORT:-56379}"
CLAMD_PORT=$((REDIS_PORT + 100))
# One state directory per pair of ports, so a run on other ports never stops
# the services of another run.
STATE_DIR="${TEST_SERVICES_DIR:-$REPO_ROOT/var/test-services-$PG_PORT-$REDIS_PORT}"
STATE_FILE="$STATE_DIR/state"
ENV_FILE="$STATE_DIR/env"
DB_NAME="toegang"
DB_USER="toegang"
DB_PASSWORD="toegang" # irrelevant (trust auth), but keeps the URL conventional
# The application's role: owns nothing, subject to row-level security, no
# TRUNCATE, no UPDATE/DELETE on the append-only tables (apps/core/rls.py). The
# owner ($DB_USER) runs the migrations, the test suite and the smoke run's
# migrate; the smoke run serves as this role.
APP_USER="toegang_app"
APP_PASSWORD="toegang_app"

log() { echo "test-services: $*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}
is_root() { [[ "$(id -u)" -eq 0 ]]; }

# apt_install PACKAGE: install a Debian package when running as root, without
# starting the package's own service (we start our own, on our own ports).
apt_install() {
    is_root || die "$1 is not installed; install it (e.g. 'sudo apt-get install $1') and retry"
    log "installing $1 with apt-get"
    local policy=/usr/sbin/policy-rc.d added_policy=0
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added_policy=1
    fi
    local rc=0
    apt-get update -qq >&2 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null ||
        rc=$?
    [[ $added_policy -eq 1 ]] && rm -f "$policy"
    [[ $rc -eq 0 ]] || die "apt-get install $1 failed"
}

# --- PostgreSQL -------------------------------------------------------------

find_pg_bin() {
    local found
    found="$(locate_pg_bin)" || {
        apt_install postgresql
        found="$(locate_pg_bin)" || die "PostgreSQL server binaries still not found after installing"
    }
    echo "$found"
}

locate_pg_bin() {
    local dir
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$dir/pg_ctl" && -x "$dir/initdb" ]]; then
            echo "$dir"
            return
        fi
    done
    return 1
}

pg_tool() { # pg_tool NAME -> path of a client tool, preferring the server's bin dir
    if [[ -x "$PG_BIN/$1" ]]; then echo "$PG_BIN/$1"; else command -v "$1" || die "$1 not found"; fi
}

as_pg() { # run a command as the PostgreSQL owner (the `postgres` user when we are root)
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

ensure_postgres_user() {
    if ! id postgres >/dev/null 2>&1; then
        log "creating system user 'postgres'"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin postgres
    fi
}

# Directory holding the cluster (data/, log, unix socket). Prefer the state dir;
# fall back to /tmp when postgres cannot reach it or the socket path gets too long.
make_pg_base() {
    local base="$STATE_DIR/pg"
    mkdir -p "$base"
    if is_root; then chown postgres:postgres "$base"; fi
    if (( ${#base} + 20 > 100 )) || ! as_pg test -w "$base"; then
        rm -rf "$base"
        base="$(mktemp -d /tmp/toegang-test-pg.XXXXXX)"
        chmod 755 "$base"
        if is_root; then chown postgres:postgres "$base"; fi
    fi
    echo "$base"
}

start_postgres() {
    PG_BIN="$(find_pg_bin)"
    if is_root; then ensure_postgres_user; fi
    if "$(pg_tool pg_isready)" -q -h 127.0.0.1 -p "$PG_PORT" >/dev/null 2>&1; then
        die "something is already listening on 127.0.0.1:$PG_PORT (set TEST_PG_PORT to use another port)"
    fi

    PG_BASE="$(make_pg_base)"
    echo "PG_BASE=$PG_BASE" >>"$STATE_FILE"
    echo "PG_BIN=$PG_BIN" >>"$STATE_FILE"

    log "initialising PostgreSQL cluster in $PG_BASE/data ($PG_BIN)"
    as_pg "$PG_BIN/initdb" --pgdata="$PG_BASE/data" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$STATE_DIR/initdb.log" 2>&1 ||
        { cat "$STATE_DIR/initdb.log" >&2; die "initdb failed"; }

    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_pg "$PG_BIN/pg_ctl" --pgdata="$PG_BASE/data" --log="$PG_BASE/postgres.log" \
        --options="-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_BASE -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        --wait --timeout=60 start >/dev/null ||
        { as_pg cat "$PG_BASE/postgres.log" >&2 || true; die "PostgreSQL did not start"; }

    local i
    for i in $(seq 1 60); do
        "$(pg_tool pg_isready)" -q -h 127.0.0.1 -p "$PG_PORT" && break
        [[ $i -eq 60 ]] && die "PostgreSQL is not answering on 127.0.0.1:$PG_PORT"
        sleep 0.5
    done

    "$(pg_tool psql)" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD'" \
        -c "CREATE ROLE $APP_USER LOGIN NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '$APP_PASSWORD'" \
        -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >/dev/null
}

stop_postgres() {
    [[ -n "${PG_BASE:-}" && -d "$PG_BASE" ]] || return 0
    local bin="${PG_BIN:-}"
    [[ -x "$bin/pg_ctl" ]] || bin="$(find_pg_bin)"
    if [[ -f "$PG_BASE/data/postmaster.pid" ]]; then
        log "stopping PostgreSQL ($PG_BASE)"
        as_pg "$bin/pg_ctl" --pgdata="$PG_BASE/data" --mode=fast --wait --timeout=30 stop \
            >/dev/null 2>&1 || {
            # Last resort: kill the postmaster recorded in the pid file.
            local pid
            pid="$(head -n1 "$PG_BASE/data/postmaster.pid" 2>/dev/null || true)"
            [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true
        }
    fi
    rm -rf "$PG_BASE"
}

# --- Redis --------------------------------------------------------------------

ensure_redis() {
    command -v redis-server >/dev/null 2>&1 && return 0
    apt_install redis-server
    command -v redis-server >/dev/null 2>&1 || die "redis-server still not found after installing"
}

redis_ping() {
    if command -v redis-cli >/dev/null 2>&1; then
        [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == "PONG" ]]
    else
        # Plain-bash fallback when redis-tools is missing.
        (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'PING\r\n' >&3 && timeout 2 head -c5 <&3 | grep -q PONG) 2>/dev/null
    fi
}

start_redis() {
    ensure_redis
    if redis_ping "$REDIS_PORT"; then
        die "something is already answering on 127.0.0.1:$REDIS_PORT (set TEST_REDIS_PORT to use another port)"
    fi
    local dir="$STATE_DIR/redis"
    mkdir -p "$dir"
    echo "REDIS_DIR=$dir" >>"$STATE_FILE"
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize yes --pidfile "$dir/redis.pid" --dir "$dir" --logfile "$dir/redis.log" ||
        die "redis-server failed to start"
    local i
    for i in $(seq 1 50); do
        redis_ping "$REDIS_PORT" && return 0
        sleep 0.2
    done
    cat "$dir/redis.log" >&2 || true
    die "Redis is not answering on 127.0.0.1:$REDIS_PORT"
}

stop_redis() {
    [[ -n "${REDIS_DIR:-}" && -d "$REDIS_DIR" ]] || return 0
    local pid i
    pid="$(cat "$REDIS_DIR/redis.pid" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        log "stopping Redis (pid $pid)"
        kill "$pid" 2>/dev/null || true
        for i in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$REDIS_DIR"
}

# --- clamd (virus scanner) -------------------------------------------------------
# Debian's clamav-daemon with a database directory of ONE signature file written
# here (the EICAR test string, anywhere in a file): no freshclam, no internet.

find_clamd() {
    command -v clamd 2>/dev/null && return 0
    [[ -x /usr/sbin/clamd ]] && echo /usr/sbin/clamd && return 0
    return 1
}

ensure_clamd() {
    find_clamd >/dev/null && return 0
    apt_install clamav-daemon
    find_clamd >/dev/null || die "clamd still not found after installing clamav-daemon"
}

clamd_ping() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'zPING\0' >&3 && timeout 2 head -c4 <&3 | grep -q PONG) 2>/dev/null
}

start_clamd() {
    ensure_clamd
    if clamd_ping "$CLAMD_PORT"; then
        die "something is already answering on 127.0.0.1:$CLAMD_PORT (set TEST_REDIS_PORT to move it)"
    fi
    local dir="$STATE_DIR/clamd"
    mkdir -p "$dir/db" "$dir/tmp"
    echo "CLAMD_DIR=$dir" >>"$STATE_FILE"
    local eicar='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
    printf 'Portal.Test.EICAR:0:*:%s\n' "$(printf '%s' "$eicar" | od -An -tx1 | tr -d ' \n')" \
        >"$dir/db/portal-test.ndb"
    cat >"$dir/clamd.conf" <<EOF
DatabaseDirectory $dir/db
TCPSocket $CLAMD_PORT
TCPAddr 127.0.0.1
PidFile $dir/clamd.pid
LogFile $dir/clamd.log
TemporaryDirectory $dir/tmp
Foreground no
StreamMaxLength 64M
EOF
    log "starting clamd on 127.0.0.1:$CLAMD_PORT"
    "$(find_clamd)" -c "$dir/clamd.conf" || {
        cat "$dir/clamd.log" >&2 || true
        die "clamd failed to start"
    }
    local i
    for i in $(seq 1 300); do
        clamd_ping "$CLAMD_PORT" && return 0
        sleep 0.2
    done
    cat "$dir/clamd.log" >&2 || true
    die "clamd is not answering on 127.0.0.1:$CLAMD_PORT after 60 s"
}

stop_clamd() {
    [[ -n "${CLAMD_DIR:-}" && -d "$CLAMD_DIR" ]] || return 0
    local pid i
    pid="$(cat "$CLAMD_DIR/clamd.pid" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        log "stopping clamd (pid $pid)"
        kill "$pid" 2>/dev/null || true
        for i in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$CLAMD_DIR"
}

# --- commands -------------------------------------------------------------------

cmd_stop() {
    if [[ -f "$STATE_FILE" ]]; then
        # shellcheck disable=SC1090
        source "$STATE_FILE"
    fi
    stop_clamd
    stop_redis
    stop_postgres
    rm -rf "$STATE_DIR"
}

cmd_start() {
    if [[ -e "$STATE_DIR" ]]; then
        log "cleaning up state from a previous run"
        cmd_stop
        unset PG_BASE PG_BIN REDIS_DIR CLAMD_DIR
    fi
    mkdir -p "$STATE_DIR"
    : >"$STATE_FILE"
    # On any failure, tear down whatever was started.
    trap 'rc=$?; if [[ $rc -ne 0 ]]; then log "start failed, cleaning up"; cmd_stop || true; fi' EXIT

    ensure_redis # fail early, before starting PostgreSQL
    ensure_clamd
    # Not a service, but the suite validates docker-compose.yml with Debian's
    # docker-compose (no Docker engine needed); installed like Redis when missing.
    command -v docker-compose >/dev/null 2>&1 || ! is_root || (apt_install docker-compose) ||
        log "docker-compose could not be installed; the compose check will be skipped"
    ensure_pdf_libs
    ensure_gettext
    start_postgres
    start_redis
    start_clamd

    cat >"$ENV_FILE" <<EOF
export DATABASE_URL=postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME
export TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export DATABASE_APP_ROLE=$APP_USER
export DATABASE_APP_URL=postgres://$APP_USER:$APP_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME
export TEST_CLAMD_ADDRESS=tcp://127.0.0.1:$CLAMD_PORT
EOF
    trap - EXIT
    log "ready:"
    sed 's/^/  /' "$ENV_FILE" >&2
}

# Not a service either: WeasyPrint (decision letters, reports) needs Pango.
ensure_pdf_libs() {
    ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' && return 0
    apt_install libpango-1.0-0
    apt_install libpangoft2-1.0-0
}

# Not a service either: a test checks locale/en is up to date with the source
# strings (makemessages needs GNU gettext's xgettext). The compiled .mo is
# committed, so running the portal never needs gettext.
ensure_gettext() {
    command -v xgettext >/dev/null 2>&1 && return 0
    ! is_root || (apt_install gettext) || true
    command -v xgettext >/dev/null 2>&1 || log "gettext could not be installed; the catalogue check will be skipped"
}

# Not a service either: the browser tests (tests/browser) drive Debian's
# Chromium. Installed with apt as root; otherwise those tests skip themselves.
ensure_browser() {
    [[ -x /usr/bin/chromium ]] && return 0
    if ! is_root; then
        log "no Chromium at /usr/bin/chromium and not root: the browser tests will be skipped"
        return 0
    fi
    (apt_install chromium) || log "Chromium could not be installed: the browser tests will be skipped"
}

# Not a service either: `make load` (scripts/load_test.py) drives the portal
# with wrk. Installed with apt as root; otherwise the load test says how to.
ensure_wrk() {
    command -v wrk >/dev/null 2>&1 && return 0
    apt_install wrk
}

cmd_env() {
    [[ -f "$ENV_FILE" ]] || die "services are not running (run: $0 start)"
    cat "$ENV_FILE"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
env) cmd_env ;;
pdf-libs) ensure_pdf_libs ;;
browser) ensure_browser ;;
wrk) ensure_wrk ;;
*)
    echo "usage: $0 start|stop|env|pdf-libs|browser|wrk" >&2
    exit 2
    ;;
esac
