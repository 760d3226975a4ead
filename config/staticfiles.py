"""Static files taken from npm packages: only the files the pages use.

Why a finder and not a whole package directory in STATICFILES_DIRS: the
packages ship more than we serve, and some of it cannot be built.
@utrecht/design-tokens' `background-image-icon.css` references icons
(`pijltje.svg`, ...) that the package does not contain, so the manifest storage
of production (DEBUG=0) stops on it and `collectstatic` fails. Exposing only
the listed files keeps the build strict (a dangling reference in a file we do
serve still fails the build, as it should) and serves only files that exist.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage


class SelectedFilesFinder(BaseFinder):
    """Finds the files listed in settings.STATICFILES_SELECTED_FILES, a list of
    (URL prefix, package directory, [file names relative to that directory])."""

    def __init__(self, app_names=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = []  # (prefix, package directory, [names])
        self.storages = {}  # prefix -> storage; its .prefix puts the file under the prefix
        for prefix, root, names in settings.STATICFILES_SELECTED_FILES:
            self.entries.append((prefix, Path(root), list(names)))
            self.storages[prefix] = FileSystemStorage(location=root)
            self.storages[prefix].prefix = prefix

    def check(self, **kwargs):
        errors = []
        for prefix, root, names in self.entries:
            for name in names:
                if not (root / name).is_file():
                    errors.append(
                        Error(
                            f"The static file {prefix}/{name} is missing: {root / name} "
                            "does not exist (run npm ci).",
                            id="config.E001",
                        )
                    )
        return errors

    def find(self, path, find_all=False, **kwargs):
        # `all` is the pre-Django-6 name of `find_all`.
        find_all = find_all or kwargs.get("all", False)
        matches = []
        for prefix, root, names in self.entries:
            for name in names:
                if path == f"{prefix}/{name}" and (root / name).is_file():
                    if not find_all:
                        return str(root / name)
                    matches.append(str(root / name))
        return matches

    def list(self, ignore_patterns):
        for prefix, root, names in self.entries:
            for name in names:
                if (root / name).is_file():
                    yield name, self.storages[prefix]
