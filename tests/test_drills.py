"""The short versions of the drills in drills/ (the full ones: docs/drills.md). About a minute in all.

Each makes its own PostgreSQL clusters on free ports and tears them down; none touches the
cluster the suite runs on. Deselect with `-m "not drill"`.
"""

import os
import shutil
import uuid

import pytest

from drills.cluster import PG_BIN

pytestmark = [
    pytest.mark.drill,
    pytest.mark.skipif(not (PG_BIN / "initdb").exists(), reason=f"PostgreSQL's programs are not in {PG_BIN}"),
    pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("runuser"), reason="runuser is needed as root"),
]


def test_outage_drill_pages_say_503_and_service_returns_by_itself():
    from drills import outage

    report = outage.run()
    assert report["broken"] == []
    assert set(report["while_down"].values()) == {503}
    assert report["back_page_s"] < 5
    assert report["after_silent_restart"] == {"200": 30}


def test_restore_drill_round_trips_to_the_restore_point():
    from drills import restore

    report = restore.run(rows=40)
    assert report["broken"] == []
    assert report["tables"]["travellers_arrival"]["restored_rows"] == 80  # batches A and B, not C
    assert all(table["checksum_equal"] for table in report["tables"].values())


@pytest.mark.parametrize("fault", ["workers", "postgres"])
def test_entry_drill_keeps_every_acknowledged_arrival_exactly_once(fault):
    from drills import entry_faults

    report = entry_faults.run(fault=fault, count=60)
    assert report["broken"] == []
    assert report["database"]["arrivals"] == 60
    assert report["worker_kills"] > 0 if fault == "workers" else report["postgres_restarts_s"]


def test_entry_drill_checks_catch_lost_and_orphaned_rows():
    """The SQL checks are not vacuous: an acknowledged key missing and a person without arrival are reported."""
    from drills.app import prepared_cluster
    from drills.client import Outcome
    from drills.entry_faults import verify

    with prepared_cluster("drill-verify") as cluster:
        cluster.start()
        cluster.psql(
            "INSERT INTO travellers_person (id_type, id_number, nationality, name, sex, phone, home_address,"
            " created_at, updated_at) VALUES ('nik', '1371011705900001', 'ID', 'Yatim', 'L', '', '', now(), now())"
        )
        key = str(uuid.uuid4())
        figures, broken = verify(cluster, [key], [Outcome(entry_key=key, status=201)])
    assert figures["persons_without_arrival"] == 1
    assert figures["acknowledged_missing"] == 1
    assert "arrivals: 0 (expected 1)" in broken
    assert "acknowledged_missing: 1 (expected 0)" in broken
