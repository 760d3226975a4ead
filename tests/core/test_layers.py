"""The layers of the apps (docs/architecture.md, "Layers"), as import-linter
checks them in `make test`: the tree keeps the contracts, and a forbidden import
breaks them. The broken cases run on a copy of `apps` in a temporary directory,
so nothing is left behind in the working tree."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    # import-linter puts the working directory first on the path, so `apps` is
    # the package under `cwd`; no cache, so it writes nothing there.
    return subprocess.run(  # noqa: S603 - our own venv's script, fixed arguments
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def copy_of_the_tree(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "apps", tmp_path / "apps", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_apps_keep_their_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        # The kernel imports nothing above it.
        (
            "core/upward.py",
            "from apps.cases.models import Case  # noqa\n",
            "An app imports only from the layers below it BROKEN",
        ),
        # A lower domain app does not reach up into a higher one.
        (
            "intake/upward.py",
            "from apps.decisions.selectors import submitted_count  # noqa\n",
            "An app imports only from the layers below it BROKEN",
        ),
        # An upward import hidden inside a function counts as well.
        (
            "tenants/hidden.py",
            "def f():\n    from apps.intake.models import Question  # noqa\n    return Question\n",
            "An app imports only from the layers below it BROKEN",
        ),
        # No app imports another app's views, even one below it.
        (
            "decisions/pages.py",
            "from apps.intake.views import QuestionDetailView  # noqa\n",
            "decisions imports no other app's views",
        ),
    ],
)
def test_a_forbidden_import_breaks_the_contracts(tmp_path, module, source, contract):
    tree = copy_of_the_tree(tmp_path)
    (tree / "apps" / module).write_text(source)
    result = lint_imports(tree)
    assert result.returncode != 0
    assert contract in result.stdout
    name = "apps." + module.removesuffix(".py").replace("/", ".")
    assert name in result.stdout  # the copy was checked, with the module just written


def test_the_copy_without_the_forbidden_import_passes(tmp_path):
    """The check above fails because of the module it adds, not because the
    copy differs from the tree in some other way."""
    result = lint_imports(copy_of_the_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
