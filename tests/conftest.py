import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_scopes import scope, scopes_disabled

from apps.accounts.views import SETUP_ALLOWED_SESSION_KEY
from apps.teams.models import Membership, Team
from config.celery import app as celery_app
from tests.factories import (
    FACTORIES,
    MembershipFactory,
    MunicipalityFactory,
    StaffMemberFactory,
    TeamFactory,
)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # A cache of the test process alone (never a shared Redis), fresh per test.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()  # throttling counters
    # The tests' own set-up code (factories, checks on what was saved) works
    # across municipalities outside any scope; requests, tasks and commands in
    # a test still see only their scope's rows (apps/core/rls.py).
    settings.PORTAL_DB_UNSCOPED = "all"
    # Tests render templates without a collectstatic run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    yield
    # LanguageMiddleware activates each request's language in the thread; after
    # a test that asked for English the next one starts in Dutch again, as
    # every request and task of the portal does.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _project_celery_app():
    """A test with a real Celery worker (celery.contrib.testing's `start_worker`)
    makes its own app the current and default one; afterwards the run goes on
    with the project's (eager) app, whichever test comes next: otherwise a task
    of a later test (a decision letter) goes to that app's Redis and never runs."""
    yield
    celery_app.set_current()
    celery_app.set_default()


def totp_code(device) -> str:
    """The code an authenticator app holding `device`'s secret shows now (or,
    when that code was just used, the next one, which the device still accepts)."""
    import time

    from django_otp.oath import hotp

    device.refresh_from_db()
    now = (int(time.time()) - device.t0) // device.step + device.drift
    step = max(now, device.last_t + 1)
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


class VerifiedClient(Client):
    """A test client whose `force_login` also passes the second factor, as if
    the person had typed the code from their authenticator app: the user gets a
    confirmed TOTP device if they have none, and the session holds it the way
    `django_otp.login` stores it (and, as after the real second step, may no
    longer set up a new app). Tests of the second step itself use a plain
    `django.test.Client`."""

    def force_login(self, user, backend=None):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        super().force_login(user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.pop(SETUP_ALLOWED_SESSION_KEY, None)  # as after the real second step
        session.save()


@pytest.fixture
def client():
    """pytest-django's `client`, logged in with both factors by `force_login`."""
    return VerifiedClient()


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Overbetuwe-test")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="Andere gemeente")


def make_person(municipality, *, admin=False, policy=False, memberships=(), user=None):
    """A person with access to `municipality` and the given memberships:
    each an item (team_kind, function) or a Team and a function."""
    with scope(municipality=municipality):
        kwargs = {"user": user} if user is not None else {}
        staff = StaffMemberFactory(
            municipality=municipality,
            is_municipality_admin=admin,
            is_policy_advisor=policy,
            **kwargs,
        )
        for team_or_kind, function in memberships:
            team = (
                team_or_kind
                if isinstance(team_or_kind, Team)
                else TeamFactory(municipality=municipality, kind=team_or_kind)
            )
            MembershipFactory(
                municipality=municipality,
                staff_member=staff,
                team=team,
                function=function,
                mandated_laws=["wmo"]
                if function == Membership.Function.CONSULTANT and team.kind == Team.Kind.LOKET
                else [],
            )
    return staff.user


def residents_shown_by(entry) -> list[int]:
    """The ids of the residents an access-log entry's list or search named, in
    the order they were written."""
    from apps.audit.models import AccessLogResident

    with scopes_disabled():
        return list(
            AccessLogResident.objects.filter(entry=entry)
            .order_by("pk")
            .values_list("resident_id", flat=True)
        )


@pytest.fixture
def admin_user(municipality):
    return make_person(municipality, admin=True)


@pytest.fixture
def team_member(municipality):
    return make_person(
        municipality, memberships=[(Team.Kind.KERNTEAM, Membership.Function.TEAM_MEMBER)]
    )


@pytest.fixture
def in_scope(municipality):
    with scope(municipality=municipality):
        yield municipality


@pytest.fixture
def unscoped():
    with scopes_disabled():
        yield


def api_key_for(user, municipality, *, actor=None, days=30):
    """An API key for `user`'s own access to `municipality`: (token, key)."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.tenants.services import api_token_create

    with scope(municipality=municipality):
        return api_token_create(
            actor=actor,
            municipality=municipality,
            staff_member=user.staff_memberships.get(municipality=municipality),
            name="koppeling",
            expires_at=timezone.now() + timedelta(days=days),
        )


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with the test settings that
    middleware reads only once, when the server thread builds its handler
    (`SecurityMiddleware` would otherwise redirect every request to https)."""
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(SECURE_SSL_REDIRECT=False):
        server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def everything(municipality):
    """A person holding every role, and one object of every kind, in one municipality."""
    F, K = Membership.Function, Team.Kind
    user = make_person(
        municipality,
        admin=True,
        policy=True,
        memberships=[
            (K.LOKET, F.CONSULTANT),
            (K.LOKET, F.GATE_CLARIFIER),
            (K.KERNTEAM, F.COORDINATOR),
            (K.EXPERTISE, F.BEHAVIOURAL_EXPERT),
        ],
    )
    with scope(municipality=municipality):
        objects = {
            model: factory(municipality=municipality) for model, factory in FACTORIES.items()
        }
    return user, objects
