"""The dashboard of the year (policy advisors, the admin): the main figures
and a chart with its table per section, from the report's figures; other roles
403, another municipality's data never shown; the visit logged as aggregates
only (no resident); a fixed number of queries; cached per municipality until
the next report, and still working with the cache gone."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django_scopes import scope

from apps.audit.models import AccessLogEntry
from apps.reporting import dashboard
from apps.teams.models import Membership, Team
from tests.conftest import make_person
from tests.factories import LifeDomainFactory, QuestionFactory, TeamFactory

URL = "/rapportages/dashboard/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def advisor(municipality):
    return make_person(municipality, policy=True)


def questions(municipality, team_name, count):
    with scope(municipality=municipality):
        team = TeamFactory(municipality=municipality, name=team_name)
        domain = LifeDomainFactory(municipality=municipality)
        for _i in range(count):
            question = QuestionFactory(
                municipality=municipality, team=team, received_at=timezone.now()
            )
            question.life_domains.set([domain])
    return team


def test_the_dashboard_shows_the_year_in_charts_and_tables(client, advisor, municipality):
    questions(municipality, "Kernteam Elst", 6)
    client.force_login(advisor)
    page = client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    year = timezone.localdate().year
    assert "Dashboard januari–" in body and str(year) in body
    for title in (
        "Nieuwe vragen per team per maand",
        "Hoe de vragen binnenkwamen",
        "Doorlooptijden met en zonder voorwerk",
        "Wettelijke beslistermijnen",
        "Besluiten per voorziening",
        "Zelfredzaamheid: verandering per leefgebied",
        "Afgesloten zonder maatwerkvoorziening",
    ):
        assert title in body, title
    assert "Kernteam Elst" in body
    # Each chart is an image with a text alternative, and its figures are in a table.
    assert 'src="data:image/svg+xml;base64,' in body
    assert "De cijfers staan in de tabel hieronder." in body
    assert body.count("<table") >= 7
    # The menu links the dashboard for this role.
    assert f'href="{URL}"' in body


@pytest.mark.parametrize(
    "memberships",
    [
        [(Team.Kind.LOKET, Membership.Function.CONSULTANT)],
        [(Team.Kind.KERNTEAM, Membership.Function.COORDINATOR)],
        [(Team.Kind.KERNTEAM, Membership.Function.TEAM_MEMBER)],
    ],
)
def test_other_roles_get_403_and_no_menu_link(client, municipality, memberships):
    client.force_login(make_person(municipality, memberships=memberships))
    assert client.get(URL).status_code == 403
    assert URL not in client.get("/").content.decode()


def test_the_admin_sees_the_dashboard(client, municipality):
    client.force_login(make_person(municipality, admin=True))
    assert client.get(URL).status_code == 200


def test_another_municipalitys_data_is_never_shown(
    client, advisor, municipality, other_municipality
):
    questions(municipality, "Kernteam Elst", 3)
    questions(other_municipality, "Kernteam Elders", 40)
    client.force_login(advisor)
    body = client.get(URL).content.decode()
    assert "Kernteam Elst" in body and "Kernteam Elders" not in body
    # Cached per municipality: their advisor sees theirs, not ours.
    theirs = make_person(other_municipality, policy=True)
    client.force_login(theirs)
    body = client.get(URL).content.decode()
    assert "Kernteam Elders" in body and "Kernteam Elst" not in body


def test_the_visit_is_logged_as_aggregates_only(client, advisor, municipality):
    questions(municipality, "Kernteam Elst", 3)
    client.force_login(advisor)
    client.get(URL)
    with scope(municipality=municipality):
        entry = AccessLogEntry.objects.get(user=advisor)
    assert entry.action == AccessLogEntry.Action.VIEW
    assert entry.object_type == "reporting.dashboard"
    assert "alleen totalen, geen inwoners" in entry.object_label
    assert entry.resident_id is None and entry.object_ids in ([], None, "")


def test_the_number_of_queries_is_fixed_and_a_cached_visit_needs_few(client, advisor, municipality):
    client.force_login(advisor)

    def visit():
        cache.clear()
        with CaptureQueriesContext(connection) as first:
            assert client.get(URL).status_code == 200
        with CaptureQueriesContext(connection) as again:
            assert client.get(URL).status_code == 200
        return len(first), len(again)

    questions(municipality, "Kernteam Elst", 1)
    client.get(URL)  # the first visit ever creates the report settings
    small, cached = visit()
    questions(municipality, "Kernteam Driel", 5)
    questions(municipality, "Kernteam Heteren", 5)
    assert visit() == (small, cached)
    assert cached < small - 10  # the figures come from the cache


def test_the_figures_are_cached_until_the_next_report(client, advisor, municipality):
    client.force_login(advisor)
    with mock.patch.object(
        dashboard, "build_report_data", wraps=dashboard.build_report_data
    ) as build:
        client.get(URL)
        client.get(URL)
        assert build.call_count == 1
        dashboard.forget(municipality.pk, threshold=0)
        client.get(URL)
        assert build.call_count == 2


def test_a_ready_report_makes_the_dashboard_compute_afresh(advisor, municipality):
    from apps.reporting import services

    with scope(municipality=municipality):
        report, _ = services.report_request(
            actor=advisor, municipality=municipality, period_start="2015-01", period_end="2015-01"
        )
        with (
            mock.patch.object(dashboard, "forget") as forget,
            mock.patch("apps.reporting.render.render_pdf", return_value=b"%PDF-1.7"),
        ):
            services.report_build(report.pk, fair_share=False)
    forget.assert_called_once_with(municipality.pk, threshold=0)


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "apps.core.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2},
        }
    }
)
def test_the_dashboard_works_with_the_cache_gone(client, advisor, municipality):
    questions(municipality, "Kernteam Elst", 3)
    client.force_login(advisor)
    page = client.get(URL)
    assert page.status_code == 200 and "Kernteam Elst" in page.content.decode()
