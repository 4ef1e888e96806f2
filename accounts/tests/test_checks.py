"""The start-up check on who may claim HTTPS through X-Forwarded-Proto."""

import pytest

from accounts.checks import bind_hosts, proxy_header_trusted_only_from_the_proxy


def ids(monkeypatch, bind=None):
    if bind is None:
        monkeypatch.delenv("GUNICORN_BIND", raising=False)
    else:
        monkeypatch.setenv("GUNICORN_BIND", bind)
    return [w.id for w in proxy_header_trusted_only_from_the_proxy(None)]


@pytest.mark.parametrize("bind", [None, "127.0.0.1:8000", "[::1]:8000", "localhost:8000", "unix:/run/sipantau.sock"])
def test_loopback_or_a_socket_is_quiet(monkeypatch, settings, bind):
    settings.SIPANTAU_TRUSTED_PROXY_COUNT = 0
    assert ids(monkeypatch, bind) == []


def test_a_public_bind_warns_that_anyone_could_claim_https(monkeypatch, settings):
    settings.SIPANTAU_TRUSTED_PROXY_COUNT, settings.SIPANTAU_BIND_PROXY_ONLY = 0, False
    assert ids(monkeypatch, "0.0.0.0:8000") == ["sipantau.W001", "sipantau.W002"]


def test_a_private_bind_declared_proxy_only_with_the_proxy_counted_is_quiet(monkeypatch, settings):
    settings.SIPANTAU_TRUSTED_PROXY_COUNT, settings.SIPANTAU_BIND_PROXY_ONLY = 1, True
    assert ids(monkeypatch, "10.0.0.11:8000") == []
    settings.SIPANTAU_BIND_PROXY_ONLY = False
    assert ids(monkeypatch, "10.0.0.11:8000") == ["sipantau.W001"]


def test_without_the_proxy_header_there_is_nothing_to_warn_about(monkeypatch, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    assert ids(monkeypatch, "0.0.0.0:8000") == []


def test_bind_values_are_read_like_gunicorn_does():
    assert bind_hosts("0.0.0.0:8000 [::1]:8001 unix:/x.sock") == ["0.0.0.0", "::1"]


def test_check_deploy_passes_on_the_ci_settings(monkeypatch):
    """CI (.ci/run): DJANGO_DEBUG=0, a secret key, one allowed host, the site's address, gunicorn's default bind."""
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-secret-for-the-check-only-9f8e7d6c5b4a",
        "DJANGO_ALLOWED_HOSTS": "sipantau.example.go.id",
        "SIPANTAU_SITE_URL": "https://sipantau.example.go.id",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
