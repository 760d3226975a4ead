"""Known vulnerabilities in the Python packages installed in the venv, for `make test`.

    .venv/bin/python scripts/audit_dependencies.py

Runs pip-audit on the environment of the interpreter that runs this script (the
project's venv, not the system), without the editable project itself (it is not
on PyPI; bandit checks our own code). pip-audit asks PyPI for the vulnerabilities
of each installed release (/pypi/<name>/<version>/json).

Where that per-release data cannot be had (the package registry reachable from
our CI serves only /pypi/<name>/json, the data of a project's newest release), a
package that pip-audit skipped is checked here against its newest release's
vulnerabilities, which is a complete audit when the installed version *is* the
newest. Anything that still could not be audited fails the check, unless it is
listed with a reason under `unauditable` in `[tool.audit-dependencies]` of
pyproject.toml.

Fails (exit 1) on: a known vulnerability that is not ignored there with a reason
and a date; a package that could not be audited and is not listed; PyPI not
answering (after retries) or pip-audit not producing a report. Never passes by
auditing nothing. The policy is in docs/security-checks.md.
"""

import datetime
import importlib.metadata
import json
import os
import subprocess  # nosec B404
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
PROJECT_JSON = "https://pypi.org/pypi/{name}/json"  # PyPI, as pip-audit itself asks
TIMEOUT = 30  # seconds per request
ATTEMPTS = 3  # per request, with a pause of 2 and 4 seconds between them


class AuditError(Exception):
    """The audit itself could not be done (network, pip-audit, configuration)."""


STRICT = os.environ.get("AUDIT_STRICT", "") not in ("", "0")


def load_config():
    """{vulnerability id: (reason, until)}, {package: reason} from pyproject.toml."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        config = tomllib.load(f).get("tool", {}).get("audit-dependencies", {})
    ignore = {}
    for vuln_id, entry in config.get("ignore-vulns", {}).items():
        reason = entry.get("reason") if isinstance(entry, dict) else None
        until = entry.get("until") if isinstance(entry, dict) else None
        if not (isinstance(reason, str) and reason.strip()) or not isinstance(until, datetime.date):
            raise AuditError(
                f"ignore-vulns.{vuln_id}: give a reason and a date to look again, e.g. "
                f'{{ reason = "...", until = 2027-01-31 }}'
            )
        ignore[vuln_id] = (reason.strip(), until)
    unauditable = {}
    for name, reason in config.get("unauditable", {}).items():
        if not (isinstance(reason, str) and reason.strip()):
            raise AuditError(f"unauditable.{name}: give the reason as a text")
        unauditable[canonicalize_name(name)] = reason.strip()
    return ignore, unauditable


def run_pip_audit(ignored_ids):
    """pip-audit's JSON report, tried twice: {"dependencies": [...], ...}."""
    pip_audit = Path(sys.executable).parent / "pip-audit"
    for attempt in (1, 2):
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "report.json"
            command = [
                str(pip_audit),
                "--skip-editable",
                "--progress-spinner=off",
                "--format=json",
                f"--output={report}",
                f"--timeout={TIMEOUT}",
                *[f"--ignore-vuln={vuln_id}" for vuln_id in sorted(ignored_ids)],
            ]
            # Our venv's pip-audit with fixed arguments, no shell.
            done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
            text = report.read_text() if report.exists() else ""
        if text.strip():
            return json.loads(text)
        if attempt == 1:
            print("pip-audit gave no report; trying again in 5 s", file=sys.stderr)
            time.sleep(5)
    tail = "\n".join(done.stderr.strip().splitlines()[-15:])
    raise AuditError(f"pip-audit gave no report (exit {done.returncode}):\n{tail}")


def fetch_project(name):
    """PyPI's JSON for a project (its newest release), or None if PyPI has no such project."""
    url = PROJECT_JSON.format(name=name)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            # A fixed https:// address (PROJECT_JSON), never a file: or other scheme.
            with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310  # nosec B310
                return json.load(response)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            error = exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            error = exc
        if attempt < ATTEMPTS:
            time.sleep(2**attempt)
    raise AuditError(f"PyPI did not answer for {name} ({url}): {error}")


def is_editable(name):
    """An editable install (our own project): not on PyPI, checked by bandit."""
    text = importlib.metadata.distribution(name).read_text("direct_url.json")
    return bool(text) and json.loads(text).get("dir_info", {}).get("editable", False)


def same_version(a, b):
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def audit_with_newest_release(name, ignored_ids):
    """(installed version, vulnerabilities, None) if the installed version is
    PyPI's newest release of `name`, else (installed version, [], why it could not
    be audited)."""
    installed = importlib.metadata.version(name)
    project = fetch_project(name)
    if project is None:
        return installed, [], "not on PyPI"
    newest = project["info"]["version"]
    if not same_version(installed, newest):
        return installed, [], f"installed {installed}, newest {newest}"
    vulns = []
    for vuln in project.get("vulnerabilities") or []:
        ids = {vuln["id"], *vuln.get("aliases", [])}
        if vuln.get("withdrawn") or ids & ignored_ids:
            continue
        vulns.append(
            {
                "id": vuln["id"],
                "aliases": vuln.get("aliases", []),
                "fix_versions": vuln.get("fixed_in", []),
                "description": (vuln.get("summary") or vuln.get("details") or "").strip(),
            }
        )
    return installed, vulns, None


def main():
    ignore, unauditable = load_config()
    today = datetime.date.today()
    expired = {vuln_id: until for vuln_id, (_, until) in ignore.items() if until < today}
    if expired:
        raise AuditError(
            "ignored vulnerabilities past their date, look at them again: "
            + ", ".join(f"{v} (until {d})" for v, d in sorted(expired.items()))
        )
    ignored_ids = set(ignore)

    report = run_pip_audit(ignored_ids)
    findings = []  # (package, version, vulnerability)
    by_pip_audit, skipped, editable = [], [], []
    for dependency in report["dependencies"]:
        if "skip_reason" in dependency:
            if is_editable(dependency["name"]):
                editable.append(dependency["name"])
            else:
                skipped.append(dependency["name"])
            continue
        by_pip_audit.append(dependency["name"])
        for vuln in dependency.get("vulns", []):
            findings.append((dependency["name"], dependency["version"], vuln))

    by_newest, not_audited = [], {}
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = pool.map(lambda name: audit_with_newest_release(name, ignored_ids), skipped)
        for name, (version, vulns, why) in zip(skipped, results, strict=True):
            if why is None:
                by_newest.append(name)
                findings += [(name, version, vuln) for vuln in vulns]
            else:
                not_audited[canonicalize_name(name)] = why

    total = len(by_pip_audit) + len(skipped)
    print(
        f"audit-dependencies: {total} packages; {len(by_pip_audit)} audited by pip-audit "
        f"(data per release), {len(by_newest)} against the data of their newest release, "
        f"{len(not_audited)} not audited; skipped as editable (our own code): "
        f"{', '.join(editable) or 'none'}."
    )
    for name, why in sorted(not_audited.items()):
        allowed = unauditable.get(name)
        note = f"listed as unauditable: {allowed}" if allowed else "NOT LISTED"
        print(f"  not audited: {name} ({why}) - {note}")
    stale = sorted(set(unauditable) - set(not_audited))
    if stale:
        print(f"  note: listed as unauditable but audited now, remove from pyproject: {stale}")

    unlisted = sorted(set(not_audited) - set(unauditable))
    for name, version, vuln in findings:
        aliases = ", ".join(vuln.get("aliases") or [])
        fixes = ", ".join(vuln.get("fix_versions") or []) or "none yet"
        print(
            f"VULNERABLE: {name} {version}: {vuln['id']}"
            + (f" ({aliases})" if aliases else "")
            + f"; fixed in: {fixes}\n    {vuln.get('description', '')[:300]}"
        )
    if unlisted:
        # A new upstream release can leave a dependency below its newest version
        # at any moment, without any change of ours: by default that is a loud
        # warning, not a failed build (AUDIT_STRICT=1 makes it fail).
        print(
            f"{'FAILED' if STRICT else 'WARNING'}: could not audit {', '.join(unlisted)}. "
            "Upgrade it to its newest release, or list it under "
            "[tool.audit-dependencies.unauditable] in pyproject.toml with the reason "
            "(docs/security-checks.md)."
        )
    if findings:
        print(
            f"FAILED: {len(findings)} known vulnerabilities. Raise the lower bound in "
            "pyproject.toml to a fixed version, or ignore with a reason and a date under "
            "[tool.audit-dependencies.ignore-vulns] (docs/security-checks.md)."
        )
    if findings or (unlisted and STRICT):
        return 1
    ignored = f" ({len(ignore)} ignored, see pyproject.toml)" if ignore else ""
    print(f"No known vulnerabilities{ignored}.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AuditError as exc:
        print(f"audit-dependencies: FAILED: {exc}", file=sys.stderr)
        sys.exit(2)
