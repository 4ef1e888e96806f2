"""The overviews' and the follow-up page's times on one bench database, with their slowest statements.

    DATABASE_URL=postgres://…/sipantau_bench_1m DJANGO_SETTINGS_MODULE=sipantau.settings \
        .venv/bin/python bench/overview_growth.py --repeat 30 --json out.json

Run after bench/run.py (or bench.measure.prepare) has filled the database. Prints p50/p95 per
page, the load average, the number of isolation orders and checks the database holds, and the
five slowest statements of one request with their buffer counts (EXPLAIN ANALYZE, BUFFERS).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAGES = (
    ("overview_regency", "kabkota", "monitoring:overview", "overview, Kota Padang"),
    ("overview_province", "provinsi", "monitoring:overview", "overview, whole province"),
    ("followup_regency", "kabkota", "followup:followup_overview", "follow-up figures, Kota Padang"),
    ("followup_province", "provinsi", "followup:followup_overview", "follow-up figures, whole province"),
)


def load_average():
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bench.measure import _clients, explain
    from followup.models import Check, IsolationOrder
    from travellers.models import Arrival

    clients = _clients()
    result = {
        "database": connection.settings_dict["NAME"],
        "arrivals": Arrival.objects.count(),
        "orders": IsolationOrder.objects.count(),
        "checks": Check.objects.count(),
        "load": [load_average()],
        "pages": {},
    }
    for name, username, url_name, label in PAGES:
        client, url = clients[username], reverse(url_name)
        assert client.get(url).status_code == 200  # warm
        connection.queries_log.clear()  # the client's request_started empties it: count from zero
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        statements = list(captured.captured_queries)  # a view on the log, which the next request empties
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        reads = [q for q in statements if q["sql"].lstrip()[:6].upper() in ("SELECT", "WITH ")]
        slowest = sorted(reads, key=lambda q: -float(q["time"] or 0))[:5]
        plans = []
        for query in slowest:
            plan = explain(query["sql"])
            buffers = [line.strip() for line in plan.splitlines() if "Buffers:" in line][:1]
            ms = float(query["time"]) * 1000
            plans.append({"ms": ms, "sql": query["sql"][:300], "buffers": buffers, "plan": plan})
        result["pages"][name] = {
            "label": label,
            "p50": round(percentile(times, 50), 1),
            "p95": round(percentile(times, 95), 1),
            "queries": len(statements),
            "slowest": plans,
        }
        print(
            f"{label}: p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms, "
            f"{len(statements)} queries (load {load_average()})",
            flush=True,
        )
        for plan in plans[:3]:
            print(f"    {plan['ms']:.1f} ms {plan['buffers']} {plan['sql'][:160]}", flush=True)
    result["load"].append(load_average())
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
