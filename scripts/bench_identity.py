"""Benchmark: what the API inbox of a kernteam member costs per request, and how
much of it goes to finding out who the user is (issue #18; docs/architecture.md,
"Who the user is").

Uses the database of `scripts/bench_inbox.py` (filled by its `fill` when
empty), then sends the API inbox of a kernteam member in-process through the
full Django stack, N times with a session that passed the second factor and N
times with an API key, and prints the median and p95 in ms, the queries of one
request and how many of them read who the user is (the session, the account,
devices, municipalities, staff records, memberships, keys).

Usage (against the throwaway cluster of `make test`; a Redis cache as in
production through CACHE_URL):

    eval "$(bash scripts/test-services.sh env)"
    DATABASE_URL=${DATABASE_URL%/*}/toegang_bench CACHE_URL=${TEST_REDIS_URL%/*}/1 \\
        .venv/bin/python scripts/bench_identity.py 100000 200

Never point this at a real database.
"""

import os
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.benchdb import ensure_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

IDENTITY_TABLE = re.compile(
    r'^SELECT .*? FROM "(django_session|accounts_user|accounts_accessstamp|otp_\w+|'
    r'tenants_municipality|tenants_staffmember|teams_membership|tenants_apitoken)"',
    re.DOTALL,
)


def main(n: int, repeat: int) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database made for this benchmark.")
    ensure_database(url)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_scopes import scope, scopes_disabled

    from apps.intake.models import Question
    from apps.teams.models import Team
    from apps.tenants.middleware import SESSION_KEY as MUNICIPALITY_SESSION_KEY
    from apps.tenants.models import Municipality, StaffMember
    from apps.tenants.services import api_token_create
    from scripts.bench_inbox import fill

    setup_test_environment()
    call_command("migrate", verbosity=0)
    User = get_user_model()
    with scopes_disabled():
        municipality, created = Municipality.objects.get_or_create(
            cbs_code="GM9999", defaults={"name": "Benchmark"}
        )
    with scope(municipality=municipality):
        if created or not Question.objects.filter(municipality=municipality).exists():
            print(f"Filling {n} questions …", flush=True)
            fill(municipality, n)
        kernteam = Team.objects.filter(kind=Team.Kind.KERNTEAM).order_by("pk").first()
        member = User.objects.get(email="bench-member@example.test")
        staff = StaffMember.objects.get(user=member)
        _token, key = api_token_create(
            actor=None,
            municipality=municipality,
            staff_member=staff,
            name="bench",
            expires_at=timezone.now() + timedelta(days=1),
        )
    device = TOTPDevice.objects.filter(user=member, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=member, name="bench", confirmed=True)

    session_client = Client()
    session_client.force_login(member)
    session = session_client.session
    session[MUNICIPALITY_SESSION_KEY] = municipality.pk
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    key_client = Client(HTTP_AUTHORIZATION=f"Token {key}")

    path = f"/api/v1/questions/?team={kernteam.pk}"
    print(f"API inbox of {kernteam.name}, {repeat} requests each (cache: {cache_name()})\n")
    print(f"{'as':12} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'identity':>9}")
    for label, client in (("session", session_client), ("API key", key_client)):
        assert client.get(path).status_code == 200  # warm up
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        identity = [q for q in ctx.captured_queries if IDENTITY_TABLE.match(q["sql"])]
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"{label:12} {statistics.median(times):10.1f} {p95:8.1f} "
            f"{len(ctx.captured_queries):8d} {len(identity):9d}"
        )


def cache_name() -> str:
    from django.conf import settings

    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 200,
    )
