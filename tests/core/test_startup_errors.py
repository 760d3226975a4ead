"""A missing or wrong production setting stops the start with one line naming
it and a non-zero exit, not a traceback: manage.py, gunicorn (config/wsgi.py,
config/gunicorn.conf.py) and Celery (config/celery.py)."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(**changes):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "insecure-test-only-key",
        "ALLOWED_HOSTS": "portal.example.nl",
        "PORTAL_BASE_URL": "https://portal.example.nl",
    }
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(args, **changes):
    return subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=production_env(**changes),
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_line_naming(result, setting):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    naming = [line for line in result.stderr.splitlines() if setting in line]
    assert len(naming) == 1, result.stderr
    return naming[0]


def test_manage_py_without_secret_key_prints_one_line_naming_it():
    result = run(["manage.py", "check"], SECRET_KEY=None)

    line = assert_one_line_naming(result, "SECRET_KEY")
    assert result.stderr.strip() == line
    assert line.startswith("ImproperlyConfigured: SECRET_KEY must be set")


def test_manage_py_with_a_wrong_setting_prints_one_line_naming_it():
    result = run(["manage.py", "check"], LOG_FORMAT="xml")

    assert_one_line_naming(result, "LOG_FORMAT")
    assert len(result.stderr.strip().splitlines()) == 1


def test_manage_py_with_a_database_that_does_not_answer_prints_one_line_naming_database_url():
    port = closed_port()
    result = run(
        ["manage.py", "migrate", "--noinput"],
        DATABASE_URL=f"postgres://toegang:secret-password@127.0.0.1:{port}/toegang",
    )

    line = assert_one_line_naming(result, "DATABASE_URL")
    assert line.startswith(f"DATABASE_URL: database at 127.0.0.1:{port} does not answer")
    assert "secret-password" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_wsgi_without_allowed_hosts_prints_one_line_naming_it():
    result = run(["-c", "import config.wsgi"], ALLOWED_HOSTS=None)

    line = assert_one_line_naming(result, "ALLOWED_HOSTS")
    assert line.startswith("ImproperlyConfigured: ALLOWED_HOSTS must be set")


def test_wsgi_without_secret_key_prints_one_line_naming_it():
    result = run(["-c", "import config.wsgi"], SECRET_KEY="")

    assert_one_line_naming(result, "SECRET_KEY")


def test_gunicorn_stops_without_allowed_hosts_instead_of_restarting_workers():
    result = run(
        ["-m", "gunicorn", "config.wsgi:application", "--bind", "127.0.0.1:0", "--workers", "1"],
        ALLOWED_HOSTS=None,
    )

    assert_one_line_naming(result, "ImproperlyConfigured: ALLOWED_HOSTS")


def test_gunicorn_with_a_database_that_does_not_answer_stops_with_one_line():
    port = closed_port()
    result = run(
        [
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn.conf.py",
            "config.wsgi:application",
            "--bind",
            "127.0.0.1:0",
        ],
        DATABASE_URL=f"postgres://toegang:toegang@127.0.0.1:{port}/toegang",
    )

    line = assert_one_line_naming(result, "DATABASE_URL")
    assert f"database at 127.0.0.1:{port} does not answer" in line
    assert "Booting worker" not in result.stderr


def test_celery_without_secret_key_prints_one_line_naming_it():
    result = run(["-m", "celery", "-A", "config", "report"], SECRET_KEY=None)

    assert_one_line_naming(result, "SECRET_KEY")


@pytest.mark.parametrize(("debug", "expected"), [("0", "json"), ("1", "plain")])
def test_log_lines_are_json_in_production_and_plain_under_debug(debug, expected):
    result = run(
        [
            "-c",
            "import django, logging; django.setup(); "
            "logging.getLogger('apps.reporting').warning('report %s for %s', 7, 'jan@example.nl')",
        ],
        DEBUG=debug,
        LOG_FORMAT=None,
    )

    assert result.returncode == 0, result.stderr
    line = result.stderr.strip().splitlines()[-1]
    if expected == "json":
        entry = json.loads(line)
        assert entry["level"] == "WARNING"
        assert entry["logger"] == "apps.reporting"
        assert entry["message"] == "report 7 for [e-mail]"
        assert {"time", "request_id", "municipality_id", "user_id"} <= set(entry)
    else:
        assert line.endswith("WARNING apps.reporting [] report 7 for [e-mail]")
