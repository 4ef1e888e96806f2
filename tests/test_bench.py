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
    assert ops["nik_search"]["raw_rows"] > 0  # the replayed SELECTs found the traveller
    assert ops["csv_export"]["peak_mb"] > 0 and ops["csv_export"]["export_rows"] > 0
    assert "ncalls" in ops["list_page_1"]["profile"]
    assert "Planning Time" in ops["list_page_1"]["explain"]
    sessions = measure.load_sessions()
    assert set(sessions["sessions"]) >= {"kabkota", "petugas"}

    report = tmp_path / "benchmarks.md"
    write_report({"machine": {"cpu": "test"}, "sizes": {"2000": {"ops": ops, "prepare": {}, "load": []}}}, report)
    text = report.read_text()
    assert "| NIK search, p95 |" in text and "≤ 3 ms" in text
    assert "| CSV export of" in text
