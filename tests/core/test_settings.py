import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(command, env):
    """Run one of our own commands in the repository, in a clean process."""
    return subprocess.run(  # noqa: S603 - fixed commands of this repository
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def settings_env(**extra):
    """The test process's environment without the settings under test."""
    skip = {"DEBUG", "SECRET_KEY", "PORTAL_BASE_URL"}
    return {**{k: v for k, v in os.environ.items() if k not in skip}, **extra}


def run_check(env_extra, *args):
    return run([sys.executable, "manage.py", "check", *args], settings_env(**env_extra))


def test_production_settings_pass_the_deploy_check():
    result = run_check(
        {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 60 + "-production-like",
            "ALLOWED_HOSTS": "toegang.example.nl",
            "PORTAL_BASE_URL": "https://toegang.example.nl",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_portal_address():
    result = run_check(
        {"DEBUG": "0", "SECRET_KEY": "y" * 60, "ALLOWED_HOSTS": "toegang.example.nl"}
    )
    assert result.returncode != 0
    assert "PORTAL_BASE_URL must be set" in result.stderr


def test_deploy_check_warns_about_a_portal_address_without_https():
    result = run_check(
        {
            "DEBUG": "0",
            "SECRET_KEY": "y" * 60,
            "ALLOWED_HOSTS": "toegang.example.nl",
            "PORTAL_BASE_URL": "http://toegang.example.nl/portaal",
        },
        "--deploy",
    )
    assert "portal.W001" in result.stdout + result.stderr
    assert "without a path" in result.stdout + result.stderr


def test_empty_variables_mean_the_default():
    names = [
        "SESSION_COOKIE_AGE",
        "EMAIL_PORT",
        "DB_CONN_MAX_AGE",
        "SECURE_HSTS_SECONDS",
        "EMAIL_BACKEND",
        "STATIC_ROOT",
        "LOG_LEVEL",
        "PORTAL_BASE_URL",
    ]
    empty = dict.fromkeys(names, "")
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_AGE, s.EMAIL_PORT, s.EMAIL_BACKEND.rsplit('.', 1)[-1], "
        "s.STATIC_ROOT.name, s.PORTAL_BASE_URL)"
    )
    env = settings_env(
        **empty, DEBUG="1", SECRET_KEY="z" * 60, DJANGO_SETTINGS_MODULE="config.settings"
    )
    result = run([sys.executable, "-c", f"import django; django.setup(); {code}"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "1800",
        "25",
        "EmailBackend",
        "staticfiles",
        "http://127.0.0.1:8000",
    ]


@pytest.mark.skipif(
    not shutil.which("docker-compose"), reason="Debian's docker-compose not installed"
)
def test_compose_file_is_valid_even_without_variables():
    result = run([shutil.which("docker-compose"), "config", "-q"], {"PATH": os.environ["PATH"]})
    assert result.returncode == 0, result.stderr
