"""The scripts (benchmarks, smoke run, dependency audit) are not imported by
the suite, so a name they import from the apps can go without a test failing:
every `from apps… import name` in scripts/ must still resolve."""

import ast
import importlib
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def test_every_name_a_script_imports_from_the_apps_exists():
    missing = []
    for path in sorted(SCRIPTS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("apps")):
                continue
            module = importlib.import_module(node.module)
            for alias in node.names:
                if hasattr(module, alias.name):
                    continue
                try:
                    importlib.import_module(f"{node.module}.{alias.name}")
                except ImportError:
                    missing.append(f"{path.name}:{node.lineno} {node.module}.{alias.name}")
    assert missing == []
