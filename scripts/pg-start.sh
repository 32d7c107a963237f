#!/usr/bin/env bash
# Starts (or reuses) a local PostgreSQL cluster for development and tests, and prints its
# connection string (without Database=) on stdout. Idempotent: a running cluster is reused.
# Works as root (the cluster runs as the 'postgres' user) and as a normal user.
# Data lives in .local/pg/ (git-ignored). Port: $DTI_PG_PORT (default 55432).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${DTI_PG_PORT:-55432}"
base="$repo/.local/pg"
data="$base/data"
log="$base/postgres.log"
conn="Host=127.0.0.1;Port=$port;Username=postgres"

say() { echo "pg-start: $*" >&2; }

bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bindir" ] && command -v pg_ctl >/dev/null 2>&1; then bindir="$(dirname "$(command -v pg_ctl)")"; fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  say "Không tìm thấy PostgreSQL (initdb/pg_ctl). Cài bằng: sudo apt-get install -y postgresql"
  say "PostgreSQL binaries not found. Install with: sudo apt-get install -y postgresql"
  exit 1
fi

# Already answering on the port (ours or another cluster the user started): reuse it.
if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
  say "PostgreSQL đang chạy ở cổng $port — dùng lại."
  echo "$conn"
  exit 0
fi

run_as_owner() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

mkdir -p "$base"
chmod 755 "$repo/.local" "$base" 2>/dev/null || true
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || { say "Cần người dùng hệ thống 'postgres' (có sẵn khi cài gói postgresql)."; exit 1; }
  chown postgres:postgres "$base"
fi

if [ ! -s "$data/PG_VERSION" ]; then
  say "Khởi tạo cụm PostgreSQL mới tại $data ($("$bindir/initdb" --version))"
  run_as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi

# A stale postmaster.pid from a killed server would block the start.
if [ -f "$data/postmaster.pid" ] && ! run_as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  rm -f "$data/postmaster.pid"
fi

run_as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 \
  -o "-p $port -k $base -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c shared_buffers=256MB" start >/dev/null
say "PostgreSQL đã chạy ở 127.0.0.1:$port (dữ liệu: $data, nhật ký: $log)"
echo "$conn"
