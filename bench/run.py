"""The benchmark suite, one command:  .venv/bin/python bench/run.py --sizes 1000000,10000000

For each size: a PostgreSQL database sipantau_bench_<size> on the local cluster (created if
missing, filled by generate_arrivals up to that many arrivals, reused when already filled);
in-process figures of every key operation, the region lists, NIK search and overviews
interleaved with their baselines (the data query alone, a bare Django page: bench/baseline.py),
wall time and Python CPU per request (a child process per database, bench/measure.py); then
gunicorn on 127.0.0.1 for the project and another for the bare pages (bench.baseline_settings),
wrk (16 connections, 10 s timeout; a run with a timeout or a non-2xx answer is FAILED) on each
page then its bare page, and locust (bench/locustfile.py: 200 officials, 10 posts), each for a
bounded time. Load averages are recorded with every figure. Results are merged into
docs/benchmarks.json (by size, so sizes can be run one at a time) and written out as
docs/benchmarks.md. Only ever point it at throw-away databases.
"""

import argparse
import csv
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_VENV = ROOT / ".venv-bench"
RESULTS = ROOT / "docs" / "benchmarks.json"
REPORT = ROOT / "docs" / "benchmarks.md"


def label(size):
    for unit, name in ((1_000_000, "m"), (1_000, "k")):
        if size >= unit and size % unit == 0:
            return f"{size // unit}{name}"
    return str(size)


def bench_env(database_url):
    """Production-like settings (DEBUG off, so the cached template loader is on) on loopback HTTP."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or bench_secret(),
        DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SESSION_COOKIE_SECURE="0",
        DJANGO_CSRF_COOKIE_SECURE="0",
        DJANGO_SETTINGS_MODULE="sipantau.settings",
        PYTHONPATH=str(ROOT),
    )
    # As deploy.md advises for production: rate limits in Redis when there is one (else the database).
    env.setdefault("SIPANTAU_SHARED_CACHE_URL", SHARED_CACHE if redis_reachable() else "dbcache://sipantau_cache")
    # The limits are still counted (that cost is part of each search and export) but set out of
    # reach: the suite repeats one search 30 times a minute, and locust's officials share accounts.
    lookups = [f"PERSON_LOOKUP{suffix}" for suffix in ("", "_HOUR", "_DAY", "_POST", "_POST_HOUR", "_POST_DAY")]
    for scope in ("SEARCH", *lookups, "EXPORT"):
        env.setdefault(f"SIPANTAU_RATE_LIMIT_{scope}", "1000000")
    return env


SHARED_CACHE = "redis://127.0.0.1:6379/3"


def redis_reachable():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def bench_secret():
    """One secret key for every bench run on this checkout: sessions made by one run stay valid
    for the next (--reuse)."""
    path = ROOT / ".bench-tmp" / "secret_key"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text("bench-" + secrets.token_urlsafe(40))
    return path.read_text().strip()


def ensure_database(base_url, name):
    """Create database `name` on the cluster of base_url if it is not there (never drops anything)."""
    import psycopg2

    if not name.startswith("sipantau_bench"):
        raise SystemExit(f"refusing to use {name}: bench databases are named sipantau_bench_*")
    admin = psycopg2.connect(base_url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return base_url.rsplit("/", 1)[0] + "/" + name


def ensure_wrk():
    """wrk from Debian's packages, installed when missing (as bin/test does for Chromium)."""
    if shutil.which("wrk"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def bench_python():
    """The bench-only virtualenv (locust), made and filled from bench/requirements.txt when missing."""
    python = BENCH_VENV / "bin" / "python"
    stamp = BENCH_VENV / ".requirements"
    wanted = (ROOT / "bench" / "requirements.txt").read_text()
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
    if not stamp.exists() or stamp.read_text() != wanted:
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-r", str(ROOT / "bench" / "requirements.txt")], check=True
        )
        stamp.write_text(wanted)
    return python


def load_average():
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


# ---- child: one database, in-process figures --------------------------------------------------


def child(args):
    import django

    django.setup()
    from bench import measure

    if args.sessions_only:  # --reuse: fresh sessions for the load tests, nothing measured
        Path(args.json).write_text(json.dumps({"sessions": measure.load_sessions()}))
        return
    print(f"[{label(args.size)}] preparing …", flush=True)
    prep = measure.prepare(args.size, out=lambda m: print(f"  {m}", flush=True))
    print(f"[{label(args.size)}] measuring (load {load_average()}) …", flush=True)
    loads = [load_average()]
    profile = False if args.no_profile else "pages" if args.no_export_profile else True
    skip = {name for name in (args.skip or "").split(",") if name}
    results = measure.measure_all(repeat=args.repeat, export_repeat=args.export_repeat, profile=profile, skip=skip)
    loads.append(load_average())
    Path(args.json).write_text(
        json.dumps({"prepare": prep, "ops": results, "load": loads, "sessions": measure.load_sessions()}, default=str)
    )


# ---- load tests against gunicorn on loopback ----------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, port, workers):
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "sipantau.wsgi", "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        # A file, not a pipe: nobody reads a pipe while the load runs, and once it is full the
        # workers block on their next log line (seen: every worker stuck, wrk and locust at 0).
        stderr=open(ROOT / ".bench-tmp" / f"gunicorn-{port}.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError("gunicorn did not start")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


WRK_CONNECTIONS = 16
WRK_TIMEOUT = "10s"


def run_wrk(port, path, seconds, *, session=None, cookie_name="sessionid"):
    """wrk on one page: 16 connections, 2 threads, a 10 s timeout. A run with any timeout, socket
    error or non-2xx answer is FAILED, and then carries no latency: wrk's latency of a run whose
    requests timed out is the latency of none of them (it printed 0.00us)."""
    command = ["wrk", "-t2", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--timeout", WRK_TIMEOUT, "--latency"]
    if session:
        command += ["-H", f"Cookie: {cookie_name}={session}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    return parse_wrk(output)


def parse_wrk(output):
    """wrk's figures from its output; status FAILED on any timeout, socket error or non-2xx answer."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    connect, read, write, timeouts = (int(n) for n in errors.groups()) if errors else (0, 0, 0, 0)
    failed = (
        not rps or not total or int(total.group(1)) == 0 or timeouts or connect or read or write
        or (non2xx and int(non2xx.group(1)))
    )  # fmt: skip
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+([\d.]+\w+)", output, re.M))
    return {
        "status": "FAILED" if failed else "ok",
        "rps": float(rps.group(1)) if rps and not failed else None,
        "requests": int(total.group(1)) if total else 0,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "timeouts": timeouts,
        "socket_errors": errors.group(0) if errors else "",
        "latency": {} if failed else latency,
        "output": output.strip(),
    }


def group_cpu_seconds(pgid):
    """User + system CPU seconds of every process in process group `pgid` (gunicorn's master and workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, …, utime (12), stime (13)
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def wrk_pairs(ops):
    """(name, page path, demo user, bare path) of the operations measured against a bare page."""
    return [(name, op["url"], op["user"], op["bare_url"]) for name, op in ops.items() if op.get("bare_url")]


def run_wrk_pairs(ops, sessions, *, port, bare_port, server, bare_server, seconds):
    """Each page under wrk, then at once its bare page: req/s, latency, and Python CPU per request."""
    results = {}
    for name, path, user, bare_path in wrk_pairs(ops):
        pair = {}
        for key, target_port, target, target_path, session in (
            ("page", port, server, path, sessions["sessions"][user]),
            ("bare", bare_port, bare_server, bare_path, None),
        ):
            load = load_average()
            cpu = group_cpu_seconds(target.pid)
            result = run_wrk(target_port, target_path, seconds, session=session)
            spent = group_cpu_seconds(target.pid) - cpu
            result["cpu_ms_per_request"] = 1000 * spent / result["requests"] if result["requests"] else None
            result["load"] = f"{load} → {load_average()}"
            pair[key] = result
        print(
            f"  wrk {name}: page {pair['page']['status']} {pair['page']['rps']} req/s, "
            f"bare {pair['bare']['status']} {pair['bare']['rps']} req/s",
            flush=True,
        )
        results[name] = pair
    return results


def _number(text):
    """A figure from locust's CSV ("N/A" when a request type never completed)."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return 0.0


def run_locust(python, port, sessions, seconds, workdir):
    """bench/locustfile.py headless for `seconds`: 200 officials with think time, 10 posts at peak rate."""
    prefix = workdir / "locust"
    env = {**os.environ, "BENCH_SESSIONS": json.dumps(sessions)}
    command = [
        str(python), "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "-u", "210", "-r", "50", "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
        "--csv", str(prefix), "--only-summary", "--stop-timeout", "10",
    ]  # fmt: skip
    subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 120, cwd=workdir)
    rows = []
    with open(f"{prefix}_stats.csv") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "name": f"{row['Type']} {row['Name']}".strip(),
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50": _number(row["50%"]),
                    "p95": _number(row["95%"]),
                    "rps": _number(row["Requests/s"]),
                }
            )
    return rows


# ---- orchestration -----------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000000,10000000", help="arrivals per database, comma-separated")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per page")
    parser.add_argument("--export-repeat", type=int, default=3, help="timed runs per export")
    parser.add_argument("--no-load", action="store_true", help="skip gunicorn, wrk and locust")
    parser.add_argument("--no-profile", action="store_true", help="skip cProfile and EXPLAIN excerpts")
    parser.add_argument(
        "--no-export-profile", action="store_true", help="no cProfile of exports (a 100k-row XLSX takes minutes)"
    )
    parser.add_argument("--skip", default="", help="operations to leave out, comma-separated (e.g. xlsx_export)")
    parser.add_argument("--wrk-seconds", type=int, default=15, help="per page and per bare page")
    parser.add_argument("--no-locust", action="store_true", help="wrk only")
    parser.add_argument("--locust-seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers for the load tests")
    parser.add_argument("--base-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--results", default=str(RESULTS))
    parser.add_argument("--report", default=str(REPORT))
    parser.add_argument(
        "--reuse", action="store_true", help="keep the in-process figures the last run of a size left in .bench-tmp"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sessions-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    from bench.harness import machine
    from bench.report import write_report

    results_path = Path(args.results)
    stored = json.loads(results_path.read_text()) if results_path.exists() else {"sizes": {}}
    workdir = ROOT / ".bench-tmp"
    workdir.mkdir(exist_ok=True)
    python = None if args.no_load or args.no_locust else bench_python()
    if not args.no_load:
        ensure_wrk()
    # DEBUG off means the manifest static storage, as in production: collect once.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=bench_env(args.base_url),
        cwd=ROOT,
        check=True,
    )
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        name = f"sipantau_bench_{label(size)}"
        url = ensure_database(args.base_url, name)
        env = bench_env(url)
        out = workdir / f"{name}.json"
        started = time.monotonic()
        command = [sys.executable, str(Path(__file__).resolve()), "--child", f"--size={size}", f"--json={out}"]
        command += [f"--repeat={args.repeat}", f"--export-repeat={args.export_repeat}"]
        command += ["--no-profile"] if args.no_profile else []
        command += ["--no-export-profile"] if args.no_export_profile else []
        command += [f"--skip={args.skip}"] if args.skip else []
        if not (args.reuse and out.exists()):
            subprocess.run(command, env=env, cwd=ROOT, check=True)
        result = json.loads(out.read_text())
        sessions = result.pop("sessions")
        if args.reuse and not args.no_load:
            fresh = workdir / f"{name}-sessions.json"
            subprocess.run([*command[:4], f"--json={fresh}", "--sessions-only"], env=env, cwd=ROOT, check=True)
            sessions = json.loads(fresh.read_text())["sessions"]
        result["database"] = name
        result["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        if not args.no_load:
            port, bare_port = free_port(), free_port()
            server = start_gunicorn(env, port, args.workers)
            bare_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.baseline_settings"}
            bare_server = start_gunicorn(bare_env, bare_port, args.workers)
            try:
                print(f"[{label(size)}] wrk {args.wrk_seconds} s per page (load {load_average()}) …", flush=True)
                result["wrk"] = run_wrk_pairs(
                    result["ops"],
                    sessions,
                    port=port,
                    bare_port=bare_port,
                    server=server,
                    bare_server=bare_server,
                    seconds=args.wrk_seconds,
                )
                result["wrk_workers"] = args.workers
                if not args.no_locust:
                    print(f"[{label(size)}] locust {args.locust_seconds} s (load {load_average()}) …", flush=True)
                    result["locust"] = run_locust(python, port, sessions, args.locust_seconds, workdir)
                result["load"].append(load_average())
            finally:
                stop(server)
                stop(bare_server)
        result["seconds"] = round(time.monotonic() - started)
        stored["sizes"][str(size)] = result
        stored["machine"] = machine() | {"shared_cache": bench_env("")["SIPANTAU_SHARED_CACHE_URL"]}
        results_path.write_text(json.dumps(stored, indent=1, default=str))
        write_report(stored, Path(args.report))
        print(f"[{label(size)}] done in {result['seconds']} s; report in {args.report}", flush=True)


if __name__ == "__main__":
    main()
