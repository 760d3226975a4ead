"""Benchmark: one year's monitoring report of a municipality with 100 000 questions (issue #5).

Fills a PostgreSQL database with one municipality ("Benchmark rapportage") and
everything a report counts, spread over the two years before the day of the
fill, in roughly the ratios of the seed reports:

* a loket and 6 kernteams (one per kern), 8 + 13 members each with a mother
  organisation (the municipality, STUW, MEE, Cardea, Sociaal Werk, Jeugdteam,
  and volunteers from the Vrijwilligerscentrale); the loket's 6 consultants hold
  mandates (Wmo for all, Jeugdwet or Participatiewet for some) and are the
  kernteams' linked consultants;
* the 13 ZRM life domains, 5 provision types (three Wmo, one Jeugdwet, one
  Participatiewet);
* 0.55 N households, each with an applicant, every second one also a child;
* N questions (six channels, 1-3 life domains each, ~28% youth), 65% received
  at the loket, the rest at the area's kernteam; 30% of the loket's are
  forwarded to the kernteam (2% of those back again), 10% of a kernteam's to
  the loket (the forward history, QuestionForward);
* one case per household from its first question that needs one (55% of the
  questions that end at a kernteam, 20% at the loket), with 1-4 activities
  (kitchen-table talks, home visits, of which half at a kernteam are joint
  visits with the team's linked loket consultant, case discussions, expert
  consultations) and their participants;
* a proposal on 60% of the cases (voorwerk when a kernteam runs the case; the
  loket's own otherwise), 10% first returned for information, 5% with an
  extended deadline; decisions granted / granted with changes / refused
  (70 / 8 / 17%) after a lag that misses the statutory deadline (2 weeks Wmo,
  8 weeks otherwise) now and then; a granted provision per grant.

Support plans, assessments and follow-ups are left out: no report table counts
them. A second municipality gets the same shape with N/20 questions, so every
query must keep to its own municipality.

The bulk is written with INSERT ... SELECT over generate_series and temporary
tables holding pre-drawn ids (no ORM, so no model validation or signals). The
database's append-only triggers on decisions, deadline changes and the access
log (apps/audit/migrations/0002, apps/decisions/migrations/0002) refuse UPDATE
and DELETE only, so plain INSERTs pass; nothing here updates them afterwards.
100 000 questions take about a minute.

Then it times, inside the municipality's scope, the median and worst of
`--runs` runs after one warm-up:

* `apps.reporting.figures.build_report_data` (the SQL part), with its query
  count, as `report_build` calls it (`services.without_jit`) and with the
  server's own JIT setting;
* `apps.reporting.render.render_pdf` and `render_csv` on that data;
* `apps.reporting.services.report_build` on a freshly queued report (figures,
  both files, saving them);

and lists the slowest queries of the figures with their EXPLAIN ANALYZE.

Usage (against the throwaway cluster of `make test`):

    bash scripts/test-services.sh start
    eval "$(bash scripts/test-services.sh env)"
    .venv/bin/python scripts/bench_reports.py --questions 100000

The data goes into the database `bench_reports_<N>` on DATABASE_URL's server
(created and filled when missing, reused otherwise; --fresh fills it anew).
Never point this at a real server. Files go to a temporary MEDIA_ROOT.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.benchdb import ensure_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# DEBUG off, as in the worker (templates and queries cost more under DEBUG).
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("PORTAL_BASE_URL", "http://testserver")

MAIN = ("GM9997", "Benchmark rapportage")
OTHER = ("GM9996", "Benchmark buurgemeente")
DAYS = 730  # the questions cover the two years before the fill
KERNEN = ["Noord", "Zuid", "Oost", "West", "Centrum", "Buitengebied"]
ORGANISATIONS = [
    ("Gemeente", "municipality"),
    ("STUW", "mother"),
    ("MEE", "mother"),
    ("Cardea", "mother"),
    ("Sociaal Werk", "mother"),
    ("Jeugdteam", "mother"),
    ("Vrijwilligerscentrale", "partner"),
]
# (name, law, legal basis, unit, share of the adults' proposals); the children's
# proposals are all Jeugdhulp.
PROVISIONS = [
    ("Huishoudelijke hulp", "wmo", "artikel 2.3.5 Wmo 2015", "hours_per_week"),
    ("Begeleiding individueel", "wmo", "artikel 2.3.5 Wmo 2015", "hours_per_week"),
    ("Woningaanpassing", "wmo", "artikel 2.3.5 Wmo 2015", "euro"),
    ("Jeugdhulp ambulant", "jeugdwet", "artikel 2.3 Jeugdwet", "hours_per_month"),
    ("Re-integratietraject", "participatiewet", "artikel 7 Participatiewet", "trajectory"),
]
# The loket's consultants and their mandates.
MANDATES = [
    ["wmo", "participatiewet"],
    ["wmo", "participatiewet"],
    ["wmo", "jeugdwet"],
    ["wmo", "jeugdwet"],
    ["wmo", "jeugdwet", "participatiewet"],
    ["wmo", "jeugdwet", "participatiewet"],
]
# A kernteam: (function, how many, organisations to take turns from).
KERNTEAM = [
    ("case_director", 4, ["STUW", "MEE", "Cardea", "Jeugdteam"]),
    ("team_member", 4, ["Sociaal Werk", "STUW", "Jeugdteam", "MEE"]),
    ("behavioural_expert", 1, ["Cardea"]),
    ("coordinator", 1, ["Gemeente"]),
    ("liaison", 1, ["Sociaal Werk"]),
    ("volunteer", 2, ["Vrijwilligerscentrale"]),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=100_000, help="questions (N)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs after one warm-up")
    parser.add_argument("--year", type=int, help="the report's year (default: last full year)")
    parser.add_argument("--threshold", type=int, default=0, help="small-count threshold")
    parser.add_argument("--database", help="database name (default bench_reports_<N>)")
    parser.add_argument("--fresh", action="store_true", help="drop and fill the database anew")
    parser.add_argument("--generate-only", action="store_true", help="fill, count, stop")
    parser.add_argument("--figures-only", action="store_true", help="time the SQL part only")
    parser.add_argument("--explain", type=int, default=3, help="plans of the N slowest queries")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a throwaway PostgreSQL server (scripts/test-services.sh).")
    name = args.database or f"bench_reports_{args.questions}"
    url = urlunparse(urlparse(url)._replace(path=f"/{name}"))
    os.environ["DATABASE_URL"] = url
    media = tempfile.TemporaryDirectory(prefix="bench-reports-media-")
    os.environ["MEDIA_ROOT"] = media.name
    ensure_database(url, args.fresh)

    import logging

    import django

    django.setup()
    # WeasyPrint and fontTools narrate every page and glyph at INFO under DEBUG.
    for noisy in ("weasyprint", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scopes_disabled

    from apps.tenants.models import Municipality

    call_command("migrate", verbosity=0)
    with scopes_disabled():
        main_muni = Municipality.objects.filter(cbs_code=MAIN[0]).first()
    if main_muni is None:
        started = time.perf_counter()
        print(f"Filling {args.questions} questions (and {args.questions // 20} next door) …")
        main_muni = fill_municipality(*MAIN, args.questions, seed=0.42)
        fill_municipality(*OTHER, max(args.questions // 20, 50), seed=0.17)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)
    print_counts()
    if args.generate_only:
        return
    year = args.year or date.today().year - 1
    run(main_muni, date(year, 1, 1), date(year, 12, 31), args)


def print_counts() -> None:
    from django.db import connection

    tables = [
        ("questions", "intake_question x"),
        (
            "question life domains",
            "intake_question_life_domains l JOIN intake_question x ON x.id = l.question_id",
        ),
        ("forwards", "intake_questionforward x"),
        ("households", "intake_household x"),
        ("residents", "intake_resident x"),
        ("cases", "cases_case x"),
        ("activities", "cases_activity x"),
        ("joint home visits", "cases_activity x WHERE x.is_joint"),
        ("proposals", "decisions_proposal x"),
        ("decisions", "decisions_decision x"),
        ("provisions", "decisions_provision x"),
        ("deadline changes", "decisions_deadlinechange x"),
        ("team memberships", "teams_membership x"),
    ]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, cbs_code FROM tenants_municipality WHERE cbs_code IN %s",
            [(MAIN[0], OTHER[0])],
        )
        munis = sorted(cur.fetchall(), key=lambda row: row[1], reverse=True)
        print(f"\n{'rows':26}" + "".join(f"{code:>12}" for _, code in munis))
        for label, table in tables:
            where = " AND " if " WHERE " in table else " WHERE "
            counts = []
            for muni_id, _code in munis:
                # Table names from the list above, the id as a parameter.
                cur.execute(
                    f"SELECT count(*) FROM {table}{where}x.municipality_id = %s",  # noqa: S608  # nosec B608
                    [muni_id],
                )
                counts.append(cur.fetchone()[0])
            print(f"{label:26}" + "".join(f"{c:12d}" for c in counts))
        main_id = munis[0][0]
        cur.execute(
            """
            SELECT outcome, via_voorwerk, count(*),
                   round(100.0 * avg((decided_at::date <= deadline)::int), 1)
            FROM decisions_decision WHERE municipality_id = %s
            GROUP BY 1, 2 ORDER BY 1, 2
            """,
            [main_id],
        )
        print(f"\n{'decision':18} {'voorwerk':>8} {'count':>8} {'on time %':>10}")
        for outcome, voorwerk, count, on_time in cur.fetchall():
            print(f"{outcome:18} {voorwerk!s:>8} {count:8d} {on_time:>10}")
        cur.execute(
            "SELECT min(received_at)::date, max(received_at)::date FROM intake_question "
            "WHERE municipality_id = %s",
            [main_id],
        )
        first, last = cur.fetchone()
        print(f"\nquestions received {first} … {last}", flush=True)


# --- the fill -----------------------------------------------------------------


def fill_municipality(cbs_code: str, name: str, n: int, seed: float):
    """One municipality with its organisation (ORM, a hundred rows) and its
    questions, cases and decisions (SQL, in bulk). Returns the municipality."""
    from django.db import connection, transaction
    from django_scopes import scope

    from apps.tenants.models import Municipality

    steps = [time.perf_counter()]
    with transaction.atomic():
        municipality = Municipality.objects.create(cbs_code=cbs_code, name=name)
        with scope(municipality=municipality):
            setup = organisation(municipality)
        steps.append(time.perf_counter())
        with connection.cursor() as cur:
            cur.execute("SELECT setseed(%s)", [seed])
            bulk(cur, municipality.pk, n, setup)
        steps.append(time.perf_counter())
    steps.append(time.perf_counter())  # the commit checks the (deferred) foreign keys
    organised, bulked, committed = (b - a for a, b in zip(steps, steps[1:], strict=False))
    print(
        f"  {name}: organisation {organised:.1f} s, bulk {bulked:.1f} s, commit {committed:.1f} s",
        flush=True,
    )
    return municipality


def organisation(municipality) -> dict:
    """Areas, organisations, teams, staff, life domains and the catalogue."""
    from django.contrib.auth import get_user_model

    from apps.decisions.models import ProvisionType
    from apps.intake.services import life_domains_create_defaults
    from apps.teams.models import Area, Membership, Organisation, Team
    from apps.tenants.models import StaffMember

    User = get_user_model()
    m = municipality
    tag = m.cbs_code.lower()
    counter = iter(range(1, 10_000))

    def staff(label: str, **flags) -> StaffMember:
        number = next(counter)
        user = User.objects.create_user(
            email=f"bench-rep-{tag}-{number}@example.test",
            password=None,
            full_name=f"{label} {number}",
        )
        return StaffMember.objects.create(municipality=m, user=user, **flags)

    orgs = {
        org_name: Organisation.objects.create(municipality=m, name=org_name, kind=kind)
        for org_name, kind in ORGANISATIONS
    }
    areas = [Area.objects.create(municipality=m, name=kern) for kern in KERNEN]
    loket = Team.objects.create(
        municipality=m, name="Loket Samenleven", kind=Team.Kind.LOKET, run_by=orgs["Gemeente"]
    )
    # (team index in SQL: 1 the loket, 2..7 the kernteams; role; k; staff; membership)
    staff_rows = []
    consultants = []
    for k, laws in enumerate(MANDATES):
        person = staff("Consulent")
        membership = Membership.objects.create(
            municipality=m,
            staff_member=person,
            team=loket,
            function=Membership.Function.CONSULTANT,
            organisation=orgs["Gemeente"],
            hours_per_week=32,
            mandated_laws=laws,
        )
        consultants.append((person, membership, laws))
        if k < 4:
            staff_rows.append((1, "director", k, person.pk))
    for k in range(2):
        person = staff("Vraagverhelderaar")
        Membership.objects.create(
            municipality=m,
            staff_member=person,
            team=loket,
            function=Membership.Function.GATE_CLARIFIER,
            organisation=orgs["Gemeente"],
            hours_per_week=24,
        )
        staff_rows += [(1, "receiver", k, person.pk), (1, "receiver", k + 2, consultants[k][0].pk)]
    Membership.objects.create(
        municipality=m,
        staff_member=staff("Coördinator loket"),
        team=loket,
        function=Membership.Function.COORDINATOR,
        organisation=orgs["Gemeente"],
        hours_per_week=36,
    )
    teams = [loket]
    for i, area in enumerate(areas):
        team = Team.objects.create(
            municipality=m,
            name=f"Kernteam {area.name}",
            kind=Team.Kind.KERNTEAM,
            linked_loket_consultant=consultants[i][0],
        )
        team.areas.set([area])
        teams.append(team)
        for function, count, org_names in KERNTEAM:
            for k in range(count):
                person = staff(function.replace("_", " ").capitalize())
                Membership.objects.create(
                    municipality=m,
                    staff_member=person,
                    team=team,
                    function=function,
                    organisation=orgs[org_names[(i + k) % len(org_names)]],
                    hours_per_week=None if function == "volunteer" else 16 + 4 * ((i + k) % 5),
                )
                role = {
                    "case_director": "director",
                    "team_member": "receiver",
                    "behavioural_expert": "expert",
                }.get(function)
                if role:
                    staff_rows.append((i + 2, role, k, person.pk))
    staff("Beleidsadviseur", is_policy_advisor=True)
    life_domains_create_defaults(m)
    from apps.intake.models import LifeDomain

    provision_rows = []
    for idx, (pname, law, basis, unit) in enumerate(PROVISIONS, start=1):
        provision = ProvisionType.objects.create(
            municipality=m, name=pname, law=law, legal_basis=basis, unit=unit
        )
        provision_rows.append((idx, provision.pk, law, basis, unit, 2 if law == "wmo" else 8))
    mandate_rows = []
    for law in ("wmo", "jeugdwet", "participatiewet"):
        holders = [(p, mem) for p, mem, laws in consultants if law in laws]
        for k, (person, membership) in enumerate(holders):
            mandate_rows.append((law, k, len(holders), person.pk, membership.pk))
    return {
        "teams": [t.pk for t in teams],
        "areas": [a.pk for a in areas],
        "life_domains": list(LifeDomain.objects.order_by("position").values_list("pk", flat=True)),
        "staff": staff_rows,
        "linked": [(i + 2, consultants[i][0].pk, consultants[i][2]) for i in range(len(areas))],
        "provisions": provision_rows,
        "mandates": mandate_rows,
    }


def bulk(cur, m: int, n: int, setup: dict) -> None:
    """The volume, in SQL. Temporary tables carry ids drawn from the real
    sequences, so the rows can point at each other before they are inserted."""
    import json

    today = date.today()
    start = today - timedelta(days=DAYS)
    households = max(1, int(n * 0.55))
    teams = setup["teams"]
    areas = setup["areas"]
    domains = setup["life_domains"]

    for table in ("b_staff", "b_linked", "b_provision", "b_mandate", "b_household", "b_resident",
                  "b_question", "b_case", "b_activity", "b_proposal"):  # fmt: skip
        cur.execute(f"DROP TABLE IF EXISTS {table}")
    cur.execute(
        "CREATE TEMP TABLE b_staff (team_idx int, role text, k int, staff_id bigint) ON COMMIT DROP"
    )
    cur.executemany("INSERT INTO b_staff VALUES (%s, %s, %s, %s)", setup["staff"])
    cur.execute(
        "CREATE TEMP TABLE b_linked (team_idx int, staff_id bigint, laws jsonb) ON COMMIT DROP"
    )
    cur.executemany(
        "INSERT INTO b_linked VALUES (%s, %s, %s)",
        [(t, s, json.dumps(laws)) for t, s, laws in setup["linked"]],
    )
    cur.execute(
        "CREATE TEMP TABLE b_provision (idx int, id bigint, law text, basis text, unit text, "
        "weeks int) ON COMMIT DROP"
    )
    cur.executemany("INSERT INTO b_provision VALUES (%s, %s, %s, %s, %s, %s)", setup["provisions"])
    cur.execute(
        "CREATE TEMP TABLE b_mandate (law text, k int, n int, staff_id bigint, "
        "membership_id bigint) ON COMMIT DROP"
    )
    cur.executemany("INSERT INTO b_mandate VALUES (%s, %s, %s, %s, %s)", setup["mandates"])

    # Households and residents: an applicant each, a child in every second one.
    cur.execute(
        """
        CREATE TEMP TABLE b_household ON COMMIT DROP AS
        SELECT nextval(pg_get_serial_sequence('intake_household', 'id')) AS id, g AS rn,
               1 + g %% 6 AS area_idx
        FROM generate_series(1, %s) AS g
        """,
        [households],
    )
    cur.execute("CREATE INDEX ON b_household (rn); ANALYZE b_household")
    cur.execute(
        """
        INSERT INTO intake_household (id, version, updated_at, name, created_at, municipality_id)
        SELECT id, 1, now(), 'Huishouden ' || rn, now(), %s FROM b_household
        """,
        [m],
    )
    cur.execute(
        """
        CREATE TEMP TABLE b_resident ON COMMIT DROP AS
        SELECT nextval(pg_get_serial_sequence('intake_resident', 'id')) AS id, h.id AS household_id,
               h.rn, h.area_idx, c.is_child
        FROM b_household h
        JOIN (VALUES (false), (true)) AS c(is_child) ON NOT c.is_child OR h.rn %% 2 = 0
        """,
        [],
    )
    cur.execute("CREATE INDEX ON b_resident (household_id, is_child); ANALYZE b_resident")
    cur.execute(
        """
        INSERT INTO intake_resident (id, version, updated_at, municipality_id, bsn, first_names,
            surname_prefix, surname, date_of_birth, street, postcode, city, area_id, phone, email,
            household_id, household_relation, created_at)
        SELECT id, 1, now(), %s, '', CASE WHEN is_child THEN 'Kind' ELSE 'Inwoner' END, '',
            'Jansen ' || rn,
            CASE WHEN is_child THEN %s::date - 2000 - (rn * 37) %% 5000
                 ELSE %s::date - 7000 - (rn * 53) %% 22000 END,
            'Dorpsstraat ' || rn, '', '', (%s::bigint[])[area_idx], '', '', household_id,
            CASE WHEN is_child THEN 'child' ELSE 'applicant' END, now()
        FROM b_resident
        """,
        [m, today, today, areas],
    )

    # Questions: drawn first (with their forwards and final team), then cases,
    # then both are inserted.
    cur.execute(
        """
        CREATE TEMP TABLE b_question ON COMMIT DROP AS
        SELECT y.*, COALESCE(y.fwd2, y.fwd1, y.gate_idx) AS team_idx,
            (SELECT staff_id FROM b_staff s WHERE s.team_idx = y.gate_idx
               AND s.role = 'receiver' AND s.k = y.rn %% 4) AS receiver_id
        FROM (
          SELECT x.*,
            CASE WHEN x.gate_idx = 1 AND x.f < 0.30 THEN x.area_idx + 1
                 WHEN x.gate_idx > 1 AND x.f < 0.10 THEN 1 END AS fwd1,
            CASE WHEN x.gate_idx = 1 AND x.f < 0.006 THEN 1 END AS fwd2,
            (x.day::timestamp + interval '8 hours 30 minutes' + x.t * interval '8 hours')
                AT TIME ZONE 'Europe/Amsterdam' AS received_at
          FROM (
            SELECT nextval(pg_get_serial_sequence('intake_question', 'id')) AS id, g AS rn,
                   h.id AS household_id, h.area_idx, r.id AS resident_id, r.is_child,
                   CASE WHEN random() < 0.65 THEN 1 ELSE h.area_idx + 1 END AS gate_idx,
                   %s::date + floor(random() * %s)::int AS day,
                   random() AS t, random() AS f, random() AS c, random() AS s,
                   random() AS l, random() AS cs
            FROM generate_series(1, %s) AS g
            JOIN b_household h ON h.rn = 1 + (g::bigint * 7919) %% %s
            JOIN b_resident r ON r.household_id = h.id
                AND r.is_child = (h.rn %% 2 = 0 AND g %% 7 < 4)
          ) AS x
        ) AS y
        """,
        [start, DAYS, n, households],
    )
    # A case for a household's first question that needs one.
    cur.execute(
        """
        CREATE TEMP TABLE b_case ON COMMIT DROP AS
        SELECT nextval(pg_get_serial_sequence('cases_case', 'id')) AS id, q.*,
               LEAST(q.day + q.rn %% 10, current_date) AS opened_on,
               (SELECT staff_id FROM b_staff s
                WHERE s.team_idx = q.team_idx AND s.role = 'director' AND s.k = q.rn %% 4)
                   AS director_id,
               random() AS pr, random() AS st
        FROM (
          SELECT DISTINCT ON (household_id) id AS question_id, household_id, resident_id,
                 is_child, team_idx, day, rn
          FROM b_question
          WHERE (team_idx > 1 AND cs < 0.55) OR (team_idx = 1 AND cs < 0.20)
          ORDER BY household_id, received_at
        ) AS q
        """,
        [],
    )
    cur.execute(
        """
        INSERT INTO cases_case (id, version, updated_at, status, title, opened_on, closed_on,
            closure_note, created_at, created_by_id, director_id, household_id, municipality_id,
            resident_id, team_id, updated_by_id)
        SELECT id, 1, now(), status, 'Casus ' || rn, opened_on,
            CASE WHEN status IN ('closed', 'follow_up')
                 THEN LEAST(opened_on + 60 + rn %% 200, current_date) END,
            '', now(), director_id, director_id, household_id, %s, resident_id,
            (%s::bigint[])[team_idx], NULL
        FROM (
          SELECT *, CASE
              WHEN current_date - opened_on > 300 THEN
                  CASE WHEN st < 0.5 THEN 'closed' WHEN st < 0.7 THEN 'follow_up' ELSE 'decided' END
              WHEN current_date - opened_on > 60 THEN
                  CASE WHEN st < 0.2 THEN 'closed' WHEN st < 0.6 THEN 'decided'
                       WHEN st < 0.8 THEN 'proposal_pending' ELSE 'plan' END
              ELSE CASE WHEN st < 0.5 THEN 'open' ELSE 'plan' END
          END AS status FROM b_case
        ) AS c
        """,
        [m, teams],
    )
    cur.execute(
        """
        INSERT INTO intake_question (id, version, updated_at, channel, received_at, reporter_name,
            reporter_relation, reporter_contact, resident_is_aware, description, laws, is_youth,
            youth_is_derived, investigation_deadline, triage_rule_name, override_reason, status,
            created_at, area_id, assigned_to_id, gate_id, household_id, municipality_id,
            received_by_id, team_id, triage_team_id, resident_id, triage_rule_id, closed_at,
            closed_by_id, closure_note, submission_key, case_id, personal_plan_received_on)
        SELECT q.id, 1, now(), q.channel, q.received_at,
            CASE WHEN q.channel IN ('third_party', 'veilig_thuis') THEN 'Melder ' || q.rn
                 ELSE '' END,
            CASE WHEN q.channel = 'third_party' THEN 'gp'
                 WHEN q.channel = 'veilig_thuis' THEN 'professional' ELSE '' END,
            '', CASE WHEN q.channel IN ('third_party', 'veilig_thuis') THEN true END,
            'Vraag ' || q.rn, q.laws, q.is_child, q.is_child,
            CASE WHEN q.laws ? 'wmo' THEN q.day + 42 END, '', '', q.status, q.received_at,
            (%s::bigint[])[q.area_idx],
            CASE WHEN q.status <> 'new' THEN
                (SELECT staff_id FROM b_staff s WHERE s.team_idx = q.team_idx
                   AND s.role = CASE WHEN q.team_idx = 1 THEN 'receiver' ELSE 'director' END
                   AND s.k = q.rn %% 4) END,
            (%s::bigint[])[q.gate_idx], q.household_id, %s, q.receiver_id,
            (%s::bigint[])[q.team_idx], (%s::bigint[])[q.gate_idx], q.resident_id, NULL,
            CASE WHEN q.status = 'closed'
                 THEN LEAST(q.received_at + (5 + q.s * 50) * interval '1 day', now()) END,
            CASE WHEN q.status = 'closed' THEN q.receiver_id END, '', '', c.id, NULL
        FROM (
          SELECT *,
            CASE WHEN c < 0.45 THEN 'telephone' WHEN c < 0.65 THEN 'walk_in'
                 WHEN c < 0.80 THEN 'email' WHEN c < 0.90 THEN 'third_party'
                 WHEN c < 0.97 THEN 'kcc' ELSE 'veilig_thuis' END AS channel,
            CASE WHEN is_child THEN '["jeugdwet"]'
                 WHEN l < 0.70 THEN '["wmo"]' WHEN l < 0.85 THEN '["participatiewet"]'
                 ELSE '[]' END::jsonb AS laws,
            CASE WHEN current_date - day > 90 THEN
                     CASE WHEN s < 0.9 THEN 'closed' ELSE 'in_progress' END
                 WHEN current_date - day > 14 THEN
                     CASE WHEN s < 0.5 THEN 'closed' WHEN s < 0.9 THEN 'in_progress' ELSE 'new' END
                 ELSE CASE WHEN s < 0.6 THEN 'new' ELSE 'in_progress' END
            END AS status
          FROM b_question
        ) AS q
        LEFT JOIN b_case c ON c.question_id = q.id
        """,
        [areas, teams, m, teams, teams],
    )
    cur.execute(
        """
        INSERT INTO intake_question_life_domains (question_id, lifedomain_id)
        SELECT q.id, (%s::bigint[])[1 + (q.rn * 7 + k * 5) %% %s]
        FROM b_question q, generate_series(0, (q.rn %% 3)::int) AS k
        """,
        [domains, len(domains)],
    )
    # The forwards: the gate to the next team a few hours to days later, and
    # the rare way back.
    cur.execute(
        """
        INSERT INTO intake_questionforward (at, reason, by_id, from_team_id, municipality_id,
            question_id, to_team_id)
        SELECT q.received_at + (1 + q.rn %% 72) * interval '1 hour', 'Past beter bij dit team',
            q.receiver_id,
            (%s::bigint[])[q.gate_idx], %s, q.id, (%s::bigint[])[q.fwd1]
        FROM b_question q WHERE q.fwd1 IS NOT NULL
        UNION ALL
        SELECT q.received_at + (80 + q.rn %% 200) * interval '1 hour', 'Toch eerst via het loket',
            (SELECT staff_id FROM b_staff s WHERE s.team_idx = q.fwd1
               AND s.role = 'receiver' AND s.k = q.rn %% 4),
            (%s::bigint[])[q.fwd1], %s, q.id, (%s::bigint[])[q.fwd2]
        FROM b_question q WHERE q.fwd2 IS NOT NULL
        """,
        [teams, m, teams, teams, m, teams],
    )

    # Activities: 1-4 per case; half the kernteams' home visits are joint, with
    # the team's linked loket consultant.
    cur.execute(
        """
        CREATE TEMP TABLE b_activity ON COMMIT DROP AS
        SELECT a.*, a.kind = 'home_visit' AND a.team_idx > 1 AND a.j < 0.5 AS is_joint
        FROM (
          SELECT nextval(pg_get_serial_sequence('cases_activity', 'id')) AS id, c.id AS case_id,
                 c.team_idx, c.director_id, LEAST(c.opened_on + k * 12, current_date) AS date,
                 CASE WHEN k = 0 THEN 'kitchen_table'
                      ELSE (ARRAY['home_visit', 'contact', 'case_discussion', 'home_visit',
                                  'expert_consultation', 'contact'])[1 + (c.rn + k) %% 6]
                 END AS kind,
                 random() AS j, c.rn
          FROM b_case c, generate_series(0, (c.rn %% 4)::int) AS k
        ) AS a
        """,
        [],
    )
    cur.execute(
        """
        INSERT INTO cases_activity (id, version, updated_at, kind, date, other_participants, note,
            is_joint, joint_laws, created_at, municipality_id, recorded_by_id, case_id)
        SELECT a.id, 1, now(), a.kind, a.date, 'de inwoner', '', a.is_joint,
            CASE WHEN a.is_joint THEN l.laws ELSE '[]'::jsonb END, now(), %s, a.director_id,
            a.case_id
        FROM b_activity a LEFT JOIN b_linked l ON l.team_idx = a.team_idx
        """,
        [m],
    )
    cur.execute(
        """
        INSERT INTO cases_activity_participants (activity_id, staffmember_id)
        SELECT id, director_id FROM b_activity
        UNION ALL
        SELECT a.id, l.staff_id FROM b_activity a JOIN b_linked l ON l.team_idx = a.team_idx
        WHERE a.is_joint
        UNION ALL
        SELECT a.id, s.staff_id FROM b_activity a JOIN b_staff s
            ON s.team_idx = a.team_idx AND s.role = 'expert'
        WHERE a.kind = 'expert_consultation'
        """,
        [],
    )

    # Proposals on 60% of the cases, and how each one goes.
    cur.execute(
        """
        CREATE TEMP TABLE b_proposal ON COMMIT DROP AS
        SELECT z.*,
            CASE WHEN z.submit_day > current_date OR z.r_out >= 0.97 THEN 'draft'
                 WHEN z.r_out >= 0.95 THEN 'withdrawn'
                 WHEN z.returned AND z.resubmit_day > current_date THEN 'returned'
                 WHEN z.decided_at > now() THEN 'submitted'
                 ELSE 'decided' END AS status,
            CASE WHEN z.r_out < 0.70 THEN 'granted' WHEN z.r_out < 0.78 THEN 'granted_changed'
                 ELSE 'refused' END AS outcome
        FROM (
          SELECT y.*,
            (y.resubmit_day + y.lag)::timestamp AT TIME ZONE 'Europe/Amsterdam'
                + interval '14 hours' AS decided_at,
            y.submit_day + 7 * y.weeks + CASE WHEN y.extended THEN 42 ELSE 0 END AS deadline
          FROM (
            SELECT x.*, p.id AS provision_type_id, p.law, p.basis, p.unit, p.weeks,
              x.submit_day + CASE WHEN x.returned THEN 12 ELSE 0 END AS resubmit_day,
              CASE WHEN p.law = 'wmo' THEN 2 + floor(x.r_lag ^ 2 * 24)::int
                   ELSE 5 + floor(x.r_lag ^ 2 * 80)::int END AS lag
            FROM (
              SELECT nextval(pg_get_serial_sequence('decisions_proposal', 'id')) AS id,
                     c.id AS case_id, c.resident_id, c.is_child, c.team_idx, c.director_id, c.rn,
                     c.opened_on + 14 + (c.rn * 13) %% 47 AS submit_day,
                     CASE WHEN c.is_child THEN 4
                          ELSE (ARRAY[1, 1, 1, 1, 2, 2, 2, 3, 5, 5])[1 + floor(random() * 10)::int]
                     END AS pt_idx,
                     random() AS r_out, random() AS r_lag, random() < 0.10 AS returned,
                     random() < 0.05 AS extended
              FROM b_case c WHERE c.pr < 0.60
            ) AS x JOIN b_provision p ON p.idx = x.pt_idx
          ) AS y
        ) AS z
        """,
        [],
    )
    cur.execute(
        """
        INSERT INTO decisions_proposal (id, version, updated_at, volume, unit, frequency,
            start_date, end_date, motivation, status, is_voorwerk, submitted_at, application_date,
            decision_deadline, returned_at, created_at, assigned_consultant_id, case_id,
            drafted_by_id, municipality_id, plan_id, resident_id, submitted_by_id, updated_by_id,
            revises_id, provision_type_id, kind, delivery_form, budget_period)
        SELECT p.id, 1, now(), 4, p.unit, CASE WHEN p.unit = 'euro' THEN 'once' ELSE 'per_week' END,
            p.submit_day + 21, p.submit_day + 21 + 365, 'Voorstel ' || p.rn, p.status,
            p.team_idx > 1,
            CASE WHEN p.status <> 'draft'
                 THEN (p.resubmit_day::timestamp + interval '10 hours')
                     AT TIME ZONE 'Europe/Amsterdam' END,
            CASE WHEN p.status <> 'draft' THEN p.submit_day END,
            CASE WHEN p.status <> 'draft' THEN p.deadline END,
            CASE WHEN p.returned AND p.status <> 'draft'
                 THEN (p.submit_day + 5)::timestamp AT TIME ZONE 'Europe/Amsterdam' END,
            now(), l.staff_id, p.case_id, p.director_id, %s, NULL, p.resident_id,
            CASE WHEN p.status <> 'draft' THEN p.director_id END, NULL, NULL, p.provision_type_id,
            'provision', '', ''
        FROM b_proposal p LEFT JOIN b_linked l ON l.team_idx = p.team_idx
        """,
        [m],
    )
    # Decisions: the return for information first, then the final one.
    decision_select = """
        SELECT {outcome}, p.law, p.basis, 4, p.unit,
            CASE WHEN p.unit = 'euro' THEN 'once' ELSE 'per_week' END,
            {start}, {end}, 'Motivering', p.team_idx > 1, p.submit_day, p.deadline, {at},
            p.case_id, md.staff_id, md.membership_id, %s, p.resident_id, p.id,
            p.provision_type_id, 'provision', '', ''
        FROM b_proposal p JOIN b_mandate md ON md.law = p.law AND md.k = p.rn %% md.n
    """
    # Synthetic decisions, written in bulk around proposal_decide: only the
    # tables' owner can switch the insert guard off, and only inside this
    # transaction (the application's role cannot; docs/security.md).
    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending events: ALTER may run
    cur.execute("ALTER TABLE decisions_decision DISABLE TRIGGER decisions_decision_insert_guard")
    cur.execute("SET CONSTRAINTS ALL DEFERRED")
    cur.execute(
        """
        INSERT INTO decisions_decision (outcome, law, legal_basis, volume, unit, frequency,
            start_date, end_date, reasons, via_voorwerk, application_date, deadline, decided_at,
            case_id, consultant_id, mandate_id, municipality_id, resident_id, proposal_id,
            provision_type_id, kind, delivery_form, budget_period)
        """
        + decision_select.format(
            outcome="'returned'",
            start="NULL",
            end="NULL",
            at="(p.submit_day + 5)::timestamp AT TIME ZONE 'Europe/Amsterdam'",
        )
        + " WHERE p.returned AND p.status IN ('returned', 'submitted', 'decided')"
        + " UNION ALL "
        + decision_select.format(
            outcome="p.outcome",
            start="CASE WHEN p.outcome <> 'refused' THEN p.decided_at::date + 7 END",
            end="CASE WHEN p.outcome <> 'refused' THEN p.decided_at::date + 372 END",
            at="p.decided_at",
        )
        + " WHERE p.status = 'decided'",
        [m, m],
    )
    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cur.execute("ALTER TABLE decisions_decision ENABLE TRIGGER decisions_decision_insert_guard")
    cur.execute("SET CONSTRAINTS ALL DEFERRED")
    cur.execute(
        """
        INSERT INTO decisions_deadlinechange (kind, old_date, new_date, reason, at, by_id,
            municipality_id, question_id, proposal_id)
        SELECT 'extend', p.deadline - 42, p.deadline, 'Advies van een deskundige nodig',
            (p.deadline - 44)::timestamp AT TIME ZONE 'Europe/Amsterdam', md.staff_id, %s, NULL,
            p.id
        FROM b_proposal p JOIN b_mandate md ON md.law = p.law AND md.k = p.rn %% md.n
        WHERE p.extended AND p.status <> 'draft' AND p.deadline - 44 <= current_date
        """,
        [m],
    )
    cur.execute(
        """
        INSERT INTO decisions_provision (version, updated_at, volume, unit, frequency, start_date,
            end_date, status, reassessment_due_since, case_id, decision_id, household_id,
            municipality_id, resident_id, provision_type_id, delivery_form, budget_period)
        SELECT 1, now(), d.volume, d.unit, d.frequency, d.start_date, d.end_date,
            CASE WHEN d.end_date < current_date THEN 'ended' ELSE 'active' END, NULL, d.case_id,
            d.id, c.household_id, d.municipality_id, d.resident_id, d.provision_type_id, '', ''
        FROM decisions_decision d JOIN cases_case c ON c.id = d.case_id
        WHERE d.municipality_id = %s AND d.outcome IN ('granted', 'granted_changed')
        """,
        [m],
    )


# --- the timing ---------------------------------------------------------------


def timed(fn, runs: int):
    """(median s, worst s, last result, queries of the last run) after a warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
    return statistics.median(times), max(times), result, list(ctx.captured_queries)


def run(municipality, start: date, end: date, args) -> None:
    from django.db import connection
    from django_scopes import scope

    from apps.reporting import figures

    threshold = args.threshold
    load = os.getloadavg()
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
    print(
        f"\nReport {start} … {end} of {municipality.name}, threshold {threshold}; "
        f"PostgreSQL {pg}; {os.cpu_count()} CPUs, load {load[0]:.2f} {load[1]:.2f}\n"
    )
    from apps.reporting.services import without_jit

    def figures_without_jit():
        with without_jit():  # as report_build calls it
            return figures.build_report_data(municipality, start, end, threshold=threshold)

    rows = []
    with scope(municipality=municipality):
        median, worst, data, queries = timed(figures_without_jit, args.runs)
        rows.append(("figures (build_report_data)", median, worst, len(queries), ""))
        slow = sorted(queries, key=lambda q: float(q["time"]), reverse=True)
        median, worst, _d, _q = timed(
            lambda: figures.build_report_data(municipality, start, end, threshold=threshold),
            args.runs,
        )
        rows.append((f"figures, server's JIT ({jit_setting()})", median, worst, len(_q), ""))
        if not args.figures_only:
            from apps.reporting import render

            median, worst, pdf, _q = timed(lambda: render.render_pdf(data), args.runs)
            rows.append(("PDF (render_pdf)", median, worst, len(_q), f"{len(pdf) // 1024} KiB"))
            median, worst, csv, _q = timed(lambda: render.render_csv(data), args.runs)
            rows.append(("CSV (render_csv)", median, worst, len(_q), f"{len(csv) // 1024} KiB"))
            median, worst, _r, _q = timed(
                lambda: whole_build(municipality, start, end, threshold), args.runs
            )
            rows.append(("whole build (services.report_build)", median, worst, len(_q), ""))
        print(f"{'measurement':40} {'median s':>9} {'worst s':>8} {'queries':>8} {'size':>9}")
        for label, median, worst, count, size in rows:
            print(f"{label:40} {median:9.3f} {worst:8.3f} {count:8d} {size:>9}")
        sections = getattr(data, "sections", [])
        print(f"\n{len(sections)} sections, {sum(len(s.rows) for s in sections)} rows")
        print("\nSlowest queries of the figures (last run):")
        for query in slow[:8]:
            sql = " ".join(query["sql"].split())
            print(f"  {float(query['time']) * 1000:8.1f} ms  {sql[:150]}")
        for query in slow[: args.explain]:
            print(f"\nPlan of the query of {float(query['time']) * 1000:.1f} ms:")
            with without_jit(), connection.cursor() as cur:
                # Captured from our own run: the ORM's SQL with its values bound.
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                for (line,) in cur.fetchall():
                    print("  " + line)


def jit_setting() -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW jit")
        return f"jit={cur.fetchone()[0]}"


def whole_build(municipality, start: date, end: date, threshold: int):
    """A queued report built as the worker does; its files removed afterwards."""
    from apps.reporting.models import Report
    from apps.reporting.services import report_build

    report = Report.objects.create(
        municipality=municipality,
        period_start=start,
        period_end=end,
        small_count_threshold=threshold,
    )
    report = report_build(report.pk)
    if report is None or report.status != Report.Status.READY:
        raise RuntimeError(f"the report did not get ready: {report and report.error}")
    report.pdf.delete(save=False)
    report.csv.delete(save=False)
    return report


if __name__ == "__main__":
    main()
