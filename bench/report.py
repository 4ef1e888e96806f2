"""docs/benchmarks.md from the stored results: every figure next to its goal, profiles where one is missed."""

import re
from pathlib import Path

PAGES = [
    "region_today_regency",
    "region_peak_regency",
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
filled by `manage.py generate_arrivals` (then `ANALYZE`), with the demo accounts of `seed_demo`.
Pages are timed in-process through Django's test client, logged in as the demo account named,
with DEBUG off (so the cached template loader is on), after one warm-up request; p50/p95 over the
runs listed, wall time and Python CPU per request (`time.process_time`). "Today" is a normal day:
the bench's own entry submits go to a village outside Kota Padang, so they never pile into the
lists measured; the peak (mudik) day is its own row, the busiest day the generator made.

The region lists, the NIK search and the overviews run interleaved, run by run, with two
baselines (`bench/baseline.py`): **data** is the data query alone, written by hand with only the
columns the page shows, on the psycopg2 connection underneath Django, every row fetched; **bare**
is a bare Django page listing the same rows and columns (a minimal view and a plain template, no
login, Django's default middleware, a bench-only URLconf). For the other operations the baseline
is a replay of the page's own data SELECTs (the session, user, permission and 2FA reads left
out). For the entry submit it is the same rows written by hand-written INSERTs in one
transaction. Export memory is the peak of Python allocations (tracemalloc) while the streamed
response is consumed. Under gunicorn, wrk (16 connections, `--timeout 10s`) runs each page and at
once its bare page; a run with any timeout, socket error or non-2xx answer is **FAILED** and has
no latency. Every figure carries the load average (1/5/15 min) when it was taken.
"""


def _wrk_pairs(wrk):
    """The page/bare wrk pairs of a run; {} for a run made before the baselines (one unpaired wrk)."""
    if not wrk or "output" in wrk:
        return {}
    return wrk


def _rps(result):
    if result["status"] != "ok":
        return f"FAILED ({result.get('timeouts', 0)} timeouts, {result.get('non_2xx', 0)} non-2xx)"
    return f"{result['rps']:,.1f} req/s (p50 {result['latency'].get('50', '?')})"


def _cpu(result):
    """CPU per request of a wrk run; '–' when a worker was replaced during it (gunicorn's
    max_requests), which takes its counted CPU time with it and leaves the difference meaningless."""
    value = result.get("cpu_ms_per_request")
    return "–" if value is None or value <= 0 else ms(value)


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
    for key in ("region_today_regency", "region_today_district"):
        region = ops.get(key)
        if region and region.get("baselined"):
            rows.append(
                (
                    f"{region['label']}: Python CPU vs bare page",
                    f"{ms(region['cpu_p50'])} ms vs {ms(region['bare_cpu_p50'])} ms = {region['cpu_ratio']:.1f}× "
                    f"(load {region['load']})",
                    "≤ 1.5× bare",
                    region["cpu_ratio"] <= 1.5,
                )
            )
            rows.append(
                (
                    f"{region['label']}: wall p50 vs bare page",
                    f"{ms(region['p50'])} ms vs {ms(region['bare_p50'])} ms = {region['bare_ratio']:.1f}×",
                    "≤ 2× bare",
                    region["bare_ratio"] <= 2,
                )
            )
            rows.append((f"{region['label']}: queries", str(region["queries"]), "≤ 6", region["queries"] <= 6))
    for name, pair in _wrk_pairs(wrk).items():
        if not name.startswith("region_today"):
            continue
        page, bare = pair["page"], pair["bare"]
        ok = page["status"] == "ok" and bare["status"] == "ok"
        figure = (
            f"{_rps(page)} vs bare {_rps(bare)}"
            + (f" = {page['rps'] / bare['rps']:.2f}×" if ok and bare["rps"] else "")
            + f" (load {page.get('load', '?')})"
        )
        rows.append(
            (f"{ops.get(name, {}).get('label', name)}: throughput (gunicorn, wrk -c16)", figure,
             "≥ 0.7× bare, 0 timeouts", ok and page["rps"] >= 0.7 * bare["rps"])
        )  # fmt: skip
    nik = ops.get("nik_search")
    if nik and nik.get("baselined"):
        rows.append(
            (
                "NIK search page vs bare page (CPU)",
                f"{ms(nik['cpu_p50'])} ms vs {ms(nik['bare_cpu_p50'])} ms = {nik['cpu_ratio']:.1f}×",
                "≤ 1.5× bare",
                nik["cpu_ratio"] <= 1.5,
            )
        )
    # Overviews, follow-up page and name search: their goals are set at 10M (at 1M they are shown for growth).
    for key in ("overview_province", "overview_regency", "followup_overview"):
        if key in ops:
            rows.append(
                (f"{ops[key]['label']}, p95", f"{ms(ops[key]['p95'])} ms", "≤ 150 ms at 10M", ops[key]["p95"] <= 150)
            )
    if "name_search" in ops:
        op = ops["name_search"]
        rows.append(("fuzzy name search within the user's reach, p95", f"{ms(op['p95'])} ms", "≤ 50 ms at 10M",
                     op["p95"] <= 50))  # fmt: skip
    entry = ops.get("entry_submit")
    if entry:
        raw = entry.get("raw_p95") or entry["raw_p50"]
        rows.append(("submit an entry: queries", str(entry["queries"]), "≤ 10", entry["queries"] <= 10))
        rows.append(
            (
                "submit an entry: p95 vs raw INSERTs of the same rows (p95)",
                f"{ms(entry['p95'])} ms vs {ms(raw)} ms = {entry['p95'] / raw:.1f}×",
                "≤ 2× raw",
                entry["p95"] <= 2 * raw,
            )
        )
    imported = ops.get("import_rows")
    if imported:
        bulk = imported.get("bulk_rows_per_second")
        ratio = imported["rows_per_second"] / bulk if bulk else None
        rows.append(
            (
                "paper import vs bulk INSERTs of the same rows",
                f"{imported['rows_per_second']:,.0f} rows/s vs {bulk or 0:,.0f} rows/s"
                + (f" = {ratio:.2f}×" if ratio else "")
                + f" ({imported['rows']:,} rows, {imported['stored']:,} stored, {imported['failed']} refused)",
                "≥ 0.5× bulk",
                bool(ratio and ratio >= 0.5 and not imported["failed"]),
            )
        )
        rows.append(
            (
                "paper import, 100k rows",
                f"{imported['projected_100k_seconds']:,.0f} s (projected from {imported['rows']:,} rows)",
                "≤ 60 s",
                imported["projected_100k_seconds"] <= 60 and not imported["failed"],
            )
        )
    else:
        rows.append(("paper import", "not measured in this run", "≥ 0.5× bulk; 100k ≤ 60 s", None))
    csv_op = ops.get("csv_export")
    if csv_op:
        copy = csv_op.get("copy_p50")
        rows.append(
            (
                f"CSV export of {csv_op.get('export_rows') or csv_op.get('raw_rows') or 0:,} rows vs COPY of them",
                f"{csv_op['p50'] / 1000:.2f} s vs {copy / 1000:.2f} s = {csv_op['p50'] / copy:.2f}×" if copy
                else f"{csv_op['p50'] / 1000:.2f} s (no COPY baseline)",
                "≤ 1.5× COPY",
                bool(copy and csv_op["p50"] <= 1.5 * copy),
            )
        )  # fmt: skip
        rows.append(("CSV export, memory growth", f"{csv_op['peak_mb']:.1f} MB", "≤ 20 MB", csv_op["peak_mb"] <= 20))
    if locust:
        failures = sum(r["failures"] for r in locust)
        pages = [r for r in locust if r["name"] != "Aggregated" and not r["name"].endswith("Aggregated")]
        worst = max(pages or locust, key=lambda r: r["p95"])
        rows.append(
            (
                "locust: 200 officials + 10 posts (1 entry / 10 s each), every request p95",
                f"worst p95 {worst['p95']:.0f} ms ({worst['name']}), {failures} failures",
                "≤ 200 ms, 0 errors",
                worst["p95"] <= 200 and failures == 0,
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
        baselined = [key for key in PAGES if ops.get(key, {}).get("baselined")]
        if baselined:
            lines += [
                "",
                "### Pages against their baselines (in-process, interleaved run by run)",
                "",
                "| operation | page p50 / p95 ms | page CPU ms | queries | bare p50 / p95 ms | bare CPU ms "
                "| bare queries | data query p50 ms | rows | page ÷ bare wall | page ÷ bare CPU | load |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
            ]
            for key in baselined:
                op = ops[key]
                lines.append(
                    f"| {op['label']} | {ms(op['p50'])} / {ms(op['p95'])} | {ms(op['cpu_p50'])} | {op['queries']} "
                    f"| {ms(op['bare_p50'])} / {ms(op['bare_p95'])} | {ms(op['bare_cpu_p50'])} | {op['bare_queries']} "
                    f"| {ms(op['raw_p50'], 2)} | {op.get('raw_rows') or 0:,} | {op['bare_ratio']:.1f} "
                    f"| {op['cpu_ratio']:.1f} | {op.get('load', '?')} |"
                )
        lines += [
            "",
            "### Every operation",
            "",
            "Baseline: the data query alone for the pages above; a replay of the page's data SELECTs for",
            "the others; hand-written INSERTs for the entry submit.",
            "",
            "| operation | p50 ms | p95 ms | CPU ms | queries | baseline p50 ms | × baseline | rows | export MB "
            "| load |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for key in PAGES:
            if key not in ops:
                continue
            op = ops[key]
            ratio = f"{op['ratio']:.1f}" if op.get("ratio") else "–"
            lines.append(
                f"| {op['label']} | {ms(op['p50'])} | {ms(op['p95'])} | {ms(op.get('cpu_p50'))} | {op['queries']} "
                f"| {ms(op['raw_p50'], 2)} | {ratio} | {op.get('raw_rows') or 0:,} "
                f"| {ms(op['peak_mb']) if op.get('peak_mb') else ''} | {op.get('load', '–')} |"
            )
        if run.get("locust"):
            lines += [
                "",
                "### Locust mix (gunicorn on 127.0.0.1)",
                "",
                "200 officials (province, kab/kota, camat, wali nagari sessions) with 2–8 s think time over",
                "the region list, overview, due list and a name search; 10 posts submitting one entry",
                "every 10 s each, for the duration given in the command.",
                "",
                "| request | count | failures | p50 ms | p95 ms | req/s |",
                "| --- | ---: | ---: | ---: | ---: | ---: |",
            ]
            for r in run["locust"]:
                lines.append(
                    f"| {r['name']} | {r['requests']:,} | {r['failures']} | {r['p50']:.0f} | {r['p95']:.0f} "
                    f"| {r['rps']:.1f} |"
                )
        pairs = _wrk_pairs(run.get("wrk"))
        if pairs:
            lines += [
                "",
                f"### Under gunicorn ({run.get('wrk_workers', '?')} workers), wrk -t2 -c16 --timeout 10s: "
                "each page, then at once its bare page",
                "",
                "| operation | page | page CPU ms/request | bare page | bare CPU ms/request | page ÷ bare req/s "
                "| load |",
                "| --- | --- | ---: | --- | ---: | ---: | --- |",
            ]
            for name, pair in pairs.items():
                page, bare = pair["page"], pair["bare"]
                ratio = f"{page['rps'] / bare['rps']:.2f}" if page["rps"] and bare["rps"] else "–"
                lines.append(
                    f"| {ops.get(name, {}).get('label', name)} | {_rps(page)} | {_cpu(page)} "
                    f"| {_rps(bare)} | {_cpu(bare)} | {ratio} | {page.get('load', '?')} |"
                )
        elif run.get("wrk"):  # a run made before the baselines: its output, judged by the same rule
            wrk = run["wrk"]
            timeouts = re.search(r"timeout (\d+)", wrk.get("output", ""))
            failed = bool(wrk.get("non_2xx")) or bool(timeouts and int(timeouts.group(1)))
            verdict_text = "FAILED: requests timed out or failed; its latency figures mean nothing" if failed else "ok"
            lines += ["", f"### wrk, region page (kab/kota session) — {verdict_text}", "", "```", wrk["output"], "```"]
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
    if key in GROWTH_GOAL:
        return op["p95"] > 150
    if key == "name_search":
        return op["p95"] > 50
    if key == "entry_submit":
        raw = op.get("raw_p95") or op.get("raw_p50") or 0
        return op["queries"] > 10 or op["p95"] > 2 * raw
    if op.get("baselined"):
        return (op["cpu_ratio"] or 0) > 1.5 or (op["bare_ratio"] or 0) > 2 or op["queries"] > 6
    if key == "csv_export":
        return not op.get("copy_p50") or op["p50"] > 1.5 * op["copy_p50"] or (op["peak_mb"] or 0) > 20
    return False


# The pages whose p95 at 10M must stay within 1.2× their p95 at 1M (and ≤ 150 ms).
GROWTH_GOAL = ("overview_regency", "overview_province", "followup_overview")


def _growth(stored, sizes):
    small, big = stored["sizes"][sizes[0]]["ops"], stored["sizes"][sizes[-1]]["ops"]
    lines = [
        "",
        f"## Growth, {int(sizes[0]):,} → {int(sizes[-1]):,} arrivals",
        "",
        "Goal: the overviews' and the follow-up page's p95 at the larger size ≤ 1.2× their p95 at the",
        "smaller one; the other pages are shown for what they tell.",
        "",
        "| operation | p95 small | p95 large | × | |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for key in PAGES:
        if key in small and key in big:
            a, b = small[key]["p95"], big[key]["p95"]
            judged = verdict(b <= 1.2 * a) if key in GROWTH_GOAL else "–"
            lines.append(f"| {small[key]['label']} | {ms(a)} | {ms(b)} | {b / a:.2f} | {judged} |")
    return lines
