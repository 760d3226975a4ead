"""Request bodies keep their limits behind gunicorn: gunicorn itself sets none,
Django's DATA_UPLOAD_MAX_MEMORY_SIZE / _NUMBER_FIELDS refuse them with a 400,
and the worker goes on answering."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn():
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.gunicorn_settings",
        "DEBUG": "0",
        "SECRET_KEY": "insecure-test-only-key",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PORTAL_BASE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
    }
    process = subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn.conf.py",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(process.stderr.read().decode())
                time.sleep(0.25)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def post(url, body: bytes):
    request = urllib.request.Request(  # noqa: S310
        url,
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            # A well-formed CSRF cookie, so the body is read (and refused) rather
            # than the request turned away for the missing cookie.
            "Cookie": "csrftoken=" + "a" * 32,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers


def test_oversized_bodies_are_refused_behind_gunicorn_and_the_worker_stays_up(gunicorn):
    too_large = urlencode({"username": "a" * (2 * 1024 * 1024)}).encode()
    too_many_fields = urlencode([(f"f{i}", "x") for i in range(1500)]).encode()

    status, headers = post(f"{gunicorn}/inloggen/", too_large)
    assert status == 400
    assert headers["X-Request-ID"]
    status, _headers = post(f"{gunicorn}/inloggen/", too_many_fields)
    assert status == 400

    with urllib.request.urlopen(f"{gunicorn}/healthz", timeout=5) as response:  # noqa: S310
        assert response.status == 200
