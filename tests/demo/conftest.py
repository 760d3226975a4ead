"""The demo tests share what is expensive to make: `seed_demo` takes tens of
seconds on the 2-core machine of `make test`.

- `demo_full`: the whole demo (structure, Overbetuwe's 2015, today's working
  day), seeded ONCE for tests/demo, committed, and flushed after the last test
  that uses it. Tests that use it read it, or change it inside their own
  transaction (pytest-django's `db`), which is rolled back: a second
  `seed_demo` run in a test body is undone afterwards as well.
- `demo_structure` (tests/demo/test_seed_demo.py): the structure only, once for
  that module.

Two seeded states and tests that need an empty database cannot be mixed, so the
tests of this directory run in that order: first those on an empty database,
then those on the structure, then those on the whole demo (each group in the
order of the files). Under pytest-xdist they are one group (`xdist_group`), so
one worker runs them in this order.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HERE = Path(__file__).parent


def _shared_state(item) -> int:
    names = getattr(item, "fixturenames", ())
    if "demo_full" in names:
        return 2
    if "demo_structure" in names:
        return 1
    return 0


def pytest_collection_modifyitems(items):
    """Order the tests of this directory by the state they share (see above);
    the rest of the run keeps its order."""
    positions = [i for i, item in enumerate(items) if Path(str(item.fspath)).parent == HERE]
    ours = sorted((items[i] for i in positions), key=_shared_state)  # stable
    for i, item in zip(positions, ours, strict=True):
        item.add_marker(pytest.mark.xdist_group("demo"))
        items[i] = item


@pytest.fixture(scope="package")
def demo_full(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for tests/demo and flushed afterwards."""
    # Eager, as `make run` without a broker: the letters are built after the commit.
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER, CELERY_TASK_ALWAYS_EAGER=True),
    ):
        call_command("seed_demo", allow_without_debug=True, verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
