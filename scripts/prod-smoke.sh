#!/usr/bin/env bash
# Production smoke run: what the Dockerfile and docker-compose.yml do, without
# Docker, from the checkout, against the throwaway PostgreSQL and Redis of
# scripts/test-services.sh (called by `make test` after pytest):
#
#   eval "$(scripts/test-services.sh env)"; scripts/prod-smoke.sh
#
# collectstatic (DEBUG=0) into a temporary STATIC_ROOT, migrate as its own step
# against a fresh database `toegang_smoke` on the same server, the demo accounts,
# then gunicorn, a Celery worker (the compose worker's queues) and beat with the
# compose file's environment, and scripts/prod_smoke.py walks the portal over
# HTTP. Any failing step fails the run; whatever was started is always stopped
# (trap), also on failure.
#
# Differences from compose, on purpose:
# - SECURE_SSL_REDIRECT=0 and SECURE_COOKIES=0: there is no TLS proxy in front
#   here, plain HTTP on 127.0.0.1 (compose runs behind one and keeps both on).
# - The demo accounts come from `seed_demo --allow-without-debug` into the
#   throwaway smoke database: the published demo password never reaches a real
#   database, and with DEBUG=0 the second factor is required, so every person
#   sets up TOTP through the real set-up page.
# - CLAMD_ADDRESS is test-services.sh's clamd (TEST_CLAMD_ADDRESS) when it runs,
#   else empty with DOCUMENT_SCAN=off: uploads then go unscanned, knowingly.
# - 2 gunicorn workers and worker concurrency 1: the test machine is small.
# - migrate and the demo run as the tables' owner (DATABASE_URL); gunicorn,
#   the worker and beat as the application's role (DATABASE_APP_URL, made by
#   scripts/test-services.sh), which owns nothing and is bound by row-level
#   security, as the compose file's `migrate` and `web` services do.
#
# tests/core/test_deploy_mirror.py checks that the commands below stay those of
# the Dockerfile and docker-compose.yml.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
PY="${PY:-$REPO_ROOT/.venv/bin/python}"
BIN="$(dirname "$PY")"
: "${DATABASE_URL:?run scripts/test-services.sh start and eval its env first}"
: "${TEST_REDIS_URL:?run scripts/test-services.sh start and eval its env first}"

log() { echo "prod-smoke: $*" >&2; }

WORK="$(mktemp -d /tmp/toegang-prod-smoke.XXXXXX)"
SERVER_URL="${DATABASE_URL%/*}"   # postgres://user:password@host:port
SMOKE_DB=toegang_smoke
PIDS=()

cleanup() {
    local rc=$?
    set +e
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [[ $rc -ne 0 ]]; then
        for f in "$WORK"/*.log; do
            [[ -f "$f" ]] || continue
            log "--- last lines of $(basename "$f")"
            tail -n 30 "$f" >&2
        done
    fi
    psql -q "$SERVER_URL/postgres" -c "DROP DATABASE IF EXISTS $SMOKE_DB WITH (FORCE)" >/dev/null 2>&1
    rm -rf "$WORK"
    if [[ $rc -eq 0 ]]; then log "passed"; else log "FAILED (exit $rc)"; fi
    exit $rc
}
trap cleanup EXIT

PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
REDIS_SMOKE="${TEST_REDIS_URL%/*}/14"

# The compose file's environment (x-app), adapted as described above.
export DATABASE_URL="$SERVER_URL/$SMOKE_DB"
# The role migrate grants its rights to (the app connects as it from step 4 on).
export DATABASE_APP_ROLE="${DATABASE_APP_ROLE:-}"
export REDIS_URL="$REDIS_SMOKE"
export CELERY_BROKER_URL="$REDIS_SMOKE"
export CACHE_URL="${TEST_REDIS_URL%/*}/15"
export SECRET_KEY="prod-smoke-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS="localhost,127.0.0.1"
export DEBUG=0
export TRUST_X_FORWARDED_PROTO=1 TRUSTED_PROXY_COUNT=1
export SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
# Uploads are scanned by test-services.sh's clamd when it runs; without it they
# are stored unscanned, said so with DOCUMENT_SCAN=off (as an operator would).
if [[ -n "${TEST_CLAMD_ADDRESS:-}" ]]; then
    export CLAMD_ADDRESS="$TEST_CLAMD_ADDRESS"
    export DOCUMENT_SCAN=
else
    export CLAMD_ADDRESS=
    export DOCUMENT_SCAN=off
fi
export PORTAL_BASE_URL="http://127.0.0.1:$PORT"
export STATIC_ROOT="$WORK/static" MEDIA_ROOT="$WORK/media" MPLCONFIGDIR="$WORK/matplotlib"
export PYTHONPATH="$REPO_ROOT"
unset OTP_REQUIRED

log "step 1/6: collectstatic (DEBUG=0, manifest storage) into $STATIC_ROOT"
"$PY" manage.py collectstatic --noinput >"$WORK/collectstatic.log"

log "step 2/6: fresh database $SMOKE_DB; migrate"
psql -q "$SERVER_URL/postgres" -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS $SMOKE_DB WITH (FORCE)" -c "CREATE DATABASE $SMOKE_DB" >/dev/null
redis-cli -u "$REDIS_SMOKE" flushdb >/dev/null 2>&1 || true
"$PY" manage.py migrate --noinput >"$WORK/migrate.log"

log "step 3/6: demo accounts (seed_demo, smoke database only)"
"$PY" manage.py seed_demo --allow-without-debug >"$WORK/seed.log"

log "step 3b/6: row-level security on, and the application's role sees no municipality's rows"
"$PY" manage.py rls_status >"$WORK/rls.log" || { cat "$WORK/rls.log" >&2; exit 1; }
if [[ -n "${DATABASE_APP_URL:-}" ]]; then
    # The owner ran migrate and the demo; everything from here on connects as
    # the application's role, as in production (docker-compose.yml).
    APP_DB_URL="${DATABASE_APP_URL%/*}/$SMOKE_DB"
    seen="$(psql -qtA "$APP_DB_URL" -c "SELECT count(*) FROM intake_question")"
    [[ "$seen" == 0 ]] || { log "the application's role sees $seen questions without a municipality"; exit 1; }
    if psql -q "$APP_DB_URL" -c "DELETE FROM audit_accesslogentry" >/dev/null 2>&1; then
        log "the application's role could delete from the access log"; exit 1
    fi
    export DATABASE_URL="$APP_DB_URL"
fi

log "step 4/6: gunicorn on 127.0.0.1:$PORT, Celery worker and beat"
# HOME: gunicorn >= 25 puts a control socket under $HOME; one per run, so
# parallel runs never share it.
HOME="$WORK" "$BIN/gunicorn" -c config/gunicorn.conf.py config.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
    >"$WORK/gunicorn.log" 2>&1 &
PIDS+=($!)
"$BIN/celery" -A config worker -Q celery,reports --loglevel=info --concurrency=1 \
    --hostname "smoke@%h" >"$WORK/worker.log" 2>&1 &
PIDS+=($!)
"$BIN/celery" -A config beat --loglevel=info \
    --scheduler django_celery_beat.schedulers:DatabaseScheduler \
    --pidfile="$WORK/celerybeat.pid" >"$WORK/beat.log" 2>&1 &
PIDS+=($!)

for i in $(seq 1 60); do
    if "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz', timeout=5)" 2>/dev/null; then
        break
    fi
    [[ $i -eq 60 ]] && { log "gunicorn did not answer /healthz within 60 s"; exit 1; }
    for pid in "${PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null || { log "a process (pid $pid) stopped during start-up"; exit 1; }
    done
    sleep 1
done

log "step 5/6: HTTP walk (login with TOTP, question, case, voorwerk, decision, letter, report)"
timeout 240 "$PY" scripts/prod_smoke.py "http://127.0.0.1:$PORT" \
    "$("$PY" manage.py shell -v 0 -c 'from apps.demo.management.commands.seed_demo import DEMO_PASSWORD; print(DEMO_PASSWORD)')"

log "step 6/6: the processes are still up"
for pid in "${PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || { log "a process (pid $pid) died during the run"; exit 1; }
done
