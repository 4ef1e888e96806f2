"""Timing helpers for the benchmark suite: percentiles, query counts, peak memory, the machine."""

import os
import platform
import statistics
import subprocess
import time
import tracemalloc
from dataclasses import dataclass, field


@dataclass
class Sample:
    """Timings (ms) of repeated runs of one operation, with what it cost besides time."""

    name: str
    times: list = field(default_factory=list)
    queries: int | None = None
    peak_mb: float | None = None
    raw_times: list = field(default_factory=list)
    cpu_times: list = field(default_factory=list)  # Python CPU per request, ms (time.process_time)
    rows: int | None = None
    note: str = ""

    @property
    def p50(self):
        return percentile(self.times, 50)

    @property
    def p95(self):
        return percentile(self.times, 95)

    @property
    def raw_p50(self):
        return percentile(self.raw_times, 50) if self.raw_times else None

    @property
    def ratio(self):
        raw = self.raw_p50
        return self.p50 / raw if raw else None


def percentile(values, pct):
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(sorted(values), n=100, method="inclusive")[pct - 1]


def timed(func, *, repeat, warmup=1):
    """Run `func` warmup + repeat times; return the repeat timings in milliseconds."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return times


def peak_memory_mb(func):
    """Peak Python memory growth (MB) while `func` runs, by tracemalloc."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        func()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return (peak - base) / 1_048_576


def machine():
    """A few lines describing the machine the figures come from."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = "?"
    try:
        with open("/proc/meminfo") as handle:
            kb = int(handle.readline().split()[1])
            memory = f"{kb / 1_048_576:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        pg = subprocess.run(["psql", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        pg = "?"
    return {
        "cpu": f"{os.cpu_count()} × {cpu}",
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "postgresql": pg,
    }
