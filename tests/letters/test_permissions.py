"""The role × action table of docs/permissions.md ("Letters"), checked cell by
cell on the pages and the API."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import scope

from apps.letters import services
from apps.letters.models import Letter, LetterTemplate
from apps.letters.placeholders import LetterKind
from tests.factories import CaseFactory, SupportPlanFactory
from tests.letters.test_letters import api_for
from tests.letters.test_proposal_notice import extend

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
COLUMNS = {
    "team member (own team)": "team_member",
    "coordinator (own team)": "coordinator",
    "loket consultant": "loket_consultant",
    "other team member": "other_team_member",
    "gate clarifier": "gate_clarifier",
    "behavioural expert": "behavioural_expert",
    "volunteer": "volunteer",
    "municipality admin": "municipality_admin",
    "policy advisor": "policy_advisor",
    "staff only": "staff",
}


def documented_table() -> dict[str, dict[str, bool]]:
    lines = DOC.read_text().splitlines()
    start = lines.index("## Letters (apps.letters)")
    header = next(i for i in range(start, len(lines)) if lines[i].startswith("| action |"))
    names = [cell.strip() for cell in lines[header].strip("|").split("|")][1:]
    table = {}
    for line in lines[header + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        action = re.match(r"`([^`]+)`", cells[0]).group(1)
        table[action] = {
            COLUMNS[name]: cell == "yes" for name, cell in zip(names, cells[1:], strict=True)
        }
    return table


TABLE = documented_table()


def test_the_table_names_every_role_and_action():
    assert set(TABLE) == {
        "letter.create",
        "letter.read",
        "case_report.create",
        "case_report.read",
        "decision_postponement.create",
        "decision_postponement.read",
        "letter_template.manage",
    }
    for row in TABLE.values():
        assert set(row) == set(COLUMNS.values())


@pytest.mark.parametrize("role", COLUMNS.values())
def test_letter_create_for_every_role(role, town, client):
    allowed = TABLE["letter.create"][role]
    question = town["question"]
    client.force_login(town[role])
    response = client.post(reverse("letters:acknowledgement_create", args=[question.pk]), {})
    assert response.status_code == (302 if allowed else 403)
    api = api_for(town[role], town["m"])
    response = api.post(
        reverse("api:question-letter-list", args=[question.pk]),
        {"kind": "acknowledgement"},
        format="json",
    )
    assert response.status_code == (201 if allowed else 403), response.content
    with scope(municipality=town["m"]):
        assert Letter.objects.count() == (2 if allowed else 0)


@pytest.mark.parametrize("role", COLUMNS.values())
def test_letter_read_for_every_role(role, town, client):
    allowed = TABLE["letter.read"][role]
    with scope(municipality=town["m"]):
        letter = services.letter_create(
            actor=town["team_member"], kind=LetterKind.ACKNOWLEDGEMENT, question=town["question"]
        )
    client.force_login(town[role])
    response = client.get(reverse("letters:letter_pdf", args=[letter.pk]))
    assert response.status_code == (200 if allowed else 403)
    api = api_for(town[role], town["m"])
    for name in ("api:letter-detail", "api:letter-pdf"):
        response = api.get(reverse(name, args=[letter.pk]))
        assert response.status_code == (200 if allowed else 403), name
    listed = api.get(reverse("api:letter-list"))
    if allowed:
        assert [row["id"] for row in listed.json()["results"]] == [letter.pk]
    else:
        assert listed.status_code == 403 or listed.json()["results"] == []


@pytest.mark.parametrize("role", COLUMNS.values())
def test_letter_template_manage_for_every_role(role, town, client):
    allowed = TABLE["letter_template.manage"][role]
    client.force_login(town[role])
    assert client.get(reverse("letters:template_list")).status_code == (200 if allowed else 403)
    response = client.post(reverse("letters:template_create"), {"kind": "invitation"})
    assert response.status_code == (302 if allowed else 403)
    with scope(municipality=town["m"]):
        assert LetterTemplate.objects.filter(kind="invitation").exists() == allowed


def case_of_elst(town):
    with scope(municipality=town["m"]):
        case = CaseFactory(municipality=town["m"], team=town["elst"])
        SupportPlanFactory(municipality=town["m"], case=case, number=1)
    return case


@pytest.mark.parametrize("role", COLUMNS.values())
def test_case_report_create_for_every_role(role, town, client):
    allowed = TABLE["case_report.create"][role]
    # Who works on cases but cannot see this one gets 404; the rest 403.
    refused = 404 if role in ("loket_consultant", "other_team_member") else 403
    case = case_of_elst(town)
    client.force_login(town[role])
    response = client.post(reverse("letters:case_report_create", args=[case.pk]), {})
    assert response.status_code == (302 if allowed else refused)
    api = api_for(town[role], town["m"])
    response = api.post(
        reverse("api:case-letter-list", args=[case.pk]), {"kind": "report"}, format="json"
    )
    assert response.status_code == (201 if allowed else refused), response.content
    with scope(municipality=town["m"]):
        assert Letter.objects.count() == (2 if allowed else 0)


@pytest.mark.parametrize("role", COLUMNS.values())
def test_case_report_read_for_every_role(role, town, client):
    allowed = TABLE["case_report.read"][role]
    case = case_of_elst(town)
    with scope(municipality=town["m"]):
        letter = services.case_report_create(actor=town["team_member"], case=case)
    client.force_login(town[role])
    response = client.get(reverse("letters:letter_pdf", args=[letter.pk]))
    assert response.status_code == (200 if allowed else 403)
    api = api_for(town[role], town["m"])
    for name in ("api:letter-detail", "api:letter-pdf"):
        response = api.get(reverse(name, args=[letter.pk]))
        assert response.status_code == (200 if allowed else 403), name
    listed = api.get(reverse("api:letter-list"))
    if allowed:
        assert [row["id"] for row in listed.json()["results"]] == [letter.pk]
    else:
        assert listed.status_code == 403 or listed.json()["results"] == []


@pytest.mark.parametrize("role", COLUMNS.values())
def test_decision_postponement_create_for_every_role(role, town, proposal, client):
    allowed = TABLE["decision_postponement.create"][role]
    extend(town, proposal)
    client.force_login(town[role])
    response = client.post(reverse("letters:proposal_postponement_create", args=[proposal.pk]))
    assert response.status_code == (302 if allowed else 403)
    api = api_for(town[role], town["m"])
    response = api.post(
        reverse("api:proposal-letter-list", args=[proposal.pk]),
        {"kind": "decision_postponement"},
        format="json",
    )
    assert response.status_code == (201 if allowed else 403), response.content
    with scope(municipality=town["m"]):
        assert Letter.objects.count() == (2 if allowed else 0)


@pytest.mark.parametrize("role", COLUMNS.values())
def test_decision_postponement_read_for_every_role(role, town, proposal, client):
    allowed = TABLE["decision_postponement.read"][role]
    extend(town, proposal)
    with scope(municipality=town["m"]):
        letter = services.proposal_letter_create(actor=town["loket_consultant"], proposal=proposal)
    client.force_login(town[role])
    response = client.get(reverse("letters:letter_pdf", args=[letter.pk]))
    assert response.status_code == (200 if allowed else 403)
    api = api_for(town[role], town["m"])
    for name in ("api:letter-detail", "api:letter-pdf"):
        response = api.get(reverse(name, args=[letter.pk]))
        assert response.status_code == (200 if allowed else 403), name
    listed = api.get(reverse("api:letter-list"))
    if allowed:
        assert [row["id"] for row in listed.json()["results"]] == [letter.pk]
    else:
        assert listed.status_code == 403 or listed.json()["results"] == []
