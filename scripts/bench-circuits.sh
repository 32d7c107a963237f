#!/usr/bin/env bash
# Issue 17: how many officers' entry pages one instance holds. Builds Release, prepares a separate database
# (dti_bench_circuits, or dti_bench_circuits_N for more than 1,000 circuits: `dti demo generate`, then `dti demo officers --count N`: N officers of N communes with draft
# assessments in open rounds), starts the web app in its own process on a free port, and runs the headless circuit load
# generator (tools/DtiPortal.LoadTest): each officer signs in, opens the entry page over a real Blazor Server circuit and a
# share of them type a figure every --interval-ms (default 10 s), waiting for the render that says "Đã lưu".
# Ends with one line: CIRCUITS circuits=N typing=N p50_ms=x p95_ms=x kb_per_circuit=x saves_per_s=x errors=N
#   scripts/bench-circuits.sh --circuits 200 --seconds 60 [--typing-share 0.25] [--idle] [--interval-ms 10000]
# KB per circuit: the app's live managed heap after a full GC (GC.GetTotalMemory(true) through the app's loopback-only
# /dev/heap, on for this run) divided by the open circuits; --gcdump-dir DIR also keeps dotnet-gcdump's by-type reports.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

circuits=20
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--circuits" ]; then j=$((i + 1)); circuits="${!j}"; fi
done

# About 150 communes per province: each round's cohort is the size of a real province's. One database per size (generated
# once: `dti demo generate` adds nothing to a database that already has generated units).
units=$(( circuits > 1000 ? (circuits + 999) / 1000 * 1000 : 1000 ))
port="${DTI_BENCH_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
url="http://127.0.0.1:$port"
if [ -z "${ConnectionStrings__Dti:-}" ]; then
  if [ -n "${DTI_TEST_PG:-}" ]; then server="$DTI_TEST_PG"; else server="$(scripts/pg-start.sh)"; fi
  database=dti_bench_circuits
  if [ "$units" -gt 1000 ]; then database="dti_bench_circuits_$units"; fi
  ConnectionStrings__Dti="$server;Database=$database"
  export ConnectionStrings__Dti
fi

dotnet build src/DtiPortal.Web -c Release -nologo -v q -clp:ErrorsOnly >&2
dotnet build src/DtiPortal.Cli -c Release -nologo -v q -clp:ErrorsOnly >&2
dotnet build tools/DtiPortal.LoadTest -c Release -nologo -v q -clp:ErrorsOnly >&2
dotnet tool restore >/dev/null
dti() { dotnet src/DtiPortal.Cli/bin/Release/net10.0/dti.dll "$@"; }
dti migrate >/dev/null
dti demo seed >/dev/null
dti demo generate --units "$units" --province-count $(( (units + 149) / 150 )) >/dev/null 2>&1 || true # once per database
dti demo officers --count "$circuits" >&2

log="$(mktemp)"
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$url" Diagnostics__HeapEndpoint=true Database__MigrateOnStartup=false Notifications__IntervalSeconds=0 Reports__IntervalSeconds=0 \
  Logging__LogLevel__Default=Warning \
  dotnet src/DtiPortal.Web/bin/Release/net10.0/DtiPortal.Web.dll --contentRoot "$PWD/src/DtiPortal.Web" >"$log" 2>&1 &
web=$!
trap 'kill "$web" 2>/dev/null || true; wait "$web" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 90); do
  curl -fs "$url/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "$url/health" >/dev/null || { echo "bench: web app did not start:" >&2; tail -20 "$log" >&2; exit 1; }

dotnet tools/DtiPortal.LoadTest/bin/Release/net10.0/dti-loadtest.dll --url "$url" --app-pid "$web" "$@"
