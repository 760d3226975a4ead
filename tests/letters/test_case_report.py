"""The written report of the investigation (verslag, Wmo 2015 art. 2.3.4) of a
case: made on the case page and through the API from the latest ZRM scores and
the current support plan, read back as PDF, refused where the rule says so (and
then nothing is saved)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.cases.models import SupportPlan
from apps.letters import services
from apps.letters.models import Letter
from apps.letters.placeholders import LetterKind
from apps.teams.models import Membership, Team
from tests.conftest import make_person
from tests.factories import (
    AssessmentFactory,
    AssessmentScoreFactory,
    CaseFactory,
    GoalFactory,
    LetterTemplateFactory,
    LifeDomainFactory,
    SolutionFactory,
    SupportPlanFactory,
)
from tests.letters.test_letters import api_for, body, pdf_text, squash


@pytest.fixture
def case(town):
    """A case of Kernteam Elst with two assessments and a draft plan."""
    m = town["m"]
    with scope(municipality=m):
        case = CaseFactory(
            municipality=m,
            team=town["elst"],
            resident__first_names="Bram",
            resident__surname="Verslag-Lezer",
        )
        money = LifeDomainFactory(municipality=m, name="Financiën", position=1)
        home = LifeDomainFactory(municipality=m, name="Huisvesting", position=2)
        first = AssessmentFactory(
            municipality=m, case=case, assessed_on=timezone.localdate() - timedelta(days=40)
        )
        AssessmentScoreFactory(municipality=m, assessment=first, life_domain=money, score=1)
        latest = AssessmentFactory(municipality=m, case=case)
        AssessmentScoreFactory(municipality=m, assessment=latest, life_domain=money, score=2)
        AssessmentScoreFactory(municipality=m, assessment=latest, life_domain=home, score=4)
        plan = SupportPlanFactory(municipality=m, case=case, number=1)
        goal = GoalFactory(
            municipality=m,
            plan=plan,
            life_domain=money,
            description="De schulden zijn in beeld en er is een betaalregeling.",
        )
        SolutionFactory(
            municipality=m,
            goal=goal,
            level=2,
            description="De zoon helpt met de post openen.",
        )
    return case


@pytest.fixture
def bare_case(town):
    with scope(municipality=town["m"]):
        return CaseFactory(municipality=town["m"], team=town["elst"])


def letters(town):
    with scope(municipality=town["m"]):
        return list(Letter.objects.order_by("pk"))


def test_team_member_makes_the_report_with_scores_and_plan(town, case, client):
    client.force_login(town["team_member"])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    url = reverse("letters:case_report_create", args=[case.pk])
    assert url in page and "Nog geen brieven verstuurd." in page
    form = client.get(url).content.decode()
    # The preview shows the text, the scores and the plan before anything is made.
    assert "Bram Verslag-Lezer" in form and "Voorbeeld van het verslag" in form
    assert "Financiën" in form and "betaalregeling" in form and "concept" in form
    assert letters(town) == []

    response = client.post(url, {})
    assert response.status_code == 302
    [letter] = letters(town)
    assert letter.kind == LetterKind.REPORT and letter.case_id == case.pk
    assert letter.question_id is None and letter.resident_id == case.resident_id
    assert "2.3.4" in letter.body and "concept" in letter.body
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    pdf_url = reverse("letters:letter_pdf", args=[letter.pk])
    assert pdf_url in page and "Verslag van het onderzoek" in page

    download = client.get(pdf_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    text = pdf_text(body(download))
    for expected in (
        "Bram Verslag-Lezer",
        "Financiën",
        "2 – niet zelfredzaam",
        "Huisvesting",
        "4 – voldoende zelfredzaam",
        "De schulden zijn in beeld en er is een betaalregeling.",
        "eigen netwerk: De zoon helpt met de post openen.",
        "concept",
        f"casus {case.pk}",
    ):
        assert squash(expected) in text, expected
    # Only the latest score counts: the first assessment's 1 is not in the table.
    assert squash("1 – acute problematiek") not in text.replace(squash("1 (acute"), "")
    with scopes_disabled():
        entry = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.DOWNLOAD).get()
    assert entry.resident_id == case.resident_id and entry.object_id == str(letter.pk)


def test_an_agreed_plan_is_named_as_agreed(town, case, client):
    with scope(municipality=town["m"]):
        SupportPlan.objects.filter(case=case).update(
            status=SupportPlan.Status.AGREED, agreed_on=timezone.localdate()
        )
        letter = services.case_report_create(actor=town["team_member"], case=case)
    assert "afgesproken op" in letter.body and "concept" not in letter.body
    client.force_login(town["team_member"])
    text = pdf_text(body(client.get(reverse("letters:letter_pdf", args=[letter.pk]))))
    assert squash("afgesproken op") in text


def test_the_report_through_the_api_is_listed_and_read_back(town, case):
    api = api_for(town["team_member"], town["m"])
    response = api.post(
        reverse("api:case-letter-list", args=[case.pk]), {"kind": "report"}, format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "report" and data["case"] == case.pk and data["question"] is None
    listed = api.get(reverse("api:letter-list"), {"kind": "report"}).json()
    assert [row["id"] for row in listed["results"]] == [data["id"]]
    pdf = api.get(data["pdf"])
    assert pdf.status_code == 200
    assert squash("Financiën") in pdf_text(body(pdf))


def test_the_report_is_refused_without_assessment_and_plan(town, bare_case, client):
    client.force_login(town["team_member"])
    url = reverse("letters:case_report_create", args=[bare_case.pk])
    assert "nog geen meting en geen plan" in client.get(url).content.decode()
    response = client.post(url, {})
    assert response.status_code == 200
    assert "nog geen meting en geen plan" in str(response.context["form"].non_field_errors())
    api = api_for(town["team_member"], town["m"])
    response = api.post(
        reverse("api:case-letter-list", args=[bare_case.pk]), {"kind": "report"}, format="json"
    )
    assert response.status_code == 400 and "nog geen meting" in response.content.decode()
    assert letters(town) == []


def test_a_plan_alone_is_enough(town, bare_case):
    with scope(municipality=town["m"]):
        SupportPlanFactory(municipality=town["m"], case=bare_case, number=1)
        letter = services.case_report_create(actor=town["team_member"], case=bare_case)
    assert letter.case_id == bare_case.pk


def test_a_wrong_kind_is_refused_naming_the_field(town, case):
    api = api_for(town["team_member"], town["m"])
    for kind in ("acknowledgement", "verslag", ""):
        response = api.post(
            reverse("api:case-letter-list", args=[case.pk]), {"kind": kind}, format="json"
        )
        assert response.status_code == 400 and "kind" in response.json(), kind
    assert letters(town) == []


def test_the_municipality_text_of_the_report_is_used(town, case):
    with scope(municipality=town["m"]):
        LetterTemplateFactory(
            municipality=town["m"],
            kind=LetterKind.REPORT,
            subject="Verslag casus {casusnummer}",
            body="Beste {naam}, uw plan is {status_plan}; gemeten op {datum_meting}.",
        )
        letter = services.case_report_create(actor=town["team_member"], case=case)
    assert letter.subject == f"Verslag casus {case.pk}"
    assert letter.body.startswith("Beste Bram Verslag-Lezer, uw plan is concept")


def test_another_municipality_does_not_exist(town, case, client, other_municipality):
    with scope(municipality=town["m"]):
        letter = services.case_report_create(actor=town["team_member"], case=case)
    outsider = make_person(
        other_municipality, memberships=[(Team.Kind.KERNTEAM, Membership.Function.TEAM_MEMBER)]
    )
    client.force_login(outsider)
    url = reverse("letters:case_report_create", args=[case.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert client.get(reverse("letters:letter_pdf", args=[letter.pk])).status_code == 404
    api = api_for(outsider, other_municipality)
    response = api.post(
        reverse("api:case-letter-list", args=[case.pk]), {"kind": "report"}, format="json"
    )
    assert response.status_code == 404
    assert api.get(reverse("api:letter-detail", args=[letter.pk])).status_code == 404
    assert api.get(reverse("api:letter-list")).json()["results"] == []
    assert len(letters(town)) == 1


def test_the_case_page_reads_its_letters_in_fixed_queries(
    town, case, client, django_assert_max_num_queries
):
    client.force_login(town["team_member"])
    url = reverse("cases:detail", args=[case.pk])
    with scope(municipality=town["m"]):
        services.case_report_create(actor=town["team_member"], case=case)
    client.get(url)
    with django_assert_max_num_queries(80) as few:
        client.get(url)
    with scope(municipality=town["m"]):
        for _ in range(3):
            services.case_report_create(actor=town["team_member"], case=case)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count("/pdf/") == 4


def test_the_letter_list_with_reports_costs_a_fixed_number_of_queries(
    town, case, django_assert_max_num_queries
):
    api = api_for(town["team_member"], town["m"])
    with scope(municipality=town["m"]):
        services.case_report_create(actor=town["team_member"], case=case)
    api.get(reverse("api:letter-list"))
    with django_assert_max_num_queries(12) as few:
        assert len(api.get(reverse("api:letter-list")).json()["results"]) == 1
    with scope(municipality=town["m"]):
        for _ in range(3):
            services.case_report_create(actor=town["team_member"], case=case)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(reverse("api:letter-list")).json()["results"]) == 4
