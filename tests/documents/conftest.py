"""A case, a question and a resident's file in one municipality, with a person
for every role, and the files the tests upload."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope, scopes_disabled

from apps.teams.models import Membership, Team
from apps.tenants.models import StaffMember
from tests.conftest import make_person
from tests.factories import (
    PDF_BYTES,
    CaseFactory,
    QuestionFactory,
    ResidentFactory,
    TeamFactory,
)

F = Membership.Function

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name="advies.pdf", data=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def staff_of(user, municipality):
    with scopes_disabled():
        return StaffMember.objects.get(user=user, municipality=municipality)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files go to a directory of the test; no scanner unless a test sets one."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CLAMD_ADDRESS = ""
    settings.DOCUMENT_MAX_UPLOAD_MB = 1


def stored_files(settings) -> list:
    import pathlib

    root = pathlib.Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def world(municipality):
    with scope(municipality=municipality):
        kernteam = TeamFactory(municipality=municipality, kind=Team.Kind.KERNTEAM, name="Elst")
        other = TeamFactory(municipality=municipality, kind=Team.Kind.KERNTEAM, name="Driel")
        loket = TeamFactory(municipality=municipality, kind=Team.Kind.LOKET, name="Loket")
        gate = TeamFactory(municipality=municipality, kind=Team.Kind.KERNTEAM, name="Poort")
    people = {
        "director": make_person(municipality, memberships=[(kernteam, F.CASE_DIRECTOR)]),
        "member": make_person(municipality, memberships=[(kernteam, F.TEAM_MEMBER)]),
        "coordinator": make_person(municipality, memberships=[(kernteam, F.COORDINATOR)]),
        "expert": make_person(municipality, memberships=[(kernteam, F.BEHAVIOURAL_EXPERT)]),
        "volunteer": make_person(municipality, memberships=[(kernteam, F.VOLUNTEER)]),
        "gate": make_person(municipality, memberships=[(gate, F.GATE_CLARIFIER)]),
        "loket": make_person(municipality, memberships=[(loket, F.CONSULTANT)]),
        "other_team": make_person(municipality, memberships=[(other, F.TEAM_MEMBER)]),
        "policy": make_person(municipality, policy=True),
        "admin": make_person(municipality, admin=True),
    }
    with scope(municipality=municipality):
        case = CaseFactory(
            municipality=municipality,
            team=kernteam,
            director=staff_of(people["director"], municipality),
        )
        question = QuestionFactory(municipality=municipality, team=kernteam)
        resident = question.resident  # a file the kernteam works on (its question)
        stranger = ResidentFactory(municipality=municipality)
    return {
        "municipality": municipality,
        "team": kernteam,
        "case": case,
        "question": question,
        "resident": resident,
        "stranger": stranger,
        **people,
    }
