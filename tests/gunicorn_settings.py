"""Production settings for a gunicorn started by a test, except that static
files need no collectstatic run (the manifest is the production build's concern)."""

from config.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
