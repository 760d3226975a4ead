"""The production build: collectstatic with the manifest storage of DEBUG=0
(what the Dockerfile runs) succeeds, and pages then link hashed static files."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings

PRODUCTION_STATIC = {
    "STORAGES": {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    },
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """One collectstatic run (it compresses every file: slow) for the module."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, **PRODUCTION_STATIC):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(collected, settings):
    # Django's setting_changed receivers reset the cached storage and finders.
    settings.STATIC_ROOT = collected
    settings.STORAGES = PRODUCTION_STATIC["STORAGES"]
    return collected


def test_collectstatic_with_the_production_storage_succeeds(production_static):
    assert (production_static / "staticfiles.json").exists()
    for name in [
        "img/favicon.svg",
        "css/portal.css",
        "js/portal.js",
        "vendor/utrecht-tokens/index.css",
        "vendor/utrecht-css/index.css",
        "vendor/htmx/htmx.min.js",
    ]:
        assert (production_static / name).exists(), name


def test_only_the_used_files_of_the_npm_packages_are_served(production_static):
    # The icon sheet of the design tokens references icons the package does not ship.
    assert not (production_static / "vendor/utrecht-tokens/background-image-icon.css").exists()
    assert finders.find("vendor/utrecht-tokens/background-image-icon.css") is None
    assert finders.find("vendor/utrecht-tokens/index.css") is not None


def test_every_static_file_a_template_names_is_found():
    for path in settings.BASE_DIR.joinpath("templates").rglob("*.html"):
        for name in re.findall(r"\{% static '([^']+)' %\}", path.read_text()):
            assert finders.find(name), f"{path.name}: {name}"


@pytest.mark.django_db
def test_a_page_renders_with_hashed_static_urls_after_collectstatic(production_static, client):
    with override_settings(DEBUG=False):
        response = client.get("/inloggen/")
    assert response.status_code == 200
    html = response.content.decode()
    names = ["img/favicon", "css/portal", "vendor/utrecht-tokens/index", "vendor/htmx/htmx.min"]
    for name in names:
        assert re.search(rf"/static/{re.escape(name)}\.[0-9a-f]{{12}}\.(svg|css|js)", html), name
