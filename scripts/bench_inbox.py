"""Benchmark: the inbox and resident search with hundreds of thousands of questions.

Fills a PostgreSQL database with one municipality holding N questions (default
300 000, spread over 8 teams and 5 years) and as many residents, then times the
inbox pages as a kernteam member and the loket see them (first page, a page deep
in the list through the cursor, filtered, searched) through the full Django stack,
and prints the query plans of the two main queries.

Usage (against the throwaway cluster of `make test`):

    bash scripts/test-services.sh start
    eval "$(bash scripts/test-services.sh env)"
    DATABASE_URL=${DATABASE_URL%/*}/toegang_bench .venv/bin/python scripts/bench_inbox.py 300000

With BENCH_COMPARE_RLS=1 it also times every page with row-level security on
and off, in turns, and prints the cost (README, "Performance").

The database named in DATABASE_URL is created when missing and filled once;
a second run reuses it. Never point this at a real database.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.benchdb import ensure_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def main(n: int) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database made for this benchmark.")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django_scopes import scope, scopes_disabled

    from apps.intake.models import Question
    from apps.teams.models import Area, Membership, Team
    from apps.tenants.middleware import SESSION_KEY as MUNICIPALITY_SESSION_KEY
    from apps.tenants.models import Municipality, StaffMember

    setup_test_environment()  # response.context, as in the tests
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    User = get_user_model()
    with scopes_disabled():
        municipality, created = Municipality.objects.get_or_create(
            cbs_code="GM9999", defaults={"name": "Benchmark"}
        )
    with scope(municipality=municipality):
        if created or not Question.objects.filter(municipality=municipality).exists():
            print(f"Filling {n} questions …", flush=True)
            started = time.perf_counter()
            fill(municipality, n)
            print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)
        kernteam = Team.objects.filter(kind=Team.Kind.KERNTEAM).order_by("pk").first()
        loket = Team.objects.get(kind=Team.Kind.LOKET)
        member = User.objects.get(email="bench-member@example.test")
        consultant = User.objects.get(email="bench-consultant@example.test")
        total = Question.objects.count()
        at_kernteam = Question.objects.filter(team=kernteam).count()
        area = Area.objects.order_by("pk").first()
        assert StaffMember.objects.exists() and Membership.objects.exists()
    print(f"\n{total} questions in the municipality, {at_kernteam} at {kernteam.name}\n")

    def timed(user, url, params=None, repeat=15):
        client = Client()
        client.force_login(user)
        session = client.session
        session[MUNICIPALITY_SESSION_KEY] = municipality.pk
        session.save()
        client.get(url, params)  # warm up
        times, queries = [], 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url, params)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(ctx.captured_queries)
        return statistics.median(times), max(times), queries, response

    inbox = reverse("intake:inbox", args=[kernteam.pk])
    loket_inbox = reverse("intake:inbox", args=[loket.pk])
    # A cursor deep in the list: walk 40 pages.
    client = Client()
    client.force_login(member)
    cursor = ""
    for _ in range(40):
        page = client.get(inbox, {"na": cursor} if cursor else {}).context["page"]
        cursor = page.next_cursor
    cases = [
        ("kernteam inbox, first page", member, inbox, None),
        ("kernteam inbox, page 41 (cursor)", member, inbox, {"na": cursor}),
        (
            "kernteam inbox, filtered (law, youth)",
            member,
            inbox,
            {"law": "jeugdwet", "youth": "yes"},
        ),
        (
            "kernteam inbox, area + period",
            member,
            inbox,
            {"area": area.pk, "received_from": "2024-01-01", "received_until": "2024-03-31"},
        ),
        ("kernteam inbox, name search", member, inbox, {"q": "Jansen1234"}),
        ("kernteam inbox, BSN search", member, inbox, {"q": "111222333"}),
        ("loket inbox, first page", consultant, loket_inbox, None),
        (
            "resident search, name",
            consultant,
            reverse("intake:resident_search"),
            {"q": "Jansen12345"},
        ),
        ("resident search, BSN", consultant, reverse("intake:resident_search"), {"q": "111222333"}),
    ]
    questions_api = reverse("api:question-list")
    # The endpoints of issue #18 (the load test's mix), one request at a time.
    cases += [
        ("API inbox kernteam (open)", member, questions_api, {"team": kernteam.pk}),
        (
            "API inbox, status all + law + youth",
            member,
            questions_api,
            {"team": kernteam.pk, "status": "all", "law": "jeugdwet", "youth": "true"},
        ),
        ("API loket, all open questions", consultant, questions_api, None),
        ("API name search q=", consultant, questions_api, {"q": "Jansen1234"}),
        ("API cases (member)", member, reverse("api:case-list"), None),
        ("page start, member", member, reverse("core:start"), None),
        ("page start, loket", consultant, reverse("core:start"), None),
        ("page cases, member", member, reverse("cases:list"), None),
    ]
    print(f"{'page':45} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for label, user, url, params in cases:
        median, worst, queries, _ = timed(user, url, params)
        print(f"{label:45} {median:10.1f} {worst:8.1f} {queries:8d}")
    if os.environ.get("BENCH_SQL"):
        # The queries of one request per endpoint, with their time (BENCH_SQL=1).
        for label, user, url, params in cases:
            client = Client()
            client.force_login(user)
            session = client.session
            session[MUNICIPALITY_SESSION_KEY] = municipality.pk
            session.save()
            client.get(url, params)
            with CaptureQueriesContext(connection) as ctx:
                client.get(url, params)
            print(f"\n{label}:")
            for q in ctx.captured_queries:
                print(f"  {q['time']}s  {q['sql'][:400]}")

    if os.environ.get("BENCH_COMPARE_RLS"):
        # Row-level security's cost: the same pages with it and without it, in
        # turns (three rounds each), so a busy machine weighs on both alike.
        from scripts.benchdb import rls_enabled

        rounds = {True: {}, False: {}}
        for _ in range(3):
            for on in (False, True):
                rls_enabled(on)
                for label, user, url, params in cases:
                    rounds[on].setdefault(label, []).append(timed(user, url, params)[0])
        rls_enabled(True)
        print(f"\n{'page (median of 3 rounds)':45} {'with RLS':>9} {'without':>9} {'cost':>7}")
        for label, *_ in cases:
            with_rls = statistics.median(rounds[True][label])
            without = statistics.median(rounds[False][label])
            cost = (with_rls - without) / without * 100
            print(f"{label:45} {with_rls:9.1f} {without:9.1f} {cost:6.1f}%")

    with scope(municipality=municipality), connection.cursor() as cur:
        from apps.intake.selectors import InboxFilters, inbox_questions

        print("\nPlan of the first-page query (kernteam inbox):")
        qs = Question.objects.filter(team=kernteam, status="new").order_by("received_at", "pk")[:26]
        sql, params = qs.query.sql_with_params()
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        for (line,) in cur.fetchall():
            print("  " + line)
        print("\nPlan of the bounded count:")
        bounded = Question.objects.filter(team=kernteam, status__in=["new", "in_progress"])
        sql, params = bounded.order_by().values("pk")[:1001].query.sql_with_params()
        # The ORM's own SQL with its parameters kept apart: nothing from outside.
        cur.execute(f"EXPLAIN ANALYZE SELECT COUNT(*) FROM ({sql}) AS sub", params)  # noqa: S608  # nosec B608
        for (line,) in cur.fetchall():
            print("  " + line)
        inbox_questions(base=Question.objects.filter(team=kernteam), filters=InboxFilters())


def fill(municipality, n: int) -> None:
    """Bulk insert in SQL (generate_series): minutes with the ORM, seconds this way."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from apps.intake.services import life_domains_create_defaults
    from apps.teams.models import Area, Membership, Team
    from apps.tenants.models import StaffMember

    User = get_user_model()
    with transaction.atomic():
        areas = [Area.objects.create(municipality=municipality, name=f"Kern {i}") for i in range(8)]
        loket = Team.objects.create(municipality=municipality, name="Loket", kind=Team.Kind.LOKET)
        teams = []
        for i, area in enumerate(areas):
            team = Team.objects.create(
                municipality=municipality, name=f"Kernteam {i}", kind="kernteam"
            )
            team.areas.set([area])
            teams.append(team)
        people = {}
        for key, team, function in (
            ("member", teams[0], Membership.Function.TEAM_MEMBER),
            ("consultant", loket, Membership.Function.CONSULTANT),
        ):
            user = User.objects.create_user(email=f"bench-{key}@example.test", password=None)
            staff = StaffMember.objects.create(municipality=municipality, user=user)
            Membership.objects.create(
                municipality=municipality, staff_member=staff, team=team, function=function
            )
            people[key] = staff
        life_domains_create_defaults(municipality)
        team_ids = [loket.pk] + [t.pk for t in teams]
        area_ids = [a.pk for a in areas]
        m = municipality.pk
        with connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO intake_resident (version, updated_at, municipality_id, bsn, first_names,
                    surname_prefix, surname, date_of_birth, street, postcode, city, area_id, phone,
                    email, household_id, household_relation, created_at)
                SELECT 1, now(), %s, '', 'Inwoner', '', 'Jansen' || g,
                    date '1940-01-01' + (g %% 30000), 'Straat ' || g, '', '',
                    (%s::bigint[])[1 + g %% 8], '', '', NULL, '', now()
                FROM generate_series(1, %s) AS g
                """,
                [m, area_ids, n],
            )
            cur.execute(
                "UPDATE intake_resident SET bsn = '111222333' WHERE id = "
                "(SELECT min(id) FROM intake_resident WHERE municipality_id = %s)",
                [m],
            )
            cur.execute(
                """
                INSERT INTO intake_question (version, updated_at, municipality_id, resident_id,
                    household_id, area_id, channel, received_at, received_by_id, gate_id,
                    reporter_name, reporter_relation, reporter_contact, resident_is_aware,
                    description, laws, is_youth, youth_is_derived, investigation_deadline,
                    triage_rule_id, triage_rule_name, triage_team_id, override_reason, team_id,
                    assigned_to_id, status, created_at, closed_at, closed_by_id, closure_note,
                    submission_key)
                SELECT 1, now(), %s, r.id, NULL, r.area_id,
                    (ARRAY['telephone', 'email', 'walk_in', 'third_party', 'kcc',
                           'veilig_thuis'])[1 + r.rn %% 6],
                    now() - (r.rn %% 1825) * interval '1 day'
                          - (r.rn %% 1440) * interval '1 minute',
                    %s, NULL, '', '', '', NULL, 'Vraag ' || r.rn,
                    (ARRAY['[]', '["wmo"]', '["jeugdwet"]',
                           '["wmo", "participatiewet"]'])[1 + r.rn %% 4]::jsonb,
                    r.rn %% 5 = 0, false, NULL, NULL, 'standaardbestemming',
                    (%s::bigint[])[1 + r.rn %% 9], '', (%s::bigint[])[1 + r.rn %% 9],
                    CASE WHEN r.rn %% 7 = 0 THEN %s END,
                    CASE WHEN r.rn %% 7 = 0 THEN 'in_progress'
                         WHEN r.rn %% 3 = 0 THEN 'closed' ELSE 'new' END,
                    now(), NULL, NULL, '', ''
                FROM (SELECT id, area_id, row_number() OVER (ORDER BY id) AS rn
                      FROM intake_resident WHERE municipality_id = %s) AS r
                """,
                [m, people["consultant"].pk, team_ids, team_ids, people["member"].pk, m],
            )
            cur.execute("ANALYZE intake_question; ANALYZE intake_resident;")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300_000)
