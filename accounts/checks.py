"""Start-up checks of how the site is exposed (run by `manage.py check --deploy` and at start)."""

import ipaddress
import os

from django.conf import settings
from django.core.checks import Tags, Warning, register

DEFAULT_BIND = "127.0.0.1:8000"  # gunicorn.conf.py's default


def bind_hosts(bind: str) -> list[str]:
    """The hosts of a gunicorn bind value ("127.0.0.1:8000", "[::1]:8000", "unix:/run/x.sock", several)."""
    hosts = []
    for item in bind.replace(",", " ").split():
        if item.startswith(("unix:", "fd://")):
            continue  # a socket file or an inherited descriptor: no network peer can reach it
        host = item.rsplit(":", 1)[0] if item.count(":") == 1 or item.startswith("[") else item
        hosts.append(host.strip("[]"))
    return hosts


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name or 0.0.0.0: anyone who resolves or routes to it


@register(Tags.security)  # every command (migrate at deploy, runserver) and check --deploy
def proxy_header_trusted_only_from_the_proxy(app_configs, **kwargs):
    """SECURE_PROXY_SSL_HEADER makes X-Forwarded-Proto decide "this came over HTTPS": only the proxy may send it.

    Safe while gunicorn listens on loopback or a socket (only the proxy on the same host reaches
    it). On another address, a client that reaches gunicorn directly could claim HTTPS, so the
    operator must declare that only the proxy reaches that address (a private network closed by
    the firewall: SIPANTAU_BIND_PROXY_ONLY) and name how many proxies append X-Forwarded-For.
    """
    if not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return []
    bind = os.environ.get("GUNICORN_BIND", DEFAULT_BIND)
    exposed = [host for host in bind_hosts(bind) if not is_loopback(host)]
    if not exposed:
        return []
    warnings = []
    if not settings.SIPANTAU_BIND_PROXY_ONLY:
        warnings.append(
            Warning(
                f"gunicorn listens on {', '.join(exposed)} (GUNICORN_BIND) while SECURE_PROXY_SSL_HEADER trusts "
                "X-Forwarded-Proto: a client that reaches that address directly can claim HTTPS.",
                hint="Bind gunicorn to 127.0.0.1 or a unix socket behind the proxy, or, on a private network "
                "that only the proxy reaches (firewalled), set SIPANTAU_BIND_PROXY_ONLY=1. See docs/deploy.md.",
                id="sipantau.W001",
            )
        )
    if not settings.SIPANTAU_TRUSTED_PROXY_COUNT:
        warnings.append(
            Warning(
                "gunicorn listens beyond loopback but SIPANTAU_TRUSTED_PROXY_COUNT is 0: lockouts, rate limits "
                "and the audit log would see the proxy's address as every client's.",
                hint="Set SIPANTAU_TRUSTED_PROXY_COUNT to the number of proxies in front of gunicorn (usually 1).",
                id="sipantau.W002",
            )
        )
    return warnings
