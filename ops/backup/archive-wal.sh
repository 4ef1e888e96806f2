#!/bin/sh
# archive_command for SIPANTAU: archive-wal.sh %p %f ARCHIVE_DIR
# Copies one finished WAL file into ARCHIVE_DIR, durably, never overwriting a different file
# (PostgreSQL retries on a non-zero exit; an identical copy already there counts as done).
set -eu
src=$1 name=$2 dir=$3
if [ -f "$dir/$name" ]; then
  cmp -s "$src" "$dir/$name" && exit 0
  echo "archive-wal: $dir/$name exists with other content; refusing to overwrite" >&2
  exit 1
fi
cp "$src" "$dir/$name.part"
sync "$dir/$name.part" 2>/dev/null || sync
mv "$dir/$name.part" "$dir/$name"
