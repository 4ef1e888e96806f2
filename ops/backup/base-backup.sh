#!/bin/sh
# Base backup of the SIPANTAU PostgreSQL cluster, verified, with old backups and WAL pruned.
#   BACKUP_ROOT=/var/backups/sipantau KEEP=7 PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres base-backup.sh
# Writes BACKUP_ROOT/base/<UTC timestamp>/ (plain format with its WAL and a manifest), checks it
# with pg_verifybackup, keeps the newest KEEP backups and removes archived WAL older than the
# oldest one kept (BACKUP_ROOT/wal, where archive-wal.sh puts it). Run as the postgres user,
# e.g. from the sipantau-backup.timer in docs/deploy.md. Prints the new backup's folder.
set -eu
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
BACKUP_ROOT=${BACKUP_ROOT:-/var/backups/sipantau}
KEEP=${KEEP:-7}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dest="$BACKUP_ROOT/base/$stamp"
mkdir -p "$BACKUP_ROOT/base" "$BACKUP_ROOT/wal"

"$PG_BIN/pg_basebackup" -D "$dest.part" -Fp -X stream -c fast -l "sipantau-$stamp" \
  --manifest-checksums=SHA256 ${PGBASEBACKUP_OPTS:-}
"$PG_BIN/pg_verifybackup" -q "$dest.part"
mv "$dest.part" "$dest"

# Retention: the newest KEEP backups, and the WAL the oldest of them needs.
ls -1d "$BACKUP_ROOT"/base/*Z 2>/dev/null | sort | head -n "-$KEEP" | while read -r old; do rm -rf "$old"; done
oldest=$(ls -1d "$BACKUP_ROOT"/base/*Z | sort | head -n 1)
first_wal=$(sed -n 's/^START WAL LOCATION: .* (file \([0-9A-F]*\))$/\1/p' "$oldest/backup_label")
[ -n "$first_wal" ] && "$PG_BIN/pg_archivecleanup" "$BACKUP_ROOT/wal" "$first_wal"
echo "$dest"
