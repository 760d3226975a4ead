"""The production smoke run (scripts/prod-smoke.sh, run by `make test`) does
what the Dockerfile and docker-compose.yml do. A change to either that the
smoke run does not mirror fails here, so the smoke run keeps proving the real
deployment."""

import json
import re
import shlex

import yaml
from django.conf import settings

ROOT = settings.BASE_DIR

# Every variable of compose's app environment, and whether the smoke run sets it.
# A new variable in compose must be added here, with a decision.
SMOKE_SETS = {
    "DATABASE_URL",  # the application's role (DATABASE_APP_URL of test-services.sh)
    "DATABASE_APP_ROLE",  # exported by scripts/test-services.sh env
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "TRUST_X_FORWARDED_PROTO",
    "TRUSTED_PROXY_COUNT",
    "SECURE_SSL_REDIRECT",  # 0: no TLS proxy in front of the smoke run
    "EMAIL_BACKEND",  # locmem: the smoke run sends no mail
    "PORTAL_BASE_URL",
    "CLAMD_ADDRESS",  # test-services.sh's clamd when it runs; else empty with DOCUMENT_SCAN=off
    "DOCUMENT_SCAN",
}
SMOKE_LEAVES_DEFAULT = {
    "CSRF_TRUSTED_ORIGINS",
    "SESSION_COOKIE_AGE",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "OTP_TOTP_ISSUER",
    "API_TOKEN_MAX_DAYS",
    "LOG_LEVEL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
}


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def dockerfile():
    # One logical line per instruction (backslash continuations joined).
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip()]


def smoke_commands():
    """The smoke script's command lines, continuations joined, as argv lists
    with "$BIN/x" and "$PY" written as the plain program names."""
    text = (ROOT / "scripts" / "prod-smoke.sh").read_text().replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        line = line.strip()
        line = re.sub(r'^HOME="\$WORK" ', "", line)
        if line.startswith(('"$BIN/', '"$PY" manage.py')):
            line = re.sub(r'"\$BIN/(\w+)"', r"\1", line).replace('"$PY"', "python")
            line = re.split(r"\s[>&]", line)[0]  # drop redirections
            commands.append(shlex.split(line))
    return commands


def smoke_command(program, word):
    found = [c for c in smoke_commands() if c[0] == program and word in c]
    assert len(found) == 1, f"prod-smoke.sh runs `{program} ... {word}` {len(found)} times"
    return found[0]


def option_names(argv):
    """argv with values of host- or path-specific options left out."""
    result = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg.split("=")[0] in ("--bind", "--workers", "--concurrency", "--hostname"):
            skip = "=" not in arg
            continue
        result.append(arg.split("=")[0] if arg.startswith("--pidfile") else arg)
    return result


def test_the_image_runs_the_web_command_of_compose():
    cmd = next(line for line in dockerfile() if line.startswith("CMD "))
    assert json.loads(cmd[4:]) == compose()["services"]["web"]["command"]


def test_the_smoke_run_builds_static_files_as_the_image_does():
    run = next(line for line in dockerfile() if "collectstatic" in line)
    assert "DEBUG=0" in run
    argv = shlex.split(run.split("python ", 1)[1].split("&&")[0])
    assert ["python", *argv] == smoke_command("python", "collectstatic")
    assert "export DEBUG=0" in (ROOT / "scripts" / "prod-smoke.sh").read_text()


def test_the_smoke_run_migrates_as_a_separate_step_as_compose_does():
    assert compose()["services"]["migrate"]["command"] == smoke_command("python", "migrate")


def test_the_smoke_run_starts_gunicorn_with_the_module_of_compose():
    web = compose()["services"]["web"]["command"]
    module = next(arg for arg in web if arg.endswith(":application"))
    smoke = smoke_command("gunicorn", module)
    # The same options, the start-up checks of config/gunicorn.conf.py included.
    assert option_names(smoke) == option_names(web)
    assert web[web.index("-c") + 1] == "config/gunicorn.conf.py"


def test_the_smoke_run_starts_the_worker_on_the_queues_of_compose():
    worker = compose()["services"]["worker"]["command"]
    assert "-Q" in worker
    smoke = smoke_command("celery", "worker")
    assert option_names(smoke) == option_names(worker)
    assert smoke[smoke.index("-Q") + 1] == worker[worker.index("-Q") + 1]


def test_the_smoke_run_starts_beat_with_the_scheduler_of_compose():
    beat = compose()["services"]["beat"]["command"]
    assert option_names(smoke_command("celery", "beat")) == option_names(beat)


def test_every_variable_of_the_compose_environment_is_decided_for_the_smoke_run():
    env = compose()["x-app"]["environment"]
    assert set(env) == SMOKE_SETS | SMOKE_LEAVES_DEFAULT
    script = (ROOT / "scripts" / "prod-smoke.sh").read_text()
    for name in SMOKE_SETS:
        assert re.search(rf"export (\w+=\S+ )*{name}=", script), name
    assert env["DEBUG"] == "0"


def test_the_make_test_target_runs_the_smoke_run_after_pytest():
    makefile = (ROOT / "Makefile").read_text()
    target = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert target.index("-m pytest") < target.index("scripts/prod-smoke.sh")
    assert "trap 'scripts/test-services.sh stop" in target
