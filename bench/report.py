"""docs/benchmarks.md from the stored results: every figure next to its goal, profiles where one is missed."""

from pathlib import Path

PAGES = [
    "region_today_regency",
    "region_day_regency",
    "region_today_district",
    "overview_regency",
    "overview_province",
    "list_page_1",
    "list_page_2000",
    "nik_search",
    "name_search",
    "due_list",
    "followup_overview",
    "entry_submit",
    "csv_export",
    "xlsx_export",
]

HEADER = """# Benchmarks

Written by `bench/run.py` (one command: `.venv/bin/python bench/run.py --sizes 1000000,10000000`);
do not edit by hand — the prose around the figures lives in `bench/report.py` and
`bench/analysis.md`. Raw results: `docs/benchmarks.json`. Sizes can be run one at a time
(`--sizes 10000000`): results are merged by size.

How the figures are made: each size has its own PostgreSQL database (`sipantau_bench_<size>`)
filled by `manage.py generate_arrivals`, with the demo accounts of `seed_demo`. Pages are timed
in-process through Django's test client, logged in as the demo account named, with DEBUG off
(so the cached template loader is on), after one warm-up request; p50/p95 over the runs listed.
**raw** is the same data fetched by replaying the page's own SELECT statements (session, user,
data) on the psycopg2 connection underneath Django and fetching every row; **×raw** is the page's
p50 over that. For the entry submit, raw is the same rows (person, arrival, travel stop,
isolation order) written by hand-written INSERTs in one transaction. Export memory is the peak
of Python allocations (tracemalloc) while the streamed response is consumed.
"""


def ms(value, digits=1):
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def verdict(ok):
    return "✅" if ok else "❌ missed"


def goals(ops, wrk, locust):
    """(operation, figure, goal, met?) for the issue's table, at one size."""
    rows = []
    region = ops.get("region_today_regency")
    if region:
        rows.append(
            (
                'region "today" page, p50 vs raw',
                f"{ms(region['p50'])} ms = {region['ratio']:.1f}× raw ({ms(region['raw_p50'], 2)} ms)",
                "≤ 4× raw SQL",
                region["ratio"] <= 4,
            )
        )
    if wrk and wrk.get("rps") is not None:
        rows.append(
            (
                'region "today" page, throughput',
                f"{wrk['rps']:,.0f} req/s (gunicorn {wrk.get('workers')} workers, wrk 32 connections, "
                f"p50 {wrk['latency'].get('50', '?')}, non-2xx {wrk['non_2xx']})",
                "≥ 500 req/s",
                wrk["rps"] >= 500 and not wrk["non_2xx"],
            )
        )
    entry = ops.get("entry_submit")
    if entry:
        rows.append(("submit an entry, p95", f"{ms(entry['p95'])} ms", "≤ 15 ms", entry["p95"] <= 15))
    if locust:
        submits = next((r for r in locust if r["name"].endswith("entry submit")), None)
        if submits:
            rows.append(
                (
                    "submit an entry, throughput (locust, 10 posts)",
                    f"{submits['rps']:.0f} submissions/s",
                    "≥ 250 submissions/s",
                    submits["rps"] >= 250,
                )
            )
    for key, goal, limit in (("nik_search", "≤ 3 ms", 3), ("name_search", "≤ 50 ms", 50)):
        if key in ops:
            name = "NIK search, p95" if key == "nik_search" else "fuzzy name search within a regency, p95"
            rows.append((name, f"{ms(ops[key]['p95'])} ms", goal, ops[key]["p95"] <= limit))
    if "list_page_1" in ops and "list_page_2000" in ops:
        first, deep = ops["list_page_1"]["p50"], ops["list_page_2000"]["p50"]
        rows.append(
            (
                ops["list_page_2000"]["label"] + " vs page 1 (p50)",
                f"{ms(deep)} ms vs {ms(first)} ms = {deep / first:.2f}×",
                "≤ 1.5× page 1",
                deep <= 1.5 * first,
            )
        )
    for key, title, limit_s, limit_mb in (("csv_export", "CSV", 1.5, 20), ("xlsx_export", "XLSX", 10, 100)):
        if key in ops:
            op = ops[key]
            rows.append(
                (
                    f"{title} export of {op.get('export_rows') or op.get('raw_rows') or 0:,} rows",
                    f"{op['p50'] / 1000:.2f} s (p50), memory growth {op['peak_mb']:.1f} MB",
                    f"≤ {limit_s} s, ≤ {limit_mb} MB",
                    op["p50"] / 1000 <= limit_s and op["peak_mb"] <= limit_mb,
                )
            )
    imported = ops.get("import_rows")
    if imported:
        rows.append(
            (
                "import 100k paper rows",
                f"{imported['rows_per_second']:,.0f} rows/s over {imported['rows']:,} rows "
                f"({imported['stored']:,} stored, {imported['failed']} refused) → "
                f"{imported['projected_100k_seconds']:,.0f} s for 100k",
                "≤ 10 s",
                imported["projected_100k_seconds"] <= 10 and not imported["failed"],
            )
        )
    else:
        rows.append(("import 100k paper rows", "not measured in this run", "≤ 10 s", None))
    if locust:
        worst = max(locust, key=lambda r: r["p95"])
        failures = sum(r["failures"] for r in locust)
        pages = [r for r in locust if r["name"] != "Aggregated" and not r["name"].endswith("Aggregated")]
        worst = max(pages or locust, key=lambda r: r["p95"])
        rows.append(
            (
                "locust mix, every page p95",
                f"worst p95 {worst['p95']:.0f} ms ({worst['name']}), {failures} failures",
                "≤ 100 ms, 0 errors",
                worst["p95"] <= 100 and failures == 0,
            )
        )
    return rows


def write_report(stored, path: Path):
    """Render docs/benchmarks.md from the merged results of every size run so far."""
    lines = [HEADER]
    m = stored.get("machine", {})
    lines += [
        "## Machine",
        "",
        f"- CPU: {m.get('cpu', '?')}, memory {m.get('memory', '?')}; {m.get('os', '?')}",
        f"- Python {m.get('python', '?')}; {m.get('postgresql', '?')} on loopback (shared cluster, default settings)",
        f"- Rate limits' shared cache: `{m.get('shared_cache', 'dbcache://sipantau_cache')}`",
        "- Load averages (1/5/15 min) are given per run: with 2 cores and a load above 2, absolute times",
        "  are inflated and noisy — ratios are steadier.",
        "",
    ]
    sizes = sorted(stored["sizes"], key=int)
    for size in sizes:
        run = stored["sizes"][size]
        ops = run["ops"]
        meta = ops.get("_meta", {})
        prep = run.get("prepare", {})
        lines += [
            f"## {int(size):,} arrivals",
            "",
            f"Database `{run.get('database')}`: {meta.get('arrivals', 0):,} arrivals, {meta.get('people', 0):,} people "
            f"(generated this run: {prep.get('added', 0):,} in {prep.get('seconds', 0)} s; reused: "
            f"{prep.get('reused', 0):,}). Measured {run.get('measured_at')}, load average "
            f"{' → '.join(run.get('load', []))}. Pages {meta.get('repeat')} runs, exports "
            f"{meta.get('export_repeat')} runs.",
            "",
            *([f"Partial run: {run['note']}.", ""] if run.get("note") else []),
            "### Goals",
            "",
            "| operation | figure | goal | |",
            "| --- | --- | --- | --- |",
        ]
        for name, figure, goal, ok in goals(ops, run.get("wrk"), run.get("locust")):
            lines.append(f"| {name} | {figure} | {goal} | {'–' if ok is None else verdict(ok)} |")
        lines += [
            "",
            "### Every operation",
            "",
            "| operation | p50 ms | p95 ms | queries | raw p50 ms | ×raw | raw rows | export MB |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for key in PAGES:
            if key not in ops:
                continue
            op = ops[key]
            lines.append(
                f"| {op['label']} | {ms(op['p50'])} | {ms(op['p95'])} | {op['queries']} | {ms(op['raw_p50'], 2)} | "
                f"{op['ratio']:.1f} | {op.get('raw_rows') or 0:,} | {ms(op['peak_mb']) if op['peak_mb'] else ''} |"
            )
        if run.get("locust"):
            lines += [
                "",
                "### Locust mix (gunicorn on 127.0.0.1)",
                "",
                "200 officials (province, kab/kota, camat, wali nagari sessions) with 2–8 s think time over",
                "the region list, overview, due list and a name search; 10 posts submitting at 25 entries/s",
                "each (250/s in all), for the duration given in the command.",
                "",
                "| request | count | failures | p50 ms | p95 ms | req/s |",
                "| --- | ---: | ---: | ---: | ---: | ---: |",
            ]
            for r in run["locust"]:
                lines.append(
                    f"| {r['name']} | {r['requests']:,} | {r['failures']} | {r['p50']:.0f} | {r['p95']:.0f} "
                    f"| {r['rps']:.1f} |"
                )
        if run.get("wrk"):
            lines += ["", "### wrk, region page (kab/kota session)", "", "```", run["wrk"]["output"], "```"]
        missing = [key for key in PAGES if key in ops and ops[key].get("profile") and missed(key, ops)]
        if missing:
            lines += ["", "### Profiles of the operations that miss a goal", ""]
            for key in missing:
                op = ops[key]
                lines += [f"#### {op['label']}", "", "cProfile of one request (top functions by own time):", "", "```"]
                lines += [op["profile"], "```", ""]
                if op.get("explain"):
                    lines += ["EXPLAIN (ANALYZE, BUFFERS) of its slowest query:", "", "```", op["explain"], "```", ""]
    if len(sizes) > 1:
        lines += _growth(stored, sizes)
    analysis = Path(__file__).with_name("analysis.md")
    if analysis.exists():
        lines += ["", analysis.read_text()]
    path.write_text("\n".join(lines).rstrip() + "\n")


def missed(key, ops):
    """Whether operation `key` misses its goal from the issue's table (False when it has none)."""
    op = ops[key]
    limits = {"nik_search": 3, "name_search": 50, "entry_submit": 15}
    if key in limits:
        return op["p95"] > limits[key]
    if key == "region_today_regency":
        return op["ratio"] > 4
    if key == "list_page_2000":
        return op["p50"] > 1.5 * ops["list_page_1"]["p50"]
    if key == "csv_export":
        return op["p50"] > 1500 or (op["peak_mb"] or 0) > 20
    if key == "xlsx_export":
        return op["p50"] > 10000 or (op["peak_mb"] or 0) > 100
    return False


def _growth(stored, sizes):
    small, big = stored["sizes"][sizes[0]]["ops"], stored["sizes"][sizes[-1]]["ops"]
    lines = [
        "",
        f"## Growth, {int(sizes[0]):,} → {int(sizes[-1]):,} arrivals",
        "",
        "Goal: every page's p95 at the larger size ≤ 1.2× its p95 at the smaller one.",
        "",
        "| operation | p95 small | p95 large | × | |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for key in PAGES:
        if key in small and key in big:
            a, b = small[key]["p95"], big[key]["p95"]
            lines.append(f"| {small[key]['label']} | {ms(a)} | {ms(b)} | {b / a:.2f} | {verdict(b <= 1.2 * a)} |")
    return lines
