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
    """The test process's environment without the settings under test (and
    without the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, which a deployment
    never has)."""
    skip = {"DEBUG", "SECRET_KEY", "PORTAL_BASE_URL", "OTP_REQUIRED", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**{k: v for k, v in os.environ.items() if k not in skip}, **extra}


def run_check(env_extra, *args):
    return run([sys.executable, "manage.py", "check", *args], settings_env(**env_extra))


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 60 + "-production-like",
    "ALLOWED_HOSTS": "toegang.example.nl",
    "PORTAL_BASE_URL": "https://toegang.example.nl",
}


def test_production_settings_pass_the_deploy_check():
    """Secure cookies, HSTS, the HTTPS redirect, X-Frame-Options DENY, the login
    lock, the second factor and the Content Security Policy: nothing for
    `check --deploy` to warn about. A deployment scans uploads: clamd's address
    is set (the check only reads it; nothing connects)."""
    env = {**PRODUCTION, "CLAMD_ADDRESS": "tcp://clamav:3310"}
    result = run_check(env, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_production_settings_as_deployed():
    code = (
        "from django.conf import settings as s; "
        "print(s.OTP_REQUIRED, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.X_FRAME_OPTIONS, "
        "s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.AXES_LOCKOUT_PARAMETERS, "
        "sorted(s.SILENCED_SYSTEM_CHECKS))"
    )
    env = settings_env(**PRODUCTION, DJANGO_SETTINGS_MODULE="config.settings")
    result = run([sys.executable, "-c", f"import django; django.setup(); {code}"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "True True True True 31536000 DENY 5 0:30:00 ['username'] ['axes.W006', 'security.W021']"
    )


def test_the_second_factor_can_only_be_switched_off_with_debug_on():
    result = run_check({**PRODUCTION, "OTP_REQUIRED": "0"})
    assert result.returncode != 0
    assert "OTP_REQUIRED can only be switched off with DEBUG on" in result.stderr
    demo = run_check({"DEBUG": "1", "SECRET_KEY": "z" * 60, "OTP_REQUIRED": "0"})
    assert demo.returncode == 0, demo.stderr


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
        "OTP_REQUIRED",
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_MINUTES",
        "AXES_LOCK_OUT_BY_USER_AND_IP",
        "OTP_TOTP_ISSUER",
    ]
    empty = dict.fromkeys(names, "")
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_AGE, s.EMAIL_PORT, s.EMAIL_BACKEND.rsplit('.', 1)[-1], "
        "s.STATIC_ROOT.name, s.PORTAL_BASE_URL, s.OTP_REQUIRED, s.AXES_FAILURE_LIMIT, "
        "int(s.AXES_COOLOFF_TIME.total_seconds()), len(s.AXES_LOCKOUT_PARAMETERS), "
        "s.OTP_TOTP_ISSUER)"
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
        "False",  # DEBUG on: the demo needs no authenticator app
        "5",
        "1800",
        "1",
        "Toegang",
    ]


@pytest.mark.skipif(
    not shutil.which("docker-compose"), reason="Debian's docker-compose not installed"
)
def test_compose_file_is_valid_even_without_variables():
    result = run([shutil.which("docker-compose"), "config", "-q"], {"PATH": os.environ["PATH"]})
    assert result.returncode == 0, result.stderr


def test_the_longest_api_key_validity_must_be_a_positive_number_of_days():
    result = run_check({**PRODUCTION, "API_TOKEN_MAX_DAYS": "0"})
    assert result.returncode != 0
    assert "API_TOKEN_MAX_DAYS must be at least 1" in result.stderr


def test_the_deploy_check_warns_when_uploads_would_be_stored_unscanned():
    env = {**PRODUCTION, "CLAMD_ADDRESS": "", "DOCUMENT_SCAN": ""}
    result = run_check(env, "--deploy")
    assert "documents.W001" in result.stdout + result.stderr
    off = run_check({**env, "DOCUMENT_SCAN": "off"}, "--deploy", "--fail-level", "WARNING")
    assert off.returncode == 0, off.stdout + off.stderr
