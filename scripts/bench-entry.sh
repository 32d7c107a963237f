#!/usr/bin/env bash
# Speed targets of issue 5: the entry page's first render p95 < 300 ms (HTTP, signed-in cookie) and SaveValue p95 < 50 ms.
# Builds Release, seeds a separate demo database (dti_bench), starts the web app on a free port, runs `dti bench entry`,
# stops the app. Development environment: the auth cookie is Secure-only otherwise and this runs over plain HTTP. Options are passed through: scripts/bench-entry.sh --requests 500 --saves 1000
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

port="${DTI_BENCH_PORT:-5097}"
url="http://127.0.0.1:$port"
if [ -z "${ConnectionStrings__Dti:-}" ]; then
  ConnectionStrings__Dti="$(scripts/pg-start.sh);Database=dti_bench"
  export ConnectionStrings__Dti
fi

dotnet build src/DtiPortal.Web -c Release -nologo -v q -clp:ErrorsOnly
dotnet build src/DtiPortal.Cli -c Release -nologo -v q -clp:ErrorsOnly
dti() { dotnet src/DtiPortal.Cli/bin/Release/net10.0/dti.dll "$@"; }
dti migrate >/dev/null
dti demo seed >/dev/null

log="$(mktemp)"
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$url" Database__MigrateOnStartup=true \
  dotnet src/DtiPortal.Web/bin/Release/net10.0/DtiPortal.Web.dll --contentRoot "$PWD/src/DtiPortal.Web" >"$log" 2>&1 &
web=$!
trap 'kill "$web" 2>/dev/null || true; wait "$web" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 60); do
  curl -fs "$url/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "$url/health" >/dev/null || { echo "bench: web app did not start:" >&2; tail -20 "$log" >&2; exit 1; }

dti bench entry --url "$url" "$@"
