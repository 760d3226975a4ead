"""A policy advisor requests a report and downloads it when it is ready; a
person of another municipality finds none of Overbetuwe's pages."""

import re
from pathlib import Path

from django_scopes import scopes_disabled

from apps.cases.models import Case
from apps.intake.models import Question
from apps.reporting.models import Report
from tests.browser.conftest import pdf_text

ADVISOR = "beleid@overbetuwe.demo.test"
OTHER_ADVISOR = "beleid@uithoorn.demo.test"
OTHER_TEAM_MEMBER = "casusregisseur@uithoorn.demo.test"


def request_report(person, start="2015-01", end="2015-05"):
    page = person.page
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Rapportages").click()
    person.check()
    person.screenshot("reports")
    page.get_by_label("Van (maand)").fill(start)
    page.get_by_label("Tot en met (maand)").fill(end)
    page.get_by_role("button", name="Aanvragen").click()
    person.check()


def test_a_policy_advisor_requests_a_report_and_downloads_it_when_ready(portal):
    advisor = portal()
    advisor.login(ADVISOR)
    request_report(advisor)
    page = advisor.page
    # The report is made in the background; the page shows when it is ready.
    pdf_link = page.get_by_role("link", name=re.compile(r"^PDF"))
    pdf_link.first.wait_for(timeout=60_000)
    advisor.check()
    advisor.screenshot("report-detail")
    with page.expect_download() as download:
        pdf_link.first.click()
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert "Kernteam Elst" in text
    assert "246" in text


def test_another_municipality_finds_none_of_overbetuwes_pages(portal):
    owner = portal()
    owner.login(ADVISOR)
    request_report(owner)
    with scopes_disabled():
        report = Report.objects.filter(municipality__name="Overbetuwe").latest("pk")
        question = Question.objects.filter(municipality__name="Overbetuwe").latest("pk")
        case = Case.objects.filter(municipality__name="Overbetuwe").latest("pk")

    # Each by someone of Uithoorn who may open such pages in their own municipality.
    for email, paths in (
        (OTHER_ADVISOR, [f"/rapportages/{report.pk}/", f"/rapportages/{report.pk}/pdf/"]),
        (OTHER_TEAM_MEMBER, [f"/intake/vragen/{question.pk}/", f"/casussen/{case.pk}/"]),
    ):
        other = portal()
        other.login(email)
        for path in paths:
            response = other.goto(path)
            assert response.status == 404, (email, path)
            other.page.get_by_role("heading", level=1, name="Niet gevonden").wait_for()
