"""gunicorn settings for SIPANTAU: `gunicorn sipantau.wsgi` reads this file from the project folder.

Every value can be overridden from the environment (GUNICORN_*), see docs and .env.example.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# Pages answer in milliseconds; exports stream. A worker stuck for this long is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The reverse proxy on the same host sets X-Forwarded-For/Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log without query strings or referrers: searches carry NIKs and names in the URL.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'


def on_starting(server):
    """Warn at start when gunicorn listens beyond loopback (Django trusts X-Forwarded-Proto; docs/deploy.md)."""
    from accounts.checks import bind_hosts, is_loopback

    exposed = [host for host in bind_hosts(" ".join(server.cfg.bind)) if not is_loopback(host)]
    if exposed and os.environ.get("SIPANTAU_BIND_PROXY_ONLY", "").lower() not in ("1", "true", "yes", "on"):
        server.log.warning(
            "gunicorn listens on %s while Django trusts X-Forwarded-Proto: bind to 127.0.0.1, or set "
            "SIPANTAU_BIND_PROXY_ONLY=1 if only the proxy can reach this address (sipantau.W001).",
            ", ".join(exposed),
        )
