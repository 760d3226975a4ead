"""Generated files are served only through a view that checks and logs."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.core.files import serve_private_file
from tests.factories import QuestionFactory


class FakeFieldFile:
    def __init__(self, name):
        self.name = name
        self.storage = default_storage

    def __bool__(self):
        return bool(self.name)

    def open(self, mode="rb"):
        return self.storage.open(self.name, mode)


@pytest.fixture
def stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("letters/besluit.pdf", ContentFile(b"%PDF-1.7 test"))
    yield name
    default_storage.delete(name)


def test_private_files_have_no_url(stored):
    with pytest.raises(NotImplementedError):
        default_storage.url(stored)
    for path in ("/media/letters/besluit.pdf", "/letters/besluit.pdf", f"/{stored}"):
        with pytest.raises(Resolver404):
            resolve(path)


def test_serving_logs_the_download_and_forbids_caching(stored, municipality, team_member):
    with scope(municipality=municipality):
        question = QuestionFactory(municipality=municipality)
        request = RequestFactory().get("/download")
        request.user = team_member
        request.municipality = municipality
        response = serve_private_file(
            request, FakeFieldFile(stored), filename="besluit.pdf", obj=question
        )
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    with scopes_disabled():
        entry = AccessLogEntry.objects.get()
    assert entry.action == "download" and entry.resident == question.resident
    assert entry.user == team_member


def test_a_missing_file_is_not_found(stored, municipality, team_member):
    request = RequestFactory().get("/download")
    request.user, request.municipality = team_member, municipality
    with scope(municipality=municipality), pytest.raises(Http404):
        serve_private_file(request, FakeFieldFile("letters/weg.pdf"), filename="x.pdf", obj=None)
