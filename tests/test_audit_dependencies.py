"""scripts/audit_dependencies.py decides right, without network: PyPI and
pip-audit are replaced by fakes. The real run is a step of `make test`."""

import datetime
import importlib.util
import urllib.error
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

TOMORROW = datetime.date.today() + datetime.timedelta(days=1)
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)
VULN = {
    "id": "PYSEC-2099-1",
    "aliases": ["CVE-2099-1"],
    "fixed_in": ["2.0.1"],
    "summary": "Something bad",
    "withdrawn": None,
}


@pytest.fixture
def world(monkeypatch):
    """What pip-audit reports, what PyPI serves, what is installed and configured."""
    state = {
        "report": {"dependencies": [{"name": "ok", "version": "1.0", "vulns": []}]},
        "pypi": {},
        "installed": {},
        "ignore": {},
        "unauditable": {},
    }

    def run_pip_audit(ignored_ids):
        state["pip_audit_ignored"] = ignored_ids
        return state["report"]

    def fetch_project(name):
        found = state["pypi"].get(name)
        if isinstance(found, Exception):
            raise found
        return found

    monkeypatch.setattr(audit, "run_pip_audit", run_pip_audit)
    monkeypatch.setattr(audit, "fetch_project", fetch_project)
    monkeypatch.setattr(audit, "load_config", lambda: (state["ignore"], state["unauditable"]))
    monkeypatch.setattr(audit, "is_editable", lambda name: name == "toegang-portal")
    monkeypatch.setattr(audit.importlib.metadata, "version", lambda n: state["installed"][n])
    return state


def skipped(world, name, installed, newest, vulns=()):
    world["report"]["dependencies"].append({"name": name, "skip_reason": "not found"})
    world["installed"][name] = installed
    world["pypi"][name] = {"info": {"version": newest}, "vulnerabilities": list(vulns)}


def test_clean_report_passes(world, capsys):
    assert audit.main() == 0
    assert "No known vulnerabilities" in capsys.readouterr().out


def test_vulnerability_found_by_pip_audit_fails(world, capsys):
    world["report"]["dependencies"].append(
        {
            "name": "bad",
            "version": "2.0",
            "vulns": [{"id": "GHSA-x", "fix_versions": ["2.1"], "aliases": [], "description": ""}],
        }
    )
    assert audit.main() == 1
    assert "VULNERABLE: bad 2.0: GHSA-x" in capsys.readouterr().out


def test_skipped_package_at_its_newest_release_is_audited_with_that_data(world, capsys):
    skipped(world, "lib", "2.0", "2.0", [VULN])
    assert audit.main() == 1
    assert "VULNERABLE: lib 2.0: PYSEC-2099-1 (CVE-2099-1)" in capsys.readouterr().out


def test_a_vulnerability_ignored_by_an_alias_with_a_date_passes(world):
    skipped(world, "lib", "2.0", "2.0", [VULN])
    world["ignore"] = {"CVE-2099-1": ("not reachable from our code", TOMORROW)}
    assert audit.main() == 0
    assert world["pip_audit_ignored"] == {"CVE-2099-1"}


def test_withdrawn_vulnerabilities_do_not_count(world):
    skipped(world, "lib", "2.0", "2.0", [{**VULN, "withdrawn": "2099-01-01T00:00:00Z"}])
    assert audit.main() == 0


def test_an_expired_ignore_fails(world):
    world["ignore"] = {"CVE-2099-1": ("reason", YESTERDAY)}
    with pytest.raises(audit.AuditError, match="past their date"):
        audit.main()


def test_a_package_that_cannot_be_audited_warns_unless_listed_and_fails_when_strict(
    world, capsys, monkeypatch
):
    skipped(world, "held", "1.4", "2.2")
    assert audit.main() == 0
    assert "WARNING: could not audit held" in capsys.readouterr().out
    monkeypatch.setattr(audit, "STRICT", True)
    assert audit.main() == 1
    assert "FAILED: could not audit held" in capsys.readouterr().out
    world["unauditable"] = {"held": "pinned by a dependency"}
    assert audit.main() == 0


def test_the_editable_project_is_not_audited(world):
    world["report"]["dependencies"].append({"name": "toegang-portal", "skip_reason": "editable"})
    assert audit.main() == 0


def test_pypi_not_answering_fails_loudly(world):
    skipped(world, "lib", "2.0", "2.0")
    world["pypi"]["lib"] = audit.AuditError("PyPI did not answer")
    with pytest.raises(audit.AuditError):
        audit.main()


def test_fetch_retries_then_gives_up(monkeypatch):
    calls = []

    def urlopen(url, timeout):
        calls.append(url)
        raise urllib.error.URLError("no route")

    monkeypatch.setattr(audit.urllib.request, "urlopen", urlopen)
    monkeypatch.setattr(audit.time, "sleep", lambda s: None)
    with pytest.raises(audit.AuditError, match="did not answer"):
        audit.fetch_project("django")
    assert len(calls) == audit.ATTEMPTS


def test_configuration_needs_reasons_and_dates(tmp_path, monkeypatch):
    monkeypatch.setattr(audit, "ROOT", tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.audit-dependencies.ignore-vulns]\n"GHSA-x" = "no date"\n'
    )
    with pytest.raises(audit.AuditError, match="reason and a date"):
        audit.load_config()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.audit-dependencies.ignore-vulns]\n"GHSA-x" = { reason = "r", until = 2099-01-01 }\n'
        '[tool.audit-dependencies.unauditable]\nDjango = "LTS"\n'
    )
    ignore, unauditable = audit.load_config()
    assert ignore == {"GHSA-x": ("r", datetime.date(2099, 1, 1))}
    assert unauditable == {"django": "LTS"}


def test_the_projects_own_configuration_is_valid():
    ignore, unauditable = audit.load_config()
    assert all(until >= datetime.date.today() for _, until in ignore.values())
    assert "django" in unauditable
