#!/usr/bin/env bash
# Stops the local cluster started by pg-start.sh (if any).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$repo/.local/pg/data"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -f "$data/postmaster.pid" ] || { echo "pg-stop: không có cụm nào đang chạy." >&2; exit 0; }
if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$bindir/pg_ctl" -D "$data" -m fast stop; else "$bindir/pg_ctl" -D "$data" -m fast stop; fi
