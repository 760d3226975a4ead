"""One test with a real Celery worker against Redis (started by `make test`)."""

import os

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django_scopes import get_scope, scope

from apps.teams.models import Team
from apps.tenants.tasks import MunicipalityTask
from tests.factories import MunicipalityFactory, TeamFactory

REDIS_URL = os.environ.get("TEST_REDIS_URL")
# The real Redis of `make test` (its databases 0 and 9) is one for all pytest-xdist
# workers: the tests that use it run in one group, one after another.
pytestmark = pytest.mark.xdist_group("redis")


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is set by `make test`")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_municipality_task_in_its_scope():
    # A separate app on the test Redis: the project app stays eager for the
    # other tests. Same settings otherwise (acks_late etc.).
    worker_app = Celery("worker-test", broker=REDIS_URL, backend=REDIS_URL)
    worker_app.config_from_object("django.conf:settings", namespace="CELERY")
    worker_app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)

    @worker_app.task(base=MunicipalityTask, name="tests.count_teams_in_worker")
    def count_teams_in_worker(*, municipality_id):
        return [get_scope()["municipality"].pk, Team.objects.count()]

    a = MunicipalityFactory()
    b = MunicipalityFactory()
    with scope(municipality=a):
        TeamFactory.create_batch(2, municipality=a)
    with scope(municipality=b):
        TeamFactory(municipality=b)
    with start_worker(worker_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = count_teams_in_worker.delay(municipality_id=a.pk)
        assert result.get(timeout=20) == [a.pk, 2]
