"""Every cell of the documents table in docs/permissions.md, on the pages: for
each person, for a case, a question and a resident's file, seeing (download),
adding (upload) and withdrawing a colleague's document."""

from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from apps.documents.models import Document
from tests.documents.conftest import upload
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
HEADER = "| document action |"


def documented_table() -> dict:
    """{(target, action): {person: "yes" | "403" | "404"}}."""
    lines = DOC.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(HEADER))
    people = [c.strip() for c in lines[start].strip("|").split("|")][1:]
    table = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        target, _, action = cells[0].partition(": ")
        table[(target, action)] = dict(zip(people, cells[1:], strict=True))
    return table


TABLE = documented_table()
PEOPLE = list(next(iter(TABLE.values())))
ROLE_OF = {
    "policy_advisor": "policy",
    "municipality_admin": "admin",
    "behavioural_expert": "expert",
}
ROLE_OF |= {"gate_clarifier": "gate", "loket_consultant": "loket"}


def test_the_table_covers_every_target_and_action():
    targets = {"case", "question", "file"}
    actions = {"see a document, download it", "add a document", "withdraw another's document"}
    assert set(TABLE) == {(t, a) for t in targets for a in actions}


def target_of(world, target) -> dict:
    return {
        "case": {"case": world["case"]},
        "question": {"question": world["question"]},
        "file": {"resident": world["resident"]},
    }[target]


def outcome(response) -> str:
    if response.status_code in (200, 302):
        return "yes"
    return str(response.status_code)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("target", ["case", "question", "file"])
def test_documents_table_row_cells(client, world, settings, person, target):
    municipality = world["municipality"]
    with scope(municipality=municipality):
        kwargs = target_of(world, target)
        if "case" not in kwargs:
            kwargs = {"case": None, "question": None, **kwargs}
        document = DocumentFactory(municipality=municipality, **kwargs)
    client.force_login(world[ROLE_OF.get(person, person)])
    expected = {action: TABLE[(target, action)][person] for (t, action) in TABLE if t == target}

    see = client.get(reverse("documents:download", args=[document.pk]))
    assert outcome(see) == expected["see a document, download it"]

    name = {"case": "case_upload", "question": "question_upload", "file": "resident_upload"}
    obj = next(iter(v for v in target_of(world, target).values()))
    response = client.post(
        reverse(f"documents:{name[target]}", args=[obj.pk]),
        {
            "title": "Advies",
            "kind": Document.Kind.OTHER,
            "document_date": "2026-11-02",
            "file": upload(),
            "municipality": municipality.pk,
        },
    )
    assert outcome(response) == expected["add a document"], response.content[:300]
    if response.status_code == 302:
        with scopes_disabled():
            assert Document.objects.filter(title="Advies").count() == 1

    response = client.post(
        reverse("documents:withdraw", args=[document.pk]),
        {"reason": "Verkeerd dossier", "version": document.version},
    )
    assert outcome(response) == expected["withdraw another's document"]
    document.refresh_from_db()
    assert (document.withdrawn_at is not None) == (response.status_code == 302)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("target", ["case", "question", "file"])
def test_documents_table_row_cells_on_the_api(world, settings, person, target):
    from rest_framework.test import APIClient

    from tests.conftest import api_key_for

    municipality = world["municipality"]
    with scope(municipality=municipality):
        kwargs = target_of(world, target)
        if "case" not in kwargs:
            kwargs = {"case": None, "question": None, **kwargs}
        document = DocumentFactory(municipality=municipality, **kwargs)
    api = APIClient()
    _token, key = api_key_for(world[ROLE_OF.get(person, person)], municipality)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    expected = {action: TABLE[(target, action)][person] for (t, action) in TABLE if t == target}

    def said(response) -> str:
        return "yes" if response.status_code in (200, 201) else str(response.status_code)

    see = api.get(f"/api/v1/documents/{document.pk}/content/")
    assert said(see) == expected["see a document, download it"]
    assert said(api.get(f"/api/v1/documents/{document.pk}/")) == said(see)

    field = {"case": "case", "question": "question", "file": "resident"}[target]
    obj = next(iter(target_of(world, target).values()))
    response = api.post(
        "/api/v1/documents/",
        {
            field: obj.pk,
            "title": "Advies",
            "kind": Document.Kind.OTHER,
            "document_date": "2026-11-02",
            "file": upload(),
        },
        format="multipart",
    )
    assert said(response) == expected["add a document"], response.content[:300]

    response = api.post(
        f"/api/v1/documents/{document.pk}/withdraw/",
        {"reason": "Verkeerd dossier", "version": document.version},
    )
    assert said(response) == expected["withdraw another's document"]
