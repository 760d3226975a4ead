"""Benchmark: who sees which case, with a million cases and thousands of grants (issue #4).

Fills a PostgreSQL database with one municipality holding N cases (default
1 000 000), each with its own household and resident, spread over 10 teams
(8 kernteams, a small kernteam and the loket). 5% of the cases have a submitted
proposal (voorwerk offered to the loket), another 5% a draft. A reader, a team
member of the small kernteam, has 5 000 per-object grants (django-guardian's
CaseUserObjectPermission with `cases.view_case`); 20 other people have 5 000
grants each, so the grants table is not trivially small.

It then times, directly on the selectors (no HTTP), the median and worst of 15
runs of:

* `case_list_qs(user, municipality)[:25]` (the first page) and its `count()`
  for a kernteam member, the reader, a loket consultant (submitted proposals and
  the loket's own cases), a loket consultant linked to a kernteam, and a
  coordinator of two kernteams;
* django-guardian's generic `get_objects_for_user(reader, "cases.view_case",
  klass=...)`, first page and count, with and without the group grants;
* `can_view_case` for a single case (shared, not shared, own team).

Each timed call starts without the per-request role cache, so the role lookup
is included, as in a request. It prints the query plans of the reader's first
page and count and of guardian's first page.

The list index (municipality, opened_on DESC, id DESC) comes with the
migrations; the list page counts at most 1000 rows (BoundedPaginator), which is
measured next to a full count.

Usage (against a throwaway cluster, as for `make test`):

    bash scripts/test-services.sh start
    eval "$(bash scripts/test-services.sh env)"
    export DATABASE_URL=${DATABASE_URL%/*}/toegang_bench
    .venv/bin/python scripts/bench_cases.py 1000000

The database named in DATABASE_URL is created when missing and filled once (a
million cases take a few minutes); a second run reuses it, whatever N it is
given. Never point this at a real database.
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

CBS_CODE = "GM9998"
READER_GRANTS = 5_000
OTHER_GRANTEES = 20
REPEAT = 15
PAGE = 25


def main(n: int) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database made for this benchmark.")
    ensure_database(url)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django_scopes import scope, scopes_disabled

    from apps.cases.models import Case, CaseUserObjectPermission
    from apps.decisions.models import Proposal
    from apps.tenants.models import Municipality

    call_command("migrate", verbosity=0)
    User = get_user_model()
    with scopes_disabled():
        municipality, created = Municipality.objects.get_or_create(
            cbs_code=CBS_CODE, defaults={"name": "Benchmark casussen"}
        )
    with scope(municipality=municipality):
        if created or not Case.objects.filter(municipality=municipality).exists():
            print(f"Filling {n} cases …", flush=True)
            started = time.perf_counter()
            fill(municipality, n)
            print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)
        users = {
            key: User.objects.get(email=f"bench-case-{key}@example.test")
            for key in ("member", "reader", "consultant", "linked", "coordinator")
        }
        total = Case.objects.count()
        submitted = (
            Proposal.objects.filter(submitted_at__isnull=False).values("case").distinct().count()
        )
        reader_grants = CaseUserObjectPermission.objects.filter(user=users["reader"]).count()
        all_grants = CaseUserObjectPermission.objects.count()
    load = os.getloadavg()
    print(
        f"\n{total} cases, {submitted} with a submitted proposal, {all_grants} grants "
        f"({reader_grants} for the reader); load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f} on {os.cpu_count()} CPUs\n"
    )
    run(municipality, users)
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def timed(fn, user=None, repeat=REPEAT):
    """(median ms, worst ms, rows, queries) of `fn()`, after one warm-up run;
    the role cache of `user` is dropped before every run, as in a new request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.tenants.permissions import forget_roles

    if user is not None:
        forget_roles(user)
    fn()
    times = []
    for _ in range(repeat):
        if user is not None:
            forget_roles(user)
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - started) * 1000)
    rows = len(result) if isinstance(result, list) else int(result)
    return statistics.median(times), max(times), rows, len(ctx.captured_queries)


def run(municipality, users, guardian=True) -> None:
    from django.db import connection
    from django_scopes import scope
    from guardian.shortcuts import get_objects_for_user

    from apps.access.rules import can_view_case
    from apps.cases.models import Case, CaseUserObjectPermission
    from apps.cases.selectors import case_list_qs
    from apps.core.pagination import BoundedPaginator
    from apps.teams.models import Team

    order = ("-opened_on", "-pk")
    with scope(municipality=municipality):
        reader = users["reader"]
        grants = Case.objects.filter(user_grants__user=reader).order_by("pk")
        shared = grants[grants.count() // 2]
        not_shared = (
            Case.objects.exclude(user_grants__user=reader)
            .exclude(team__memberships__staff_member__user=reader)
            .order_by("pk")[0]
        )
        own = Case.objects.filter(team=Team.objects.get(name="Kernteam 0")).order_by("pk")[0]

        def guardian_qs(use_groups):
            return get_objects_for_user(
                reader,
                "cases.view_case",
                klass=Case.objects.filter(municipality=municipality),
                use_groups=use_groups,
                accept_global_perms=False,
            )

        people = (
            ("kernteam member (own team)", users["member"]),
            ("reader (5 000 grants)", reader),
            ("loket consultant", users["consultant"]),
            ("linked loket consultant", users["linked"]),
            ("coordinator (2 kernteams)", users["coordinator"]),
        )
        measurements = [
            (
                f"{label}, first page",
                user,
                lambda u=user: list(case_list_qs(u, municipality)[:PAGE]),
            )
            for label, user in people
        ]
        measurements += [
            (f"{label}, count", user, lambda u=user: case_list_qs(u, municipality).count())
            for label, user in people
        ]
        # What the case list page counts: at most 1000 (apps.core.pagination).
        measurements += [
            (
                f"{label}, bounded count (list page)",
                user,
                lambda u=user: BoundedPaginator(case_list_qs(u, municipality), 50).count,
            )
            for label, user in people
        ]
        if guardian:
            for use_groups in (True, False):
                suffix = "" if use_groups else ", use_groups=False"
                measurements += [
                    (
                        f"guardian get_objects_for_user{suffix}, first page",
                        reader,
                        lambda g=use_groups: list(
                            guardian_qs(g)
                            .select_related("household", "resident", "team")
                            # guardian's own filter, the list's own order
                            .order_by(*order)[:PAGE]
                        ),
                    ),
                    (
                        f"guardian get_objects_for_user{suffix}, count",
                        reader,
                        lambda g=use_groups: guardian_qs(g).count(),
                    ),
                ]
            measurements += [
                (
                    "one subquery on the grants, first page",
                    None,
                    lambda: list(
                        Case.objects.filter(
                            municipality=municipality,
                            pk__in=CaseUserObjectPermission.objects.filter(
                                user=reader, permission__codename="view_case"
                            ).values("content_object_id"),
                        )
                        .select_related("household", "resident", "team")
                        .order_by(*order)[:PAGE]
                    ),
                ),
                (
                    "can_view_case, shared case (reader)",
                    reader,
                    lambda: [1] if can_view_case(reader, shared) else [],
                ),
                (
                    "can_view_case, not shared (reader)",
                    reader,
                    lambda: [1] if can_view_case(reader, not_shared) else [],
                ),
                (
                    "can_view_case, own team (member)",
                    users["member"],
                    lambda: [1] if can_view_case(users["member"], own) else [],
                ),
            ]
        print(f"{'measurement':62} {'median ms':>10} {'worst ms':>9} {'rows':>8} {'queries':>8}")
        for label, user, fn in measurements:
            median, worst, rows, queries = timed(fn, user)
            print(f"{label:62} {median:10.1f} {worst:9.1f} {rows:8d} {queries:8d}", flush=True)

        plans = [
            ("reader's first page (case_list_qs)", case_list_qs(reader, municipality)[:PAGE]),
            (
                "reader's count (case_list_qs)",
                case_list_qs(reader, municipality).order_by().values("pk"),
            ),
        ]
        if guardian:
            plans.append(
                (
                    "guardian get_objects_for_user, first page",
                    guardian_qs(True).order_by(*order)[:PAGE],
                )
            )
        for title, qs in plans:
            print(f"\nPlan of the {title}:")
            sql, params = qs.query.sql_with_params()
            if title.endswith("count (case_list_qs)"):
                # The ORM's own SQL with its parameters kept apart: nothing from outside.
                sql = f"SELECT COUNT(*) FROM ({sql}) AS sub"  # noqa: S608  # nosec B608
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                for (line,) in cur.fetchall():
                    print("  " + line)


def fill(municipality, n: int) -> None:
    """Bulk insert in SQL (generate_series): hours with the ORM, minutes this way."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db import connection, transaction

    from apps.decisions.models import ProvisionType
    from apps.teams.models import Area, Membership, Team
    from apps.tenants.models import StaffMember

    User = get_user_model()
    F = Membership.Function

    def person(key, team=None, function=None):
        user = User.objects.create_user(
            email=f"bench-case-{key}@example.test", password=None, full_name=key
        )
        staff = StaffMember.objects.create(municipality=municipality, user=user)
        for each in team if isinstance(team, list) else [team] if team else []:
            Membership.objects.create(
                municipality=municipality, staff_member=staff, team=each, function=function
            )
        return staff

    with transaction.atomic():
        areas = [Area.objects.create(municipality=municipality, name=f"Kern {i}") for i in range(8)]
        kernteams = []
        for i, area in enumerate(areas):
            team = Team.objects.create(
                municipality=municipality, name=f"Kernteam {i}", kind=Team.Kind.KERNTEAM
            )
            team.areas.set([area])
            kernteams.append(team)
        small = Team.objects.create(
            municipality=municipality, name="Kernteam klein", kind=Team.Kind.KERNTEAM
        )
        loket = Team.objects.create(municipality=municipality, name="Loket", kind=Team.Kind.LOKET)
        teams = [small, loket, *kernteams]  # indexes 1, 2, 3..10 in SQL below
        directors = [person(f"director-{i}", team, F.CASE_DIRECTOR) for i, team in enumerate(teams)]
        person("member", kernteams[0], F.TEAM_MEMBER)
        reader = person("reader", small, F.TEAM_MEMBER)
        person("consultant", loket, F.CONSULTANT)
        linked = person("linked", loket, F.CONSULTANT)
        Team.objects.filter(pk=kernteams[3].pk).update(linked_loket_consultant=linked)
        person("coordinator", kernteams[1:3], F.COORDINATOR)
        others = [person(f"other-{i}", kernteams[i % 8], F.TEAM_MEMBER) for i in range(20)]
        provision = ProvisionType.objects.create(
            municipality=municipality,
            name="Huishoudelijke hulp",
            law="wmo",
            legal_basis="artikel 2.3.5 Wmo 2015",
            unit="hours_per_week",
        )
        view_case = Permission.objects.get(content_type__app_label="cases", codename="view_case")
        m = municipality.pk
        team_ids = [t.pk for t in teams]
        director_ids = [d.pk for d in directors]
        step = max(1, n // READER_GRANTS)
        with connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO intake_household (version, updated_at, name, created_at,
                    municipality_id)
                SELECT 1, now(), 'Huishouden ' || g, now(), %s
                FROM generate_series(1, %s) AS g
                """,
                [m, n],
            )
            cur.execute(
                """
                INSERT INTO intake_resident (version, updated_at, municipality_id, bsn,
                    first_names, surname_prefix, surname, date_of_birth, street, postcode, city,
                    area_id, phone, email, household_id, household_relation, created_at)
                SELECT 1, now(), %s, '', 'Inwoner', '', 'Jansen' || h.rn,
                    date '1940-01-01' + (h.rn %% 30000)::int, 'Straat ' || h.rn, '', '',
                    (%s::bigint[])[1 + h.rn %% 8], '', '', h.id, 'applicant', now()
                FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn
                      FROM intake_household WHERE municipality_id = %s) AS h
                """,
                [m, [a.pk for a in areas], m],
            )
            # The team: 0.1% the small kernteam, 5% the loket, the rest spread
            # over the 8 kernteams; the director is that team's.
            cur.execute(
                """
                INSERT INTO cases_case (version, updated_at, status, title, opened_on, closed_on,
                    closure_note, created_at, created_by_id, director_id, household_id,
                    municipality_id, resident_id, team_id, updated_by_id)
                SELECT 1, now(),
                    (ARRAY['open', 'plan', 'proposal_pending', 'decided', 'closed',
                           'follow_up'])[1 + r.rn %% 6],
                    'Casus ' || r.rn, current_date - (r.rn %% 1825)::int,
                    CASE WHEN r.rn %% 6 >= 4 THEN current_date - (r.rn %% 100)::int END,
                    '', now(), (%s::bigint[])[r.t], (%s::bigint[])[r.t], r.household_id, %s,
                    r.id, (%s::bigint[])[r.t], NULL
                FROM (SELECT id, household_id, rn,
                             CASE WHEN rn %% 1000 = 0 THEN 1
                                  WHEN rn %% 1000 <= 50 THEN 2
                                  ELSE 3 + rn %% 8 END AS t
                      FROM (SELECT id, household_id, row_number() OVER (ORDER BY id) AS rn
                            FROM intake_resident WHERE municipality_id = %s) AS x) AS r
                """,
                [director_ids, director_ids, m, team_ids, m],
            )
            # 5% submitted to the loket, 5% a draft.
            cur.execute(
                """
                INSERT INTO decisions_proposal (version, updated_at, volume, unit, frequency,
                    start_date, end_date, motivation, status, is_voorwerk, submitted_at,
                    application_date, decision_deadline, returned_at, created_at,
                    assigned_consultant_id, case_id, drafted_by_id, municipality_id, plan_id,
                    resident_id, submitted_by_id, updated_by_id, revises_id, provision_type_id)
                SELECT 1, now(), 4, 'hours_per_week', 'per_week', current_date, NULL,
                    'Voorwerk', CASE WHEN c.rn %% 20 = 0 THEN 'submitted' ELSE 'draft' END,
                    true, CASE WHEN c.rn %% 20 = 0 THEN now() - (c.rn %% 30) * interval '1 day' END,
                    CASE WHEN c.rn %% 20 = 0 THEN current_date END,
                    CASE WHEN c.rn %% 20 = 0 THEN current_date + 14 END, NULL, now(), NULL,
                    c.id, c.director_id, %s, NULL, c.resident_id,
                    CASE WHEN c.rn %% 20 = 0 THEN c.director_id END, NULL, NULL, %s
                FROM (SELECT id, director_id, resident_id, row_number() OVER (ORDER BY id) AS rn
                      FROM cases_case WHERE municipality_id = %s) AS c
                WHERE c.rn %% 20 IN (0, 10)
                """,
                [m, provision.pk, m],
            )
            # The reader's grants, spread evenly over the cases; then 20 other
            # people with as many each, at other offsets.
            grantees = [(reader, 0), *((other, 1 + i) for i, other in enumerate(others))]
            for grantee, offset in grantees:
                cur.execute(
                    """
                    INSERT INTO cases_caseuserobjectpermission (granted_at, reason,
                        content_object_id, granted_by_id, permission_id, user_id)
                    SELECT now(), 'Gedeeld voor de benchmark', c.id, %s, %s, %s
                    FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn
                          FROM cases_case WHERE municipality_id = %s) AS c
                    WHERE c.rn %% %s = %s %% %s
                    ORDER BY c.id
                    LIMIT %s
                    """,
                    [
                        directors[2].pk,
                        view_case.pk,
                        grantee.user_id,
                        m,
                        step,
                        offset * 7 + 3,
                        step,
                        READER_GRANTS,
                    ],
                )
            cur.execute(
                "ANALYZE intake_household; ANALYZE intake_resident; ANALYZE cases_case; "
                "ANALYZE decisions_proposal; ANALYZE cases_caseuserobjectpermission;"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
