"""Load test: the portal under many users at once, over HTTP (`make load`).

What it does, in order (README, "Performance"):

1. **Data.** A database `toegang_load` on the PostgreSQL of
   `scripts/test-services.sh`: migrated, the demo's structure loaded
   (`seed_demo --without-work`), then filled in SQL with residents (Dutch first
   names and surnames, for the name search), households, questions and cases:
   `--questions` in Overbetuwe (default 200,000) and `--other` in Uithoorn
   (default 800,000), spread over each municipality's teams, about 8% open,
   five years of history. Filled once; a second run reuses it.
2. **Server.** `collectstatic`, then gunicorn with the production settings
   (`DEBUG=0`, manifest static files, Redis cache, the application's database
   role under row-level security), `--workers`/`--threads` as given (the
   compose file's configuration by default).
3. **Sign-in.** The demo's Kernteam Elst member and loket consultant sign in
   through the real pages (password, then the TOTP set-up page); each also gets
   an API key of their own (`manage.py create_api_token`).
4. **Load.** wrk against each endpoint alone (`--connections`, `--duration`),
   `/healthz` first as the floor of the stack in the same run, then a mix of
   all of them (`--mix-connections`, `--mix-duration`). Every response that is
   not a 200 counts as an error. Prints req/s, p50/p95/p99 and errors per
   endpoint, and writes the table as Markdown and JSON to `var/load/`.

    bash scripts/test-services.sh start && bash scripts/test-services.sh wrk
    eval "$(bash scripts/test-services.sh env)"
    .venv/bin/python scripts/load_test.py                    # the whole run
    .venv/bin/python scripts/load_test.py --mix-duration 0   # endpoints only
    .venv/bin/python scripts/load_test.py --app-dir ../old   # another checkout's code, same data

The API throttle is raised for the run (API_THROTTLE_USER): two people make
every request here, hundreds a second, which the per-person limit rightly
refuses in production. Its code still runs on every request.

Never point this at a real database: it creates and fills `toegang_load`.
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess  # nosec B404  (gunicorn, manage.py and wrk: fixed argument lists)
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.benchdb import ensure_database  # noqa: E402
from scripts.prod_smoke import login  # noqa: E402

DB_NAME = "toegang_load"
# The local demo's documented password (README), never a real one.
DEMO_PASSWORD = "Toegang-demo-2026"  # noqa: S105  # nosec B105
MEMBER = "kernteamlid@overbetuwe.demo.test"  # Kernteam Elst
CONSULTANT = "consulent@overbetuwe.demo.test"  # Loket Samenleven
MAIN = "GM1734"  # Overbetuwe
OTHER = "GM0451"  # Uithoorn
SEARCH = "Vermeulen"

FIRST_NAMES = [
    "Anna",
    "Emma",
    "Julia",
    "Sophie",
    "Lotte",
    "Sanne",
    "Eva",
    "Lisa",
    "Fleur",
    "Noor",
    "Maria",
    "Johanna",
    "Cornelia",
    "Wilhelmina",
    "Hendrika",
    "Fatima",
    "Aisha",
    "Yasmina",
    "Sara",
    "Iris",
    "Jan",
    "Johannes",
    "Cornelis",
    "Hendrik",
    "Willem",
    "Pieter",
    "Gerrit",
    "Jacobus",
    "Dirk",
    "Kees",
    "Daan",
    "Sem",
    "Lucas",
    "Milan",
    "Thijs",
    "Mohamed",
    "Ahmed",
    "Youssef",
    "Bram",
    "Ruben",
]
SURNAMES = [
    "Jansen",
    "Vries",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Wit",
    "Dijkstra",
    "Smits",
    "Graaf",
    "Meer",
    "Linden",
    "Kok",
    "Jacobs",
    "Haan",
    "Vermeulen",
    "Heuvel",
    "Veen",
    "Broek",
    "Bruijn",
    "Berg",
    "Schouten",
    "Beek",
    "Willems",
    "Vliet",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Koster",
    "Prins",
    "Blom",
    "Huisman",
    "Leeuwen",
    "Kuipers",
    "Yilmaz",
    "Kaya",
    "Amrani",
    "Boukhari",
    "Wouters",
    "Postma",
    "Kramer",
    "Timmermans",
    "Groot",
    "Jonker",
    "Wijk",
    "Sanders",
    "Hoek",
    "Koning",
    "Bosch",
    "Vink",
    "Molenaar",
    "Dam",
]
PREFIXES = ["", "", "", "", "de", "van", "van der", "van den", "de", ""]


def env_urls():
    owner = os.environ.get("DATABASE_URL", "")
    app = os.environ.get("DATABASE_APP_URL", "")
    redis = os.environ.get("TEST_REDIS_URL", "")
    if not owner.startswith("postgres") or not redis:
        sys.exit(
            "Start the throwaway services first:\n"
            "  bash scripts/test-services.sh start\n"
            '  eval "$(bash scripts/test-services.sh env)"'
        )
    # Only ever the throwaway services on this machine: never a real server.
    for url in (owner, app, redis):
        if url and urlparse(url).hostname not in ("127.0.0.1", "localhost"):
            sys.exit(f"Not a throwaway service on this machine: {urlparse(url).hostname}")
    owner = owner.rsplit("/", 1)[0] + "/" + DB_NAME
    app = app.rsplit("/", 1)[0] + "/" + DB_NAME if app else owner
    return owner, app, redis.rsplit("/", 1)[0]


def connect(url):
    import psycopg2

    p = urlparse(url)
    conn = psycopg2.connect(
        dbname=p.path.lstrip("/"),
        user=p.username,
        password=p.password,
        host=p.hostname,
        port=p.port,
    )
    conn.autocommit = True
    cur = conn.cursor()
    # The owner too is bound by row-level security (FORCE); the fill works
    # across municipalities on purpose, on this throwaway database only.
    cur.execute("SET portal.all_municipalities = 'on'")
    return conn, cur


def manage(app_dir, env, *args, quiet=True):
    out = subprocess.DEVNULL if quiet else None
    subprocess.run(  # noqa: S603  # nosec B603
        [sys.executable, "manage.py", *args], cwd=app_dir, env=env, check=True, stdout=out
    )


def base_env(app_dir, database_url, redis_base, work):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=f"{redis_base}/12",
        CELERY_BROKER_URL=f"{redis_base}/12",
        CACHE_URL=f"{redis_base}/13",
        SECRET_KEY="load-test-" + secrets.token_hex(16),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DOCUMENT_SCAN="off",
        CLAMD_ADDRESS="",
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
        MPLCONFIGDIR=str(work / "matplotlib"),
        PYTHONPATH=str(app_dir),
        API_THROTTLE_USER="10000000/minute",
    )
    env.pop("OTP_REQUIRED", None)
    return env


# --- 1. Data -----------------------------------------------------------------


def build(args, owner_url, redis_base, work):
    ensure_database(owner_url)
    env = base_env(args.app_dir, owner_url, redis_base, work)
    env["PORTAL_BASE_URL"] = "http://127.0.0.1"
    print("load: migrate", flush=True)
    manage(args.app_dir, env, "migrate", "--noinput")
    conn, cur = connect(owner_url)
    cur.execute("SELECT count(*) FROM tenants_municipality WHERE cbs_code = %s", [MAIN])
    if not cur.fetchone()[0]:
        print("load: the demo's structure (seed_demo --without-work)", flush=True)
        manage(args.app_dir, env, "seed_demo", "--without-work", "--allow-without-debug")
    for cbs, n in ((MAIN, args.questions), (OTHER, args.other)):
        cur.execute(
            # The fill's own questions ("Vraag <n>"), not the demo's history.
            "SELECT m.id, count(q.id) FROM tenants_municipality m "
            "LEFT JOIN intake_question q ON q.municipality_id = m.id "
            "AND q.description ~ '^Vraag [0-9]+$' WHERE m.cbs_code = %s GROUP BY m.id",
            [cbs],
        )
        municipality, present = cur.fetchone()
        if present:
            print(f"load: {cbs} holds {present:,} questions already; reused", flush=True)
            continue
        started = time.perf_counter()
        print(f"load: filling {n:,} questions in {cbs} …", flush=True)
        fill(cur, municipality, n)
        print(f"load:   filled in {time.perf_counter() - started:.0f} s", flush=True)
    cur.execute("ANALYZE")
    conn.close()


def fill(cur, m, n):
    """Residents, households, questions and cases of municipality `m` in SQL
    (generate_series): the ORM would take hours for a million rows."""
    cur.execute(
        """
        SELECT t.id, t.kind,
               array_agg(ms.staff_member_id ORDER BY ms.staff_member_id)
                   FILTER (WHERE ms.function NOT IN ('volunteer', 'shell_partner'))
        FROM teams_team t JOIN teams_membership ms ON ms.team_id = t.id
        WHERE t.municipality_id = %s AND t.is_active
              AND t.kind IN ('loket', 'kernteam', 'social_team')
        GROUP BY t.id, t.kind ORDER BY t.id
        """,
        [m],
    )
    teams = [(pk, kind, staff) for pk, kind, staff in cur.fetchall() if staff]
    # A fifth of the questions reaches the loket, the rest the teams evenly.
    slots = []
    kern = [i for i, t in enumerate(teams) if t[1] != "loket"]
    loket = [i for i, t in enumerate(teams) if t[1] == "loket"]
    for s in range(100):
        pool = loket if (s < 20 and loket) or not kern else kern
        slots.append(pool[s % len(pool)] + 1)
    cur.execute("SELECT id FROM teams_area WHERE municipality_id = %s ORDER BY id", [m])
    areas = [row[0] for row in cur.fetchall()] or [None]
    cur.execute("DROP TABLE IF EXISTS load_team")
    cur.execute("CREATE TEMP TABLE load_team (idx int, team_id bigint, staff bigint[])")
    for i, (pk, _kind, staff) in enumerate(teams, start=1):
        cur.execute("INSERT INTO load_team VALUES (%s, %s, %s)", [i, pk, staff])
    households, residents = n // 4, n // 2
    cur.execute(
        """
        INSERT INTO intake_household (version, updated_at, name, created_at, municipality_id)
        SELECT 1, now(), 'Huishouden ' || g, now(), %s FROM generate_series(1, %s) AS g
        """,
        [m, households],
    )
    cur.execute(
        """
        INSERT INTO intake_resident (version, updated_at, municipality_id, bsn, first_names,
            surname_prefix, surname, date_of_birth, street, postcode, city, area_id, phone,
            email, household_id, household_relation, created_at)
        SELECT 1, now(), %(m)s, '', (%(first)s::text[])[1 + (r.g * 7) %% %(nf)s],
            (%(prefixes)s::text[])[1 + r.g %% %(np)s],
            (%(surnames)s::text[])[1 + (r.g * 13 + r.g / 7) %% %(ns)s],
            date '1935-01-01' + (r.g * 37 %% 31000)::int, 'Dorpsstraat ' || (r.g %% 300 + 1),
            '', '', (%(areas)s::bigint[])[1 + r.g %% %(na)s], '', '',
            h.id, CASE WHEN r.g %% 2 = 0 THEN 'applicant' ELSE 'partner' END, now()
        FROM generate_series(1, %(residents)s::bigint) AS r(g)
        JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn
              FROM intake_household WHERE municipality_id = %(m)s) AS h
          ON h.rn = 1 + (r.g - 1) / 2
        """,
        {
            "m": m,
            "first": FIRST_NAMES,
            "nf": len(FIRST_NAMES),
            "prefixes": PREFIXES,
            "np": len(PREFIXES),
            "surnames": SURNAMES,
            "ns": len(SURNAMES),
            "areas": areas,
            "na": len(areas),
            "residents": residents,
        },
    )
    # About 3% new and 5% in progress (received in the last three months), the
    # rest closed over five years; channels, laws and youth spread.
    cur.execute(
        """
        INSERT INTO intake_question (version, updated_at, municipality_id, resident_id,
            household_id, area_id, channel, received_at, received_by_id, gate_id,
            reporter_name, reporter_relation, reporter_contact, resident_is_aware,
            description, laws, is_youth, youth_is_derived, investigation_deadline,
            triage_rule_id, triage_rule_name, triage_team_id, override_reason, team_id,
            assigned_to_id, status, created_at, closed_at, closed_by_id, closure_note,
            submission_key, case_id, personal_plan_received_on)
        SELECT 1, now(), %(m)s, r.id, r.household_id, r.area_id,
            (ARRAY['telephone', 'email', 'walk_in', 'third_party', 'kcc'])[1 + q.g %% 5],
            CASE WHEN q.g %% 100 < 8
                 THEN now() - (q.g %% 90) * interval '1 day' - (q.g %% 1440) * interval '1 minute'
                 ELSE now() - (90 + q.g %% 1735) * interval '1 day'
                          - (q.g %% 1440) * interval '1 minute' END,
            t.staff[1], NULL, '', '', '', true, 'Vraag ' || q.g,
            (ARRAY['[]', '["wmo"]', '["jeugdwet"]', '["wmo", "participatiewet"]',
                   '["wmo"]'])[1 + q.g %% 5]::jsonb,
            q.g %% 4 = 0, false, NULL, NULL, 'standaardbestemming', t.team_id, '', t.team_id,
            CASE WHEN q.g %% 100 BETWEEN 3 AND 7
                 THEN t.staff[1 + q.g %% array_length(t.staff, 1)] END,
            CASE WHEN q.g %% 100 < 3 THEN 'new' WHEN q.g %% 100 < 8 THEN 'in_progress'
                 ELSE 'closed' END,
            now(),
            CASE WHEN q.g %% 100 >= 8 THEN now() - (60 + q.g %% 1735) * interval '1 day' END,
            CASE WHEN q.g %% 100 >= 8 THEN t.staff[1] END,
            CASE WHEN q.g %% 100 >= 8 THEN 'Afgehandeld' ELSE '' END, '', NULL, NULL
        FROM generate_series(1, %(n)s::bigint) AS q(g)
        JOIN (SELECT id, household_id, area_id, row_number() OVER (ORDER BY id) AS rn
              FROM intake_resident WHERE municipality_id = %(m)s) AS r
          ON r.rn = 1 + (q.g * 7919) %% %(residents)s
        JOIN load_team t ON t.idx = (%(slots)s::int[])[1 + (q.g * 31) %% 100]
        """,
        {"m": m, "n": n, "residents": residents, "slots": slots},
    )
    # One case per twenty questions, at the teams that run cases, directed by
    # the team's people in turn; about a third still running.
    cur.execute(
        """
        INSERT INTO cases_case (version, updated_at, status, title, opened_on, closed_on,
            closure_note, created_at, created_by_id, director_id, household_id,
            municipality_id, resident_id, team_id, updated_by_id)
        SELECT 1, now(),
            (ARRAY['open', 'plan', 'follow_up', 'closed', 'closed', 'closed', 'decided',
                   'closed', 'closed'])[1 + c.g %% 9],
            'Casus ' || c.g, current_date - (c.g %% 1825)::int,
            CASE WHEN (ARRAY[0, 0, 0, 1, 1, 1, 0, 1, 1])[1 + c.g %% 9] = 1
                 THEN current_date - (c.g %% 60)::int END,
            '', now(), t.staff[1 + c.g %% array_length(t.staff, 1)],
            t.staff[1 + c.g %% array_length(t.staff, 1)], r.household_id, %(m)s, r.id,
            t.team_id, NULL
        FROM generate_series(1, %(cases)s::bigint) AS c(g)
        JOIN (SELECT id, household_id, row_number() OVER (ORDER BY id) AS rn
              FROM intake_resident WHERE municipality_id = %(m)s) AS r
          ON r.rn = 1 + (c.g * 104729) %% %(residents)s
        JOIN load_team t ON t.idx = (%(slots)s::int[])[1 + (c.g * 17) %% 100]
        """,
        {"m": m, "cases": n // 20, "residents": residents, "slots": slots},
    )


# --- 2. Server -----------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(args, app_url, redis_base, work):
    port = free_port()
    env = base_env(args.app_dir, app_url, redis_base, work)
    env["PORTAL_BASE_URL"] = f"http://127.0.0.1:{port}"
    env["HOME"] = str(work)  # gunicorn >= 25 keeps a control socket under $HOME
    manage(args.app_dir, env, "collectstatic", "--noinput")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        "-c",
        "config/gunicorn.conf.py",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--worker-class",
        args.worker_class,
    ]
    log = open(work / "gunicorn.log", "w")  # noqa: SIM115  (closed with the process)
    process = subprocess.Popen(command, cwd=args.app_dir, env=env, stdout=log, stderr=log)  # noqa: S603  # nosec B603
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:  # noqa: S310  # nosec B310
                if r.status == 200:
                    return process, base, env
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.5)
    process.kill()
    sys.exit(f"gunicorn did not answer /healthz; see {work / 'gunicorn.log'}")


# --- 3. Sign-in ------------------------------------------------------------------


def sign_in(args, owner_url, env, base):
    """Sessions through the real pages (password + TOTP set-up) and API keys."""
    conn, cur = connect(owner_url)
    # A fresh device each run: the TOTP set-up page is part of the sign-in.
    cur.execute(
        "DELETE FROM otp_totp_totpdevice WHERE user_id IN "
        "(SELECT id FROM accounts_user WHERE email IN (%s, %s))",
        [MEMBER, CONSULTANT],
    )
    cur.execute(
        "SELECT t.id, t.kind FROM teams_team t JOIN tenants_municipality m "
        "ON m.id = t.municipality_id WHERE m.cbs_code = %s AND t.name IN "
        "('Kernteam Elst', 'Loket Samenleven')",
        [MAIN],
    )
    teams = {kind: pk for pk, kind in cur.fetchall()}
    conn.close()
    people = {}
    for key, email in (("member", MEMBER), ("consultant", CONSULTANT)):
        browser = login(base, email, DEMO_PASSWORD)
        cookie = "; ".join(f"{c.name}={c.value}" for c in browser.jar)
        token_env = dict(env, DATABASE_URL=owner_url)
        key_text = subprocess.run(  # noqa: S603  # nosec B603
            [sys.executable, "manage.py", "create_api_token", "--municipality", MAIN]
            + ["--email", email, "--name", "load test", "--days", "2"],
            cwd=args.app_dir,
            env=token_env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        people[key] = {
            "page": {"Cookie": cookie},
            "api": {"Authorization": f"Token {key_text}", "Accept": "application/json"},
        }
    return people, teams["kernteam"], teams["loket"]


def endpoints(people, elst, loket):
    member, consultant = people["member"], people["consultant"]
    q = "/api/v1/questions/"
    return [
        ("/healthz (floor)", "/healthz", {}),
        ("API inbox Kernteam Elst (open)", f"{q}?team={elst}", member["api"]),
        (
            "API inbox, status all + law + youth",
            f"{q}?team={elst}&status=all&law=jeugdwet&youth=true",
            member["api"],
        ),
        ("API loket, all open questions", f"{q}?team={loket}", consultant["api"]),
        ("API name search q=", f"{q}?team={elst}&status=all&q={SEARCH}", member["api"]),
        ("API cases (member)", "/api/v1/cases/", member["api"]),
        ("page inbox Elst", f"/intake/inbox/{elst}/", member["page"]),
        ("page inbox loket", f"/intake/inbox/{loket}/", consultant["page"]),
        ("page start member", "/", member["page"]),
        ("page start loket", "/", consultant["page"]),
        ("page cases (member)", "/casussen/", member["page"]),
    ]


def check(base, name, path, headers):
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310  # nosec B310
    try:
        with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310  # nosec B310
            status, final = r.status, r.geturl()
    except urllib.error.HTTPError as exc:
        status, final = exc.code, path
    if status != 200 or final != base + path:
        sys.exit(f"{name}: {path} answered {status} ({final}), not 200: the run would measure that")


# --- 4. Load -------------------------------------------------------------------------

LUA = """
local entries = {ENTRIES}
local threads = {}
local counter = 0
bad = 0
function setup(thread)
  table.insert(threads, thread)
end
function request()
  counter = counter + 1
  local e = entries[(counter %% #entries) + 1]
  return wrk.format("GET", e[1], e[2])
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local not200 = 0
  for _, t in ipairs(threads) do not200 = not200 + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'LOADJSON {"requests": %%d, "duration_us": %%d, "socket_errors": %%d, "not_200": %%d, ' ..
    '"p50": %%d, "p95": %%d, "p99": %%d, "max": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, not200,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def lua_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def lua_script(entries):
    """wrk's script: the (path, headers) entries in turn per thread, every
    response that is not a 200 counted, the figures printed as one JSON line."""
    items = []
    for path, headers in entries:
        pairs = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
        items.append("{" + lua_string(path) + ", {" + pairs + "}}")
    return LUA.replace("%%", "%").replace("{ENTRIES}", "{" + ", ".join(items) + "}")


def wrk(base, entries, connections, duration, work):
    script = work / f"load-{secrets.token_hex(4)}.lua"
    script.write_text(lua_script(entries))
    threads = min(2, connections)
    result = subprocess.run(  # noqa: S603  # nosec B603
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s"]
        + ["--timeout", "10s", "-s", str(script), base + entries[0][0]],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("LOADJSON "))
    data = json.loads(line.removeprefix("LOADJSON "))
    seconds = data["duration_us"] / 1e6
    return {
        "req_s": data["requests"] / seconds,
        "requests": data["requests"],
        "errors": data["socket_errors"] + data["not_200"],
        "p50": data["p50"] / 1000,
        "p95": data["p95"] / 1000,
        "p99": data["p99"] / 1000,
        "max": data["max"] / 1000,
    }


def row(name, r):
    return (
        f"| {name} | {r['req_s']:,.0f} | {r['p50']:.0f} ms | {r['p95']:.0f} ms "
        f"| {r['p99']:.0f} ms | {r['errors']} |"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=200_000, help="in Overbetuwe")
    parser.add_argument("--other", type=int, default=800_000, help="in Uithoorn")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--duration", type=int, default=20, help="seconds per endpoint")
    parser.add_argument("--mix-connections", type=int, default=50)
    parser.add_argument("--mix-duration", type=int, default=600, help="seconds; 0 skips")
    parser.add_argument("--only", help="run only the endpoints whose name contains this")
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--label", default="", help="a name for this run in the output")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    args.app_dir = args.app_dir.resolve()
    if not args.build_only and shutil.which("wrk") is None:
        sys.exit("wrk is not installed: bash scripts/test-services.sh wrk (or apt-get install wrk)")
    owner_url, app_url, redis_base = env_urls()
    out_dir = ROOT / "var" / "load"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="toegang-load-") as tmp:
        work = Path(tmp)
        build(args, owner_url, redis_base, work)
        if args.build_only:
            return
        process, base, env = serve(args, app_url, redis_base, work)
        try:
            people, elst, loket = sign_in(args, owner_url, env, base)
            chosen = endpoints(people, elst, loket)
            if args.only:
                chosen = [e for e in chosen if e[0] == chosen[0][0] or args.only in e[0]]
            for name, path, headers in chosen:
                check(base, name, path, headers)
            config = (
                f"gunicorn {args.workers} workers x {args.threads} threads ({args.worker_class}), "
                f"wrk {args.connections} connections x {args.duration} s per endpoint"
            )
            lines = [
                f"{args.label or 'run'}: {config}; {os.cpu_count()} cores; "
                f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
                "",
                "| endpoint | req/s | p50 | p95 | p99 | errors |",
                "|---|---|---|---|---|---|",
            ]
            print("\n".join(lines), flush=True)
            results = {}
            for name, path, headers in chosen:
                results[name] = r = wrk(
                    base, [(path, headers)], args.connections, args.duration, work
                )
                lines.append(row(name, r))
                print(lines[-1], flush=True)
            if args.mix_duration:
                # Pages weigh twice: staff work in the browser; integrations poll the API.
                mix = [(p, h) for n, p, h in chosen if n.startswith("page")] * 2
                mix += [(p, h) for n, p, h in chosen if n.startswith("API")]
                name = f"mix of all, {args.mix_connections} connections x {args.mix_duration} s"
                results[name] = r = wrk(base, mix, args.mix_connections, args.mix_duration, work)
                lines.append(row(name, r))
                print(lines[-1], flush=True)
        finally:
            process.terminate()
            process.wait(timeout=30)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        (out_dir / f"{stamp}.md").write_text("\n".join(lines) + "\n")
        (out_dir / f"{stamp}.json").write_text(json.dumps(results, indent=2) + "\n")
        print(f"\nload: written to {out_dir / stamp}.md and .json", flush=True)


if __name__ == "__main__":
    main()
