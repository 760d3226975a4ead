"""One test with a real Celery worker against Redis (started by `make test`)."""

import os

import pytest
from celery import shared_task
from celery.contrib.testing.worker import start_worker
from django_scopes import get_scope

from apps.teams.models import Team
from apps.tenants.tasks import MunicipalityTask
from config.celery import app
from tests.factories import MunicipalityFactory, TeamFactory

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@shared_task(base=MunicipalityTask, name="tests.count_teams_in_worker")
def count_teams_in_worker(*, municipality_id):
    return [get_scope()["municipality"].pk, Team.objects.count()]


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is set by `make test`")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_municipality_task_in_its_scope(settings):
    from django_scopes import scope

    a = MunicipalityFactory()
    b = MunicipalityFactory()
    with scope(municipality=a):
        TeamFactory.create_batch(2, municipality=a)
    with scope(municipality=b):
        TeamFactory(municipality=b)
    app.conf.update(
        broker_url=REDIS_URL,
        result_backend=REDIS_URL,
        task_always_eager=False,
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = count_teams_in_worker.delay(municipality_id=a.pk)
            assert result.get(timeout=20) == [a.pk, 2]
    finally:
        app.conf.update(task_always_eager=True, broker_url="memory://", result_backend=None)
