"""The benchmark suite runs end to end on a small table, so it cannot rot (figures: docs/benchmarks.md)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from bench import measure
from bench.report import write_report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the suite measures PostgreSQL"),
]


@pytest.fixture
def filled(regions, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("generate_arrivals", count=2000, seed=9, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_operation_is_measured_against_raw_sql_and_reported(filled, tmp_path):
    ops = measure.measure_all(repeat=2, export_repeat=1, profile="all", out=lambda _m: None)
    expected = {
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
    }
    assert expected <= set(ops)
    for name in expected:
        op = ops[name]
        assert op["p50"] > 0 and op["p95"] >= op["p50"], name
        assert op["raw_p50"] > 0 and op["queries"] > 0, name
    assert ops["nik_search"]["raw_rows"] > 0  # the hand-written query found the traveller
    baselined = {name for name in expected if ops[name].get("baselined")}
    assert baselined == {
        "region_today_regency",
        "region_peak_regency",
        "region_today_district",
        "nik_search",
        "overview_regency",
        "overview_province",
    }
    for name in baselined:
        op = ops[name]
        assert op["bare_p50"] > 0 and op["bare_cpu_p50"] > 0 and op["cpu_p50"] > 0, name
        # The bare page pays no session, user, permission or 2FA reads: only its data.
        assert 0 < op["bare_queries"] < op["queries"], name
        assert "/" in op["load"], name
    assert ops["region_peak_regency"]["raw_rows"] > 0  # the peak day has arrivals
    for name in expected - baselined - {"entry_submit"}:
        assert not any(t in ops[name]["slowest_sql"] for t in measure.OVERHEAD_TABLES), name
    assert ops["csv_export"]["peak_mb"] > 0 and ops["csv_export"]["export_rows"] > 0
    assert "ncalls" in ops["list_page_1"]["profile"]
    assert "Planning Time" in ops["list_page_1"]["explain"]
    sessions = measure.load_sessions()
    assert set(sessions["sessions"]) >= {"kabkota", "petugas"}

    report = tmp_path / "benchmarks.md"
    write_report({"machine": {"cpu": "test"}, "sizes": {"2000": {"ops": ops, "prepare": {}, "load": []}}}, report)
    text = report.read_text()
    assert "Python CPU vs bare page" in text and "≤ 1.5× bare" in text
    assert "### Pages against their baselines" in text
    assert "| CSV export of" in text


def test_the_bare_pages_are_the_benchs_own(client):
    """The baselines answer through the bench's URLconf only; the app never routes them."""
    assert client.get("/bare/region/13.71/").status_code == 404
    bare = measure.bare_client()
    response = bare.get("/bare/region/13.71/")
    assert response.status_code == 200 and b"<table>" in response.content


TIMED_OUT = """Running 10s test @ http://127.0.0.1:8000/pantau/kedatangan/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
  Latency Distribution
     50%    0.00us
  0 requests in 10.01s, 0.00B read
  Socket errors: connect 0, read 0, write 0, timeout 16
Requests/sec:      0.00
Transfer/sec:       0.00B
"""
HEALTHY = """  Latency Distribution
     50%   41.20ms
     90%   80.00ms
     99%  120.00ms
  812 requests in 10.00s, 9.00MB read
Requests/sec:     81.15
"""


def test_a_wrk_run_with_timeouts_or_errors_is_failed_and_has_no_latency(tmp_path):
    from bench.run import parse_wrk

    failed = parse_wrk(TIMED_OUT)
    assert failed["status"] == "FAILED" and failed["rps"] is None and failed["latency"] == {}
    assert failed["timeouts"] == 16
    ok = parse_wrk(HEALTHY)
    assert ok["status"] == "ok" and ok["rps"] == 81.15 and ok["latency"]["50"] == "41.20ms"
    non2xx = parse_wrk(HEALTHY + "  Non-2xx or 3xx responses: 3\n")
    assert non2xx["status"] == "FAILED"
    pair = {"page": failed | {"cpu_ms_per_request": None, "load": "1 / 1 / 1"}, "bare": ok | {"load": "1 / 1 / 1"}}
    ops = {
        "region_today_regency": {
            "label": "today",
            "baselined": True,
            "p50": 10.0, "p95": 12.0, "cpu_p50": 8.0, "queries": 9,
            "bare_p50": 5.0, "bare_p95": 6.0, "bare_cpu_p50": 4.0, "bare_queries": 2,
            "raw_p50": 1.0, "raw_rows": 50, "ratio": 10.0, "bare_ratio": 2.0, "cpu_ratio": 2.0, "load": "1 / 1 / 1",
        }
    }  # fmt: skip
    report = tmp_path / "benchmarks.md"
    run = {"ops": ops, "prepare": {}, "load": [], "wrk": {"region_today_regency": pair}}
    write_report({"machine": {}, "sizes": {"1000": run}}, report)
    text = report.read_text()
    assert "FAILED (16 timeouts, 0 non-2xx)" in text and "0.00us" not in text
