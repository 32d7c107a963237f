#!/usr/bin/env bash
# Issue 13, item 6: live managed heap per open entry page. Builds Release, starts the web app in its own process on a
# demo database (dti_bench), opens one entry page in headless Chromium, measures the heap with dotnet-gcdump (which forces
# a full GC), opens N more entry pages (default 60), measures again, and prints
#   CIRCUIT-MEMORY circuits=N heap_one_kb=… heap_all_kb=… kb_per_circuit=…
# Usage: scripts/bench-circuit-memory.sh [N]. DTI_BENCH_KEEP=DIR keeps both heap dumps and their reports there
# (`dotnet dotnet-gcdump report FILE` lists the live objects by type: what a circuit holds).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

circuits="${1:-60}"
port="${DTI_BENCH_PORT:-5098}"
url="http://127.0.0.1:$port"
scripts/ensure-deps.sh run
if [ -z "${ConnectionStrings__Dti:-}" ]; then
  ConnectionStrings__Dti="$(scripts/pg-start.sh);Database=dti_bench"
  export ConnectionStrings__Dti
fi
if [ -z "${DTI_TEST_PG:-}" ]; then DTI_TEST_PG="${ConnectionStrings__Dti%%;Database=*}"; export DTI_TEST_PG; fi

dotnet tool restore >/dev/null
dotnet build src/DtiPortal.Web -c Release -nologo -v q -clp:ErrorsOnly
dotnet build src/DtiPortal.Cli -c Release -nologo -v q -clp:ErrorsOnly
dotnet build tests/DtiPortal.E2E -nologo -v q -clp:ErrorsOnly
dti() { dotnet src/DtiPortal.Cli/bin/Release/net10.0/dti.dll "$@"; }
dti migrate >/dev/null
dti demo seed >/dev/null

work="$(mktemp -d)"
log="$work/web.log"
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$url" Database__MigrateOnStartup=true Notifications__IntervalSeconds=0 \
  Reports__IntervalSeconds=0 Logging__LogLevel__Default=Warning \
  dotnet src/DtiPortal.Web/bin/Release/net10.0/DtiPortal.Web.dll --contentRoot "$PWD/src/DtiPortal.Web" >"$log" 2>&1 &
web=$!
trap 'kill "$web" 2>/dev/null || true; wait "$web" 2>/dev/null || true; [ -n "${driver:-}" ] && kill "$driver" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do curl -fs "$url/health" >/dev/null 2>&1 && break; sleep 1; done
curl -fs "$url/health" >/dev/null || { echo "bench: web app did not start:" >&2; tail -20 "$log" >&2; exit 1; }

DTI_BENCH_URL="$url" DTI_BENCH_DIR="$work" DTI_BENCH_CIRCUITS="$circuits" \
  dotnet test tests/DtiPortal.E2E --no-build -nologo --filter "FullyQualifiedName~CircuitMemoryBenchmark" >"$work/driver.log" 2>&1 &
driver=$!

# The heap after a full GC, in bytes: dotnet-gcdump forces the GC and reports the live objects by type.
heap() {
  dotnet dotnet-gcdump collect -p "$web" -o "$work/$1.gcdump" >/dev/null
  dotnet dotnet-gcdump report "$work/$1.gcdump" | awk '/GC Heap bytes/ { gsub(/,/, "", $1); print $1; exit }'
}
wait_for() { for _ in $(seq 1 600); do [ -f "$work/$1" ] && return 0; kill -0 "$driver" 2>/dev/null || { cat "$work/driver.log" >&2; exit 1; }; sleep 0.5; done; exit 1; }

wait_for one-open;  sleep 2; one=$(heap one);  touch "$work/one-measured"
wait_for all-open;  sleep 2; all=$(heap all);  touch "$work/all-measured"
wait "$driver" || { cat "$work/driver.log" >&2; exit 1; }
if [ -n "${DTI_BENCH_KEEP:-}" ]; then
  mkdir -p "$DTI_BENCH_KEEP"
  for d in one all; do cp "$work/$d.gcdump" "$DTI_BENCH_KEEP/"; dotnet dotnet-gcdump report "$work/$d.gcdump" >"$DTI_BENCH_KEEP/$d.txt"; done
fi
driver=""
python3 - "$circuits" "$one" "$all" <<'PY'
import sys
n, one, all_ = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
print(f"CIRCUIT-MEMORY circuits={n} heap_one_kb={one/1024:.0f} heap_all_kb={all_/1024:.0f} kb_per_circuit={(all_-one)/1024/n:.0f}")
PY
