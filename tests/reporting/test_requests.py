"""Requesting reports: the period rules, one build per period at a time, who
may, and the pages and API around it."""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scope

from apps.audit.models import AccessLogEntry
from apps.reporting import services
from apps.reporting.models import Report
from apps.reporting.periods import add_months, month_start
from apps.teams.models import Membership, Team
from tests.conftest import make_person
from tests.factories import ReportFactory, ReportSettingsFactory


@pytest.fixture
def advisor(municipality):
    return make_person(municipality, policy=True)


def request_report(user, municipality, start, end):
    with scope(municipality=municipality):
        return services.report_request(
            actor=user, municipality=municipality, period_start=start, period_end=end
        )


def test_a_request_queues_a_report_of_whole_months(advisor, municipality):
    report, created = request_report(advisor, municipality, "2015-01", "2015-05")
    assert created
    assert report.status == Report.Status.QUEUED
    assert (report.period_start, report.period_end) == (date(2015, 1, 1), date(2015, 5, 31))
    assert report.requested_by.user == advisor
    assert report.period_label == "januari–mei 2015"


def test_a_second_request_of_a_period_being_made_returns_that_one(advisor, municipality):
    first, _ = request_report(advisor, municipality, "2015-01", "2015-05")
    again, created = request_report(advisor, municipality, "2015-01", "2015-05")
    assert (again.pk, created) == (first.pk, False)
    with scope(municipality=municipality):
        assert Report.objects.count() == 1
        Report.objects.filter(pk=first.pk).update(status=Report.Status.READY)
    # Once ready, asking again makes a fresh one (the data may have changed).
    fresh, created = request_report(advisor, municipality, "2015-01", "2015-05")
    assert created and fresh.pk != first.pk


def test_the_database_refuses_two_in_progress_reports_of_one_period(advisor, municipality):
    from django.db import IntegrityError, transaction

    first, _ = request_report(advisor, municipality, "2015-01", "2015-05")
    with scope(municipality=municipality), pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            municipality=municipality,
            period_start=first.period_start,
            period_end=first.period_end,
            status=Report.Status.RUNNING,
        )


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2015-05", "2015-01", "period_end", "eindigt voordat ze begint"),
        ("2012-01", "2015-01", "period_end", "ten hoogste 3 jaar"),
        ("2015-13", "2015-14", "period_start", "JJJJ-MM"),
        ("mei", "2015-01", "period_start", "JJJJ-MM"),
    ],
)
def test_bad_periods_are_refused_with_a_clear_message(
    advisor, municipality, start, end, field, message
):
    with pytest.raises(ValidationError) as refused:
        request_report(advisor, municipality, start, end)
    assert message in " ".join(refused.value.message_dict.get(field, refused.value.messages)), (
        refused.value
    )
    with scope(municipality=municipality):
        assert not Report.objects.exists()


def test_a_period_in_the_future_is_refused_but_this_month_is_fine(advisor, municipality):
    this_month = month_start(timezone.localdate())
    next_month = add_months(this_month, 1)
    with pytest.raises(ValidationError) as refused:
        request_report(advisor, municipality, f"{next_month:%Y-%m}", f"{next_month:%Y-%m}")
    assert "toekomst" in str(refused.value)
    with pytest.raises(ValidationError):
        request_report(advisor, municipality, f"{this_month:%Y-%m}", f"{next_month:%Y-%m}")
    report, created = request_report(
        advisor, municipality, f"{this_month:%Y-%m}", f"{this_month:%Y-%m}"
    )
    assert created


def test_exactly_three_years_is_allowed(advisor, municipality):
    report, created = request_report(advisor, municipality, "2013-01", "2015-12")
    assert created


@pytest.mark.parametrize(
    "memberships",
    [
        [(Team.Kind.LOKET, Membership.Function.CONSULTANT)],
        [(Team.Kind.KERNTEAM, Membership.Function.TEAM_MEMBER)],
        [(Team.Kind.KERNTEAM, Membership.Function.COORDINATOR)],
    ],
)
def test_only_policy_advisors_and_the_admin_request(municipality, memberships):
    user = make_person(municipality, memberships=memberships)
    with pytest.raises(PermissionDenied):
        request_report(user, municipality, "2015-01", "2015-05")
    admin = make_person(municipality, admin=True)
    assert request_report(admin, municipality, "2015-01", "2015-05")[1]


def test_a_policy_advisor_of_another_municipality_may_not(advisor, other_municipality):
    with pytest.raises(PermissionDenied):
        request_report(advisor, other_municipality, "2015-01", "2015-05")


def test_the_threshold_is_taken_from_the_settings_at_request_time(advisor, municipality):
    with scope(municipality=municipality):
        ReportSettingsFactory(municipality=municipality, small_count_threshold=5)
    report, _ = request_report(advisor, municipality, "2015-01", "2015-05")
    assert report.small_count_threshold == 5


# --- pages -----------------------------------------------------------------------------


def test_the_page_lists_reports_and_requests_one(client, advisor, municipality):
    with scope(municipality=municipality):
        ready = ReportFactory(
            municipality=municipality,
            period_start=date(2015, 1, 1),
            period_end=date(2015, 1, 31),
            is_scheduled=True,
        )
    client.force_login(advisor)
    page = client.get("/rapportages/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "januari 2015" in body and "maandelijks (automatisch)" in body
    assert f"/rapportages/{ready.pk}/pdf/" in body
    response = client.post("/rapportages/", {"period_start": "2015-01", "period_end": "2015-05"})
    with scope(municipality=municipality):
        report = Report.objects.get(period_end=date(2015, 5, 31))
    assert response.status_code == 302 and response["Location"] == f"/rapportages/{report.pk}/"
    detail = client.get(response["Location"]).content.decode()
    # Being made: the status asks for itself again (htmx) and is announced.
    assert 'hx-trigger="every 2s"' in detail and 'role="status"' in detail
    assert "in de wachtrij" in detail


def test_the_page_shows_a_bad_period_and_saves_nothing(client, advisor, municipality):
    client.force_login(advisor)
    response = client.post("/rapportages/", {"period_start": "2015-05", "period_end": "2015-01"})
    assert response.status_code == 400
    assert "eindigt voordat ze begint" in response.content.decode()
    with scope(municipality=municipality):
        assert not Report.objects.exists()


def test_the_status_fragment_stops_polling_when_ready(client, advisor, municipality):
    with scope(municipality=municipality):
        report = ReportFactory(
            municipality=municipality, status=Report.Status.QUEUED, pdf="", csv=""
        )
    client.force_login(advisor)
    fragment = client.get(f"/rapportages/{report.pk}/status/", HTTP_HX_REQUEST="true")
    assert "hx-trigger" in fragment.content.decode()
    assert f"/rapportages/{report.pk}/pdf/" not in fragment.content.decode()
    with scope(municipality=municipality):
        Report.objects.filter(pk=report.pk).update(status=Report.Status.READY)
    fragment = client.get(f"/rapportages/{report.pk}/status/", HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in fragment.content.decode()
    assert f"/rapportages/{report.pk}/pdf/" in fragment.content.decode()
    # Without htmx the URL leads to the report's page.
    plain = client.get(f"/rapportages/{report.pk}/status/")
    assert plain.status_code == 302 and plain["Location"] == f"/rapportages/{report.pk}/"


def test_the_poll_swaps_the_inside_of_a_live_region_that_stays(client, advisor, municipality):
    """A screen reader announces a change inside a live region that is already
    on the page, not a region that is swapped in whole."""
    with scope(municipality=municipality):
        report = ReportFactory(
            municipality=municipality, status=Report.Status.RUNNING, pdf="", csv=""
        )
    client.force_login(advisor)
    page = client.get(f"/rapportages/{report.pk}/").content.decode()
    region = re.search(r'<span class="portal-report-status" role="status">\s*<span ([^>]*)>', page)
    assert region, "the status is not inside a live region"
    assert f'id="report-status-{report.pk}"' in region.group(1)
    assert 'hx-swap="outerHTML"' in region.group(1)
    fragment = client.get(f"/rapportages/{report.pk}/status/", HTTP_HX_REQUEST="true")
    assert 'role="status"' not in fragment.content.decode()
    assert f'id="report-status-{report.pk}"' in fragment.content.decode()
    # The page polls with the status it shows; while that stays the same the
    # answer is a 204, which htmx does not swap: nothing is announced again.
    poll = re.search(r'hx-get="([^"]+)"', region.group(1)).group(1).replace("&amp;", "&")
    assert "was=running" in poll
    unchanged = client.get(poll, HTTP_HX_REQUEST="true")
    assert unchanged.status_code == 204 and "HX-Request" in unchanged["Vary"]
    with scope(municipality=municipality):
        Report.objects.filter(pk=report.pk).update(status=Report.Status.READY)
    changed = client.get(poll, HTTP_HX_REQUEST="true")
    assert changed.status_code == 200 and "/pdf/" in changed.content.decode()


def test_a_failed_report_says_why(client, advisor, municipality):
    with scope(municipality=municipality):
        report = ReportFactory(
            municipality=municipality,
            status=Report.Status.FAILED,
            pdf="",
            csv="",
            error="Het maken is mislukt (OSError).",
        )
    client.force_login(advisor)
    body = client.get(f"/rapportages/{report.pk}/").content.decode()
    assert "mislukt" in body and "OSError" in body
    assert client.get(f"/rapportages/{report.pk}/pdf/").status_code == 404


def test_a_download_is_logged(client, advisor, municipality):
    with scope(municipality=municipality):
        report = ReportFactory(municipality=municipality)
    client.force_login(advisor)
    response = client.get(f"/rapportages/{report.pk}/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    csv = client.get(f"/rapportages/{report.pk}/csv/")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    with scope(municipality=municipality):
        entries = AccessLogEntry.objects.filter(user=advisor, action=AccessLogEntry.Action.DOWNLOAD)
        assert entries.count() == 2
        assert all(str(report.pk) in (e.object_id or "") + e.object_label for e in entries)


def test_another_municipalitys_report_is_not_found(client, advisor, other_municipality):
    with scope(municipality=other_municipality):
        theirs = ReportFactory(municipality=other_municipality)
    client.force_login(advisor)
    for url in (
        f"/rapportages/{theirs.pk}/",
        f"/rapportages/{theirs.pk}/pdf/",
        f"/rapportages/{theirs.pk}/csv/",
        f"/api/v1/reports/{theirs.pk}/",
        f"/api/v1/reports/{theirs.pk}/pdf/",
    ):
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404, url
    assert str(theirs.pk) not in client.get("/api/v1/reports/").content.decode().split('"id"')[0]


def test_a_team_member_gets_403_on_every_report_page(client, municipality):
    user = make_person(municipality, memberships=[(Team.Kind.KERNTEAM, "team_member")])
    with scope(municipality=municipality):
        report = ReportFactory(municipality=municipality)
    client.force_login(user)
    for url in (
        "/rapportages/",
        f"/rapportages/{report.pk}/",
        f"/rapportages/{report.pk}/pdf/",
        "/api/v1/reports/",
        f"/api/v1/reports/{report.pk}/csv/",
    ):
        assert client.get(url).status_code == 403, url
    assert "Rapportages" not in client.get("/").content.decode()


def test_the_admin_sets_the_small_count_threshold(client, municipality):
    admin = make_person(municipality, admin=True)
    client.force_login(admin)
    page = client.get("/beheer/rapportages/")
    assert page.status_code == 200
    response = client.post("/beheer/rapportages/", {"small_count_threshold": 5, "version": 1})
    assert response.status_code == 302
    with scope(municipality=municipality):
        assert services.report_settings(municipality).small_count_threshold == 5
    bad = client.post("/beheer/rapportages/", {"small_count_threshold": 500, "version": 2})
    assert bad.status_code == 200 and "50" in bad.content.decode()
    advisor = make_person(municipality, policy=True)
    client.force_login(advisor)
    assert client.get("/beheer/rapportages/").status_code == 403


# --- API -------------------------------------------------------------------------------


def test_api_request_status_and_running_one_returned(client, advisor, municipality):
    client.force_login(advisor)
    body = {"period_start": "2015-01", "period_end": "2015-05"}
    first = client.post("/api/v1/reports/", body, "application/json")
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "queued" and first.json()["pdf_url"] is None
    again = client.post("/api/v1/reports/", body, "application/json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    status = client.get(f"/api/v1/reports/{first.json()['id']}/")
    assert status.json()["period"] == "januari–mei 2015"
    listed = client.get("/api/v1/reports/").json()
    assert [r["id"] for r in listed["results"]] == [first.json()["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"period_start": "2015-05", "period_end": "2015-01"}, "period_end"),
        ({"period_start": "2011-01", "period_end": "2015-01"}, "period_end"),
        ({"period_start": "2015-1", "period_end": "2015-05"}, "period_start"),
        ({"period_start": "2999-01", "period_end": "2999-02"}, "period_start"),
        ({"period_end": "2015-05"}, "period_start"),
    ],
)
def test_api_refuses_bad_periods(client, advisor, municipality, body, field):
    client.force_login(advisor)
    response = client.post("/api/v1/reports/", body, "application/json")
    assert response.status_code == 400, response.content
    assert field in response.content.decode()
    with scope(municipality=municipality):
        assert not Report.objects.exists()


def test_api_download_when_ready(client, advisor, municipality):
    with scope(municipality=municipality):
        report = ReportFactory(municipality=municipality)
        queued = ReportFactory(
            municipality=municipality,
            status=Report.Status.QUEUED,
            period_start=date(2014, 1, 1),
            period_end=date(2014, 1, 31),
            pdf="",
            csv="",
        )
    client.force_login(advisor)
    data = client.get(f"/api/v1/reports/{report.pk}/").json()
    assert data["pdf_url"].endswith(f"/api/v1/reports/{report.pk}/pdf/")
    assert client.get(f"/api/v1/reports/{report.pk}/pdf/").status_code == 200
    assert client.get(f"/api/v1/reports/{queued.pk}/pdf/").status_code == 404


# --- inside and outside versions, comparison ----------------------------------------------


def test_an_internal_version_hides_nothing_and_an_outside_one_uses_the_threshold(
    advisor, municipality
):
    with scope(municipality=municipality):
        ReportSettingsFactory(municipality=municipality, small_count_threshold=5)
        outside, _ = request_report(advisor, municipality, "2015-01", "2015-05")
        internal, created = services.report_request(
            actor=advisor,
            municipality=municipality,
            period_start="2015-01",
            period_end="2015-05",
            audience=Report.Audience.INTERNAL,
        )
    # Both versions of one period may be made at the same time.
    assert created and internal.pk != outside.pk
    assert (outside.audience, outside.small_count_threshold) == ("outside", 5)
    assert (internal.audience, internal.small_count_threshold) == ("internal", 0)
    with scope(municipality=municipality):
        assert outside.file_name("pdf").endswith("2015-01-2015-05-om-te-delen.pdf")
        assert internal.file_name("csv").endswith("2015-01-2015-05-intern.csv")


def test_a_comparison_is_a_request_of_its_own(advisor, municipality):
    with scope(municipality=municipality):
        plain, _ = request_report(advisor, municipality, "2015-01", "2015-05")
        compared, created = services.report_request(
            actor=advisor,
            municipality=municipality,
            period_start="2015-01",
            period_end="2015-05",
            compare_previous_year=True,
        )
        assert created and compared.compare_previous_year and not plain.compare_previous_year
        assert compared.file_name("pdf").endswith("-om-te-delen-met-vorig-jaar.pdf")


@pytest.mark.parametrize(
    "memberships",
    [
        [(Team.Kind.LOKET, Membership.Function.CONSULTANT)],
        [(Team.Kind.KERNTEAM, Membership.Function.COORDINATOR)],
        [(Team.Kind.KERNTEAM, Membership.Function.TEAM_MEMBER)],
    ],
)
def test_only_policy_advisors_and_the_admin_request_the_internal_version(municipality, memberships):
    user = make_person(municipality, memberships=memberships)
    with scope(municipality=municipality), pytest.raises(PermissionDenied):
        services.report_request(
            actor=user,
            municipality=municipality,
            period_start="2015-01",
            period_end="2015-05",
            audience=Report.Audience.INTERNAL,
        )
    admin = make_person(municipality, admin=True)
    with scope(municipality=municipality):
        report, _ = services.report_request(
            actor=admin,
            municipality=municipality,
            period_start="2015-01",
            period_end="2015-05",
            audience=Report.Audience.INTERNAL,
        )
        assert report.audience == "internal"
        assert Report.objects.count() == 1


def test_an_unknown_version_is_refused_and_nothing_saved(advisor, municipality):
    with scope(municipality=municipality):
        with pytest.raises(ValidationError) as refused:
            services.report_request(
                actor=advisor,
                municipality=municipality,
                period_start="2015-01",
                period_end="2015-05",
                audience="everyone",
            )
        assert "audience" in refused.value.message_dict
        assert not Report.objects.exists()


def test_the_monthly_job_makes_the_outside_version(municipality):
    with scope(municipality=municipality):
        ReportSettingsFactory(municipality=municipality, small_count_threshold=4)
        report, created = services.report_schedule_last_month(municipality, today=date(2015, 6, 3))
    assert created and report.audience == "outside" and report.small_count_threshold == 4
    assert not report.compare_previous_year


def test_the_page_requests_an_internal_compared_version(client, advisor, municipality):
    client.force_login(advisor)
    page = client.get("/rapportages/").content.decode()
    assert 'value="internal"' in page and 'name="compare_previous_year"' in page
    response = client.post(
        "/rapportages/",
        {
            "period_start": "2015-01",
            "period_end": "2015-05",
            "audience": "internal",
            "compare_previous_year": "on",
        },
    )
    assert response.status_code == 302
    with scope(municipality=municipality):
        report = Report.objects.get()
    assert report.audience == "internal" and report.compare_previous_year
    detail = client.get(response["Location"]).content.decode()
    assert "Voor intern gebruik" in detail and "vergeleken met een jaar eerder" in detail
    bad = client.post(
        "/rapportages/",
        {"period_start": "2015-01", "period_end": "2015-05", "audience": "everyone"},
    )
    assert bad.status_code == 200
    with scope(municipality=municipality):
        assert Report.objects.count() == 1


def test_api_requests_the_internal_version(client, advisor, municipality):
    client.force_login(advisor)
    response = client.post(
        "/api/v1/reports/",
        {"period_start": "2015-01", "period_end": "2015-02", "audience": "internal"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["audience"] == "internal" and body["small_count_threshold"] == 0
    bad = client.post(
        "/api/v1/reports/",
        {"period_start": "2015-01", "period_end": "2015-02", "audience": "everyone"},
        content_type="application/json",
    )
    assert bad.status_code == 400
