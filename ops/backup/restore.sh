#!/bin/sh
# Prepare a PostgreSQL data folder from a base backup, to replay archived WAL up to a point.
#   restore.sh BASE_BACKUP_DIR NEW_DATA_DIR WAL_ARCHIVE_DIR [TARGET]
# TARGET: 'time=2026-11-25 17:30:00+07', 'name=<restore point>' or empty for "all archived WAL".
# NEW_DATA_DIR must not exist. Start PostgreSQL on it afterwards (pg_ctl -D NEW_DATA_DIR start):
# it replays WAL from the archive, stops at TARGET and promotes itself to a normal primary.
# Run as the postgres user. See docs/backup.md.
set -eu
base=$1 data=$2 archive=$3 target=${4:-}
[ -e "$data" ] && { echo "restore: $data already exists; refusing to overwrite" >&2; exit 1; }
cp -a "$base" "$data"
chmod 700 "$data"
rm -f "$data/backup_manifest" "$data/postmaster.pid"
{
  echo "# ---- restored from $base ----"
  echo "restore_command = 'cp $archive/%f %p'"
  echo "recovery_target_action = 'promote'"
  case "$target" in
    time=*) echo "recovery_target_time = '${target#time=}'" ;;
    name=*) echo "recovery_target_name = '${target#name=}'" ;;
    "") ;;
    *) echo "restore: TARGET must be time=… or name=…" >&2; exit 1 ;;
  esac
  # A restored copy must not archive into the production archive by accident.
  echo "archive_mode = off"
} >> "$data/postgresql.auto.conf"
touch "$data/recovery.signal"
echo "$data"
