"""Fault drill: N unique arrivals through the JSON entry API while workers die or PostgreSQL restarts.

    .venv/bin/python -m drills.entry_faults --fault workers --count 1000
    .venv/bin/python -m drills.entry_faults --fault postgres --count 1000
    .venv/bin/python -m drills.entry_faults --fault workers --short      # CI: 60 arrivals

Each run makes a private PostgreSQL cluster and a gunicorn on loopback, posts N distinct travellers
(each with its own entry_key, retried with the same key until the server answers), and meanwhile
either SIGKILLs random gunicorn workers (`workers`) or restarts PostgreSQL in immediate mode, i.e.
a crash (`postgres`). Then it checks in SQL: exactly N arrivals, every acknowledged entry_key
stored once, no person without an arrival, no travel stop without its arrival. Exit 0 when all hold.
"""

import argparse
import json
import os
import random
import signal
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .app import Gunicorn, app_env, prepared_cluster
from .client import OfficerClient, Outcome
from .cluster import PrivateCluster
from .payload import API_PATH, arrival_payload


class ApiMissing(RuntimeError):
    """The entry API (POST /posko/api/kedatangan/) is not on this branch yet."""


def check_api(base_url: str) -> None:
    """An empty body must be refused as invalid (400), which proves the endpoint exists."""
    client = OfficerClient(base_url)
    client.login()
    status, body = client.post_json(API_PATH, {})
    if status == 404:
        raise ApiMissing(f"POST {API_PATH} answers 404: the entry API has not landed on this branch")
    if status != 400:
        raise RuntimeError(f"POST {API_PATH} with an empty body answered {status} {body}, expected 400")


# -- faults --------------------------------------------------------------------
def process_age(pid: int) -> float:
    """Seconds since process `pid` started (0 when it is gone)."""
    try:
        started_ticks = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, IndexError, ValueError):
        return 0.0
    return uptime - started_ticks / os.sysconf("SC_CLK_TCK")


def kill_workers(
    server: Gunicorn,
    progress,
    stop: threading.Event,
    log: dict,
    *,
    every: tuple[float, float],
    between: int,
    serving_for: float = 1.0,
) -> None:
    """kill -9 a random gunicorn worker every `every` seconds until told to stop.

    A kill waits for `between` submissions to have finished since the last one, and spares
    workers younger than `serving_for` seconds: on a loaded machine, killing each newborn before
    it has loaded Django would starve the server instead of testing it.
    """
    rng = random.Random(9)
    done_at_last_kill = -between
    while not stop.wait(rng.uniform(*every)):
        if progress() - done_at_last_kill < between:
            continue
        serving = [pid for pid in server.worker_pids() if process_age(pid) >= serving_for]
        if not serving:
            continue
        try:
            os.kill(rng.choice(serving), signal.SIGKILL)
        except ProcessLookupError:
            continue
        log["kills"] += 1
        done_at_last_kill = progress()


def restart_postgres(
    cluster: PrivateCluster, progress, total: int, stop: threading.Event, log: dict, *, at: tuple[float, ...]
) -> None:
    """Restart PostgreSQL in immediate mode when the run is `at` fractions done."""
    for fraction in at:
        while progress() < total * fraction:
            if stop.wait(0.05):
                return
        log["restarts"].append(round(cluster.restart("immediate"), 2))


# -- checks --------------------------------------------------------------------
def verify(cluster: PrivateCluster, submitted: list[str], outcomes: list[Outcome]) -> tuple[dict, list[str]]:
    """Figures from the database and the list of broken promises (empty when all hold)."""
    q = cluster.psql
    stored = set(q("SELECT entry_key FROM travellers_arrival").split())
    figures = {
        "arrivals": int(q("SELECT count(*) FROM travellers_arrival")),
        "distinct_entry_keys": int(q("SELECT count(DISTINCT entry_key) FROM travellers_arrival")),
        "persons": int(q("SELECT count(*) FROM travellers_person")),
        "persons_without_arrival": int(
            q(
                "SELECT count(*) FROM travellers_person p WHERE NOT EXISTS "
                "(SELECT 1 FROM travellers_arrival a WHERE a.person_id = p.id)"
            )
        ),
        "persons_with_two_arrivals": int(
            q(
                "SELECT count(*) FROM (SELECT person_id FROM travellers_arrival GROUP BY person_id "
                "HAVING count(*) > 1) t"
            )
        ),
        "travel_stops": int(q("SELECT count(*) FROM travellers_travelstop")),
        "orphan_travel_stops": int(
            q(
                "SELECT count(*) FROM travellers_travelstop s LEFT JOIN travellers_arrival a ON a.id = s.arrival_id "
                "WHERE a.id IS NULL"
            )
        ),
        "arrivals_without_their_stop": int(
            q(
                "SELECT count(*) FROM travellers_arrival a WHERE NOT EXISTS "
                "(SELECT 1 FROM travellers_travelstop s WHERE s.arrival_id = a.id)"
            )
        ),
    }
    acknowledged = {o.entry_key for o in outcomes if o.acknowledged}
    figures["acknowledged"] = len(acknowledged)
    figures["acknowledged_missing"] = len(acknowledged - stored)
    figures["stored_not_submitted"] = len(stored - set(submitted))
    n = len(submitted)
    expected = {
        "arrivals": n,
        "distinct_entry_keys": n,
        "persons": n,
        "persons_without_arrival": 0,
        "persons_with_two_arrivals": 0,
        "travel_stops": n,
        "orphan_travel_stops": 0,
        "arrivals_without_their_stop": 0,
        "acknowledged": n,
        "acknowledged_missing": 0,
        "stored_not_submitted": 0,
    }
    broken = [f"{key}: {figures[key]} (expected {value})" for key, value in expected.items() if figures[key] != value]
    return figures, broken


# -- the drill -----------------------------------------------------------------
def run(
    *,
    fault: str,
    count: int,
    concurrency: int = 6,
    workers: int = 3,
    seed: int = 1,
    deadline_s: float = 900,
) -> dict:
    """Run one drill end to end; the report (figures, broken promises, timings)."""
    started = time.monotonic()
    with prepared_cluster(f"drill-{fault}") as cluster:
        cluster.start()
        env = app_env(cluster.url())
        with Gunicorn(env, workers=workers, logfile=cluster.root / "gunicorn.log") as server:
            check_api(server.url)
            payloads = [arrival_payload(i) for i in range(count)]
            random.Random(seed).shuffle(payloads)
            clients = [OfficerClient(server.url) for _ in range(concurrency)]
            for client in clients:
                client.login()
            done, lock = [0], threading.Lock()

            give_up_at = time.monotonic() + deadline_s

            def send(i: int) -> Outcome:
                # Every loop is bounded: each submission retries for 2 minutes at most, the run for deadline_s.
                budget = min(120.0, give_up_at - time.monotonic())
                outcome = clients[i % concurrency].submit(API_PATH, payloads[i], deadline_s=budget)
                with lock:
                    done[0] += 1
                return outcome

            stop = threading.Event()
            log = {"kills": 0, "restarts": []}
            if fault == "workers":
                saboteur = threading.Thread(
                    target=kill_workers,
                    args=(server, lambda: done[0], stop, log),
                    kwargs={"every": (0.1, 0.5), "between": max(2, count // 150)},
                )
            else:
                saboteur = threading.Thread(
                    target=restart_postgres,
                    args=(cluster, lambda: done[0], count, stop, log),
                    kwargs={"at": (0.33, 0.66)},
                )
            sending = time.monotonic()
            saboteur.start()
            try:
                with ThreadPoolExecutor(concurrency) as pool:
                    outcomes = list(pool.map(send, range(count)))
            finally:
                stop.set()
                saboteur.join(timeout=90)
            sending = time.monotonic() - sending
            health_after = server.healthz()
        figures, broken = verify(cluster, [p["entry_key"] for p in payloads], outcomes)
    statuses = Counter(o.status for o in outcomes)
    errors = Counter(e for o in outcomes for e in o.errors)
    report = {
        "api": API_PATH,
        "fault": fault,
        "count": count,
        "concurrency": concurrency,
        "gunicorn_workers": workers,
        "worker_kills": log["kills"],
        "postgres_restarts_s": log["restarts"],
        "final_status": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "created_201": statuses[201],
        "replayed_200": statuses[200],
        "retried_submissions": sum(1 for o in outcomes if o.attempts > 1),
        "max_attempts": max(o.attempts for o in outcomes) if outcomes else 0,
        "failed_attempts_by_cause": dict(errors.most_common()),
        "healthz_after": health_after,
        "sending_s": round(sending, 1),
        "total_s": round(time.monotonic() - started, 1),
        "database": figures,
        "broken": broken,
    }
    if fault == "workers" and log["kills"] == 0:
        report["broken"].append("no worker was killed: the drill proved nothing")
    if fault == "postgres" and not log["restarts"]:
        report["broken"].append("PostgreSQL was not restarted: the drill proved nothing")
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fault", choices=["workers", "postgres"], required=True)
    parser.add_argument("--count", type=int, default=1000, help="distinct travellers to submit (default 1000)")
    parser.add_argument("--short", action="store_true", help="the CI version: 60 travellers")
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--deadline", type=float, default=900, help="seconds after which the run gives up")
    parser.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the clusters and gunicorn are torn down
    try:
        report = run(
            fault=args.fault,
            count=60 if args.short else args.count,
            concurrency=args.concurrency,
            workers=args.workers,
            deadline_s=args.deadline,
        )
    except ApiMissing as missing:
        print(f"SKIPPED: {missing}")
        return 2
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    print("PASSED" if not report["broken"] else "FAILED:\n  " + "\n  ".join(report["broken"]))
    return 0 if not report["broken"] else 1


if __name__ == "__main__":
    sys.exit(main())
