"""Outage drill: PostgreSQL goes away under a running gunicorn, then comes back.

    .venv/bin/python -m drills.outage            # about 20 s
    .venv/bin/python -m drills.outage --control  # the same with CONN_HEALTH_CHECKS off, for comparison

Phase 1, down: with the private cluster stopped, signed-in pages, the login page, the entry API
and /healthz must all answer 503 (the Indonesian page, JSON for the API), never a traceback.
Phase 2, back: after `pg_ctl start`, seconds until /healthz and a signed-in page answer 200.
Phase 3, silent restart: every worker holds a persistent connection (CONN_MAX_AGE), PostgreSQL
restarts in immediate mode with no request in between, then requests arrive: with connection
health checks every one is 200; without them the first request on each stale connection fails.
"""

import argparse
import json
import signal
import sys
import time
import urllib.error
import urllib.request

from .app import Gunicorn, app_env, prepared_cluster
from .client import OfficerClient
from .payload import API_PATH, arrival_payload

HEADING = "Layanan sementara tidak tersedia"


def fetch(client: OfficerClient, path: str) -> tuple[int | None, str, str]:
    """(status, content type, body) of a GET with the client's cookies; status None when nothing answers."""
    try:
        with client.opener.open(client.base_url + path, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read().decode()
    except OSError:
        return None, "", ""


def until_ok(check, timeout: float = 60) -> float | None:
    """Seconds until check() is true (polled every 50 ms), or None after `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return round(time.monotonic() - started, 2)
        time.sleep(0.05)
    return None


def run(*, control: bool = False, workers: int = 3) -> dict:
    report, broken = {"conn_health_checks": not control, "gunicorn_workers": workers}, []
    with prepared_cluster("drill-outage") as cluster:
        cluster.start()
        env = app_env(cluster.url())
        if control:
            env["DJANGO_SETTINGS_MODULE"] = "drills.settings_no_health_checks"
        with Gunicorn(env, workers=workers, logfile=cluster.root / "gunicorn.log") as server:
            province, officer, visitor = (OfficerClient(server.url, u) for u in ("provinsi", "petugas", "x"))
            province.login()
            officer.login()
            pages = [(province, "/pantau/"), (officer, "/posko/catat/"), (visitor, "/akun/masuk/")]
            report["before"] = [fetch(who, path)[0] for who, path in pages]

            # -- phase 1: down ----------------------------------------------------
            cluster.stop("fast")
            seen = {}
            for who, path in pages:
                status, kind, body = fetch(who, path)
                seen[path] = status
                if status != 503 or kind != "text/html" or HEADING not in body or "Traceback" in body:
                    broken.append(f"down: GET {path} answered {status} {kind} without the outage page")
            status, body = officer.post_json(API_PATH, arrival_payload(1))
            seen[f"POST {API_PATH}"] = status
            if status != 503 or not body or "errors" not in body:
                broken.append(f"down: POST {API_PATH} answered {status} {body}")
            seen["/healthz"] = server.healthz()
            if seen["/healthz"] != 503:
                broken.append(f"down: /healthz answered {seen['/healthz']}")
            report["while_down"] = seen

            # -- phase 2: back ----------------------------------------------------
            cluster.start()
            cluster.wait_ready()
            report["back_healthz_s"] = until_ok(lambda: server.healthz() == 200)
            report["back_page_s"] = until_ok(lambda: fetch(province, "/pantau/")[0] == 200)
            if report["back_page_s"] is None or report["back_page_s"] > 5:
                broken.append(f"back: the overview took {report['back_page_s']} s to return (limit 5 s)")

            # -- phase 3: a restart nobody saw -------------------------------------
            for _ in range(workers * 10):  # every worker now holds an open connection
                fetch(province, "/pantau/")
            report["silent_restart_s"] = round(cluster.restart("immediate"), 2)
            after = [fetch(province, "/pantau/")[0] for _ in range(workers * 10)]
            report["after_silent_restart"] = {str(code): after.count(code) for code in sorted(set(after), key=str)}
            if not control and set(after) != {200}:
                broken.append(f"silent restart: answers {report['after_silent_restart']}, expected only 200")
    report["broken"] = broken
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--control", action="store_true", help="run with CONN_HEALTH_CHECKS off (expect failures)")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the clusters and gunicorn are torn down
    report = run(control=args.control, workers=args.workers)
    print(json.dumps(report, indent=2))
    if args.control:
        print("CONTROL run (health checks off): differences from the real drill above are what it is for.")
        return 0
    print("PASSED" if not report["broken"] else "FAILED:\n  " + "\n  ".join(report["broken"]))
    return 0 if not report["broken"] else 1


if __name__ == "__main__":
    sys.exit(main())
