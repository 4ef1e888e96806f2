"""Backup and restore drill: base backup + archived WAL, restored to a point in time on another cluster.

    .venv/bin/python -m drills.restore                        # about 30 s
    .venv/bin/python -m drills.restore --rows 2000 --markdown docs/backup-drill.md

1. A private source cluster with WAL archiving (ops/backup/postgresql-archiving.conf's settings,
   ops/backup/archive-wal.sh as archive_command) gets the schema, the regions, the demo accounts
   and `--rows` arrivals (batch A).
2. ops/backup/base-backup.sh takes and verifies a base backup.
3. Batch B is written after the backup; every table's row count and checksum is recorded; a
   restore point is made; batch C is written after it (it must NOT come back).
4. ops/backup/restore.sh prepares a second private cluster on another port from the base backup,
   which replays the archived WAL up to the restore point and promotes itself.
5. Every table's row count and checksum on the restored cluster must equal step 3's.
"""

import argparse
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .app import PYTHON, ROOT, app_env, prepared_cluster
from .cluster import PG_BIN, PrivateCluster, _as_owner

OPS = ROOT / "ops" / "backup"
RESTORE_POINT = "sipantau_drill_target"


def table_checksums(cluster: PrivateCluster) -> dict[str, tuple[int, str]]:
    """{table: (rows, md5 of all rows in a fixed order)} for every table of the public schema."""
    tables = cluster.psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1").split()
    sums = {}
    for table in tables:
        rows, digest = cluster.psql(
            f"SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') FROM \"{table}\" t"
        ).split("|")
        sums[table] = (int(rows), digest)
    return sums


def add_rows(env: dict, count: int, tag: str) -> int:
    result = subprocess.run(
        [PYTHON, "-m", "drills.rows", "--count", str(count), "--tag", tag],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout.split()[-1])


def as_postgres(*command, env: dict | None = None) -> str:
    result = subprocess.run(_as_owner() + [str(c) for c in command], capture_output=True, text=True, env=env)
    if result.returncode:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{result.stderr}")
    return result.stdout.strip()


def wait_archived(cluster: PrivateCluster, timeout: float = 60) -> str:
    """Switch to a new WAL file and wait until the finished one is in the archive."""
    finished = cluster.psql("SELECT pg_walfile_name(pg_switch_wal())", database="postgres")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        last = cluster.psql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver", database="postgres")
        if last >= finished:
            return finished
        time.sleep(0.2)
    raise TimeoutError(f"WAL {finished} not archived after {timeout}s")


def run(*, rows: int = 300) -> dict:
    timings, started = {}, time.monotonic()
    with prepared_cluster("backup-source") as source, PrivateCluster("restore-target") as target:
        archive, backups, ops = source.root / "wal", source.root / "backups", source.root / "ops"
        for folder in (archive, backups):
            folder.mkdir()
            source._chown(folder)
        # The scripts run as the postgres user, who may not reach a checkout in a private folder
        # (a clone in `mktemp -d`, mode 0700): it runs copies of them from the drill's own folder.
        shutil.copytree(OPS, ops)
        source.configure(
            wal_level="replica",
            archive_mode="on",
            archive_command=f"'{ops / 'archive-wal.sh'} %p %f {archive}'",
            max_wal_senders=4,
        )
        source.start()
        env = app_env(source.url())
        report = {"rows_per_batch": rows, "batch_A_arrivals": add_rows(env, rows, "A")}

        clock = time.monotonic()
        backup = as_postgres(
            "env",
            f"BACKUP_ROOT={backups}",
            f"PG_BIN={PG_BIN}",
            "PGHOST=127.0.0.1",
            f"PGPORT={source.port}",
            "PGUSER=postgres",
            ops / "base-backup.sh",
        )
        timings["base_backup_s"] = round(time.monotonic() - clock, 2)
        report["base_backup_mb"] = round(sum(f.stat().st_size for f in Path(backup).rglob("*") if f.is_file()) / 1e6, 1)

        report["arrivals_after_batch_B"] = add_rows(env, rows, "B")
        expected = table_checksums(source)
        source.psql(f"SELECT pg_create_restore_point('{RESTORE_POINT}')", database="postgres")
        wait_archived(source)
        report["arrivals_after_batch_C"] = add_rows(env, rows, "C")  # after the target: must not come back
        # The comparison can tell: the source's checksums have moved on since the restore point.
        changed_after_target = table_checksums(source)["travellers_arrival"] != expected["travellers_arrival"]
        report["last_archived_wal"] = wait_archived(source)
        report["archived_wal_files"] = len(list(archive.glob("0*")))

        clock = time.monotonic()
        as_postgres(ops / "restore.sh", backup, target.datadir, archive, f"name={RESTORE_POINT}")
        target.configure()  # its own port and socket folder (later lines of postgresql.conf win)
        target.start(timeout=120)
        deadline = time.monotonic() + 120
        while target.psql("SELECT pg_is_in_recovery()", database="postgres") == "t":
            if time.monotonic() > deadline:
                raise TimeoutError("the restored cluster never left recovery")
            time.sleep(0.2)
        timings["restore_and_replay_s"] = round(time.monotonic() - clock, 2)
        restored = table_checksums(target)
        report["ports"] = {"source": source.port, "restored": target.port}

    tables = sorted(set(expected) | set(restored))
    report["tables"] = {
        t: {
            "rows": expected.get(t, (None,))[0],
            "restored_rows": restored.get(t, (None,))[0],
            "checksum_equal": expected.get(t) == restored.get(t),
        }
        for t in tables
    }
    report["broken"] = [
        f"{t}: expected {expected.get(t)}, restored {restored.get(t)}"
        for t in tables
        if expected.get(t) != restored.get(t)
    ]
    if not changed_after_target:
        report["broken"].append("batch C did not change the source's checksums: the comparison proves nothing")
    arrivals = restored.get("travellers_arrival", (0,))[0]
    if arrivals != report["arrivals_after_batch_B"]:
        report["broken"].append(f"restored {arrivals} arrivals, expected {report['arrivals_after_batch_B']} (A+B)")
    report["timings"] = {**timings, "total_s": round(time.monotonic() - started, 1)}
    return report


def markdown(report: dict) -> str:
    """The report as the table docs/backup-drill.md shows."""
    lines = [
        "| table | rows at the restore point | rows restored | checksum |",
        "| --- | ---: | ---: | --- |",
        *(
            f"| `{t}` | {v['rows']} | {v['restored_rows']} | {'equal' if v['checksum_equal'] else 'DIFFERENT'} |"
            for t, v in report["tables"].items()
        ),
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=300, help="arrivals per batch (A, B, C)")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the clusters and gunicorn are torn down
    report = run(rows=args.rows)
    print(json.dumps({k: v for k, v in report.items() if k != "tables"}, indent=2))
    print(markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    print("PASSED" if not report["broken"] else "FAILED:\n  " + "\n  ".join(report["broken"]))
    return 0 if not report["broken"] else 1


if __name__ == "__main__":
    sys.exit(main())
