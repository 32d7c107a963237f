#!/usr/bin/env bash
# Speed targets of issue 7 for the public results (docs/benchmarks.md):
#   - national ranking over 10,000 units: p95 < 500 ms (the query and the ranking, uncached; `dti bench ranking`);
#   - the public ranking page under 200 concurrent requests (wrk): p95 < 100 ms.
# Starts (or reuses) the local PostgreSQL, recreates a separate database (dti_bench_public), publishes a Release build of the
# web app, generates N communes with `dti demo generate` (published rounds included), times the national ranking query,
# starts the web app in Production on a free port, warms it up and runs wrk against one round's ranking page and the
# national ranking page (first page of 100 units). Installs wrk with apt-get when it is missing and this runs as root.
# Settings (environment): DTI_BENCH_UNITS (10000), DTI_BENCH_PROVINCES (63), DTI_BENCH_PORT (5096), DTI_BENCH_DURATION (20s),
# DTI_BENCH_CONNECTIONS (200), DTI_BENCH_RUNS (100 ranking queries).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

units="${DTI_BENCH_UNITS:-10000}"
provinces="${DTI_BENCH_PROVINCES:-63}"
port="${DTI_BENCH_PORT:-5096}"
duration="${DTI_BENCH_DURATION:-20s}"
connections="${DTI_BENCH_CONNECTIONS:-200}"
runs="${DTI_BENCH_RUNS:-100}"
url="http://127.0.0.1:$port"
work="$PWD/.local/bench-public"
say() { echo "bench-public: $*" >&2; }

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    say "cài wrk (apt-get install -y wrk)…"
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else
    say "Cần công cụ wrk: sudo apt-get install -y wrk"; exit 1
  fi
fi

# A fresh database on the local cluster (scripts/pg-start.sh starts it or reuses it).
server="$(scripts/pg-start.sh)"
pg_port="$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$server")"
psql_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/psql"
[ -x "$psql_bin" ] || psql_bin="psql"
psql_() { PGOPTIONS="-c client_min_messages=warning" "$psql_bin" -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -Atq "$@"; }
psql_ -d postgres -c "drop database if exists dti_bench_public with (force)"
export ConnectionStrings__Dti="$server;Database=dti_bench_public"

say "build Release (CLI) và publish web app…"
dotnet build src/DtiPortal.Cli -c Release -nologo -v q -clp:ErrorsOnly
rm -rf "$work/web"
dotnet publish src/DtiPortal.Web -c Release -o "$work/web" -nologo -v q -clp:ErrorsOnly
dti() { dotnet src/DtiPortal.Cli/bin/Release/net10.0/dti.dll "$@"; }
dti migrate >/dev/null

echo "== dti demo generate --units $units --province-count $provinces"
start=$(date +%s.%N)
dti demo generate --units "$units" --province-count "$provinces"
echo "   (tiến trình dti, kể cả khởi động: $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s)"

round="$(psql_ -d dti_bench_public -c "select min(id) from assessment_rounds where published_at is not null")"
read -r year version <<<"$(psql_ -d dti_bench_public -F ' ' -c "select year, criteria_set_version_id from assessment_rounds where id = $round")"
round_units="$(psql_ -d dti_bench_public -c "select count(*) from assessments where round_id = $round and status = 'Published'")"

echo "== dti bench ranking (xếp hạng toàn quốc năm $year, $runs lần)"
dti bench ranking --year "$year" --runs "$runs" --compare

log="$work/web.log"
# Production, so the settings a production machine must have are given (the start-up check refuses otherwise, deploy/README.md).
mkdir -p "$work/evidence"
ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$url" Database__MigrateOnStartup=false Notifications__IntervalSeconds=0 \
  Reports__IntervalSeconds=0 Evidence__Directory="$work/evidence" Email__Mode=None Email__BaseUrl="$url" \
  dotnet "$work/web/DtiPortal.Web.dll" --contentRoot "$work/web" >"$log" 2>&1 &
web=$!
lua="$(mktemp --suffix=.lua)"
trap 'kill "$web" 2>/dev/null || true; wait "$web" 2>/dev/null || true; rm -f "$lua"' EXIT
for _ in $(seq 1 60); do
  curl -fs "$url/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "$url/health" >/dev/null || { say "web app không khởi động được:"; tail -20 "$log" >&2; exit 1; }

# wrk prints p50/p75/p90/p99 with --latency; p95 comes from this summary.
cat >"$lua" <<'EOF'
done = function(summary, latency, requests)
  io.write(string.format("KẾT QUẢ p50=%.1f ms p95=%.1f ms p99=%.1f ms max=%.1f ms | %d yêu cầu, %.0f yêu cầu/s | lỗi socket %d, mã khác 2xx/3xx %d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests, summary.requests / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
EOF

pages=("$url/ket-qua/$round" "$url/ket-qua/toan-quoc/$year/$version")
for page in "${pages[@]}"; do
  for _ in $(seq 1 20); do curl -fs -o /dev/null "$page"; done
done
# Is the rendered page served from the output cache (Program.cs: AddPublicResultsPages + UseOutputCache)? Say so either way.
if curl -fs -D - -o /dev/null "${pages[0]}" | grep -qi '^age:'; then
  echo "(trang công khai được phục vụ từ bộ nhớ đệm đầu ra của máy chủ)"
else
  echo "CẢNH BÁO: trang công khai KHÔNG được lưu đệm đầu ra (thiếu AddPublicResultsPages/UseOutputCache trong Program.cs): mỗi yêu cầu dựng lại trang."
fi
wrk -t2 -c"$connections" -d5s "${pages[0]}" >/dev/null # warm-up under load (JIT, thread pool growth)

echo "== wrk -t2 -c$connections -d$duration --latency: trang xếp hạng của một đợt ($round_units đơn vị) ${pages[0]}"
wrk -t2 -c"$connections" -d"$duration" --latency -s "$lua" "${pages[0]}"
echo "== wrk -t2 -c$connections -d$duration --latency: xếp hạng toàn quốc, trang 1 (100 đơn vị) ${pages[1]}"
wrk -t2 -c"$connections" -d"$duration" --latency -s "$lua" "${pages[1]}"
echo "(mục tiêu: p95 < 100 ms với $connections kết nối đồng thời)"
