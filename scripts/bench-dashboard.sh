#!/usr/bin/env bash
# Speed target of issue 7: the province dashboard's data for a round of 100 communes, p95 < 200 ms.
# Builds the CLI in Release, recreates a separate database (dti_bench_dashboard on the local cluster of scripts/pg-start.sh,
# unless ConnectionStrings__Dti is set: then that database is used as it is and a new test province is added to it), and runs
# `dti bench dashboard`: a province of 4 districts × 25 communes with figures, submissions and approvals, then 200 timed calls
# of DashboardQueries as the province's administrator (after 10 warm-up calls).
# Options are passed through: scripts/bench-dashboard.sh --districts 10 --communes 30 --runs 500
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${ConnectionStrings__Dti:-}" ]; then
  server="$(scripts/pg-start.sh)"
  port="$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$server")"
  PGOPTIONS='--client-min-messages=warning' psql -q -h 127.0.0.1 -p "${port:-55432}" -U postgres -d postgres -c 'drop database if exists dti_bench_dashboard with (force)' >/dev/null
  ConnectionStrings__Dti="$server;Database=dti_bench_dashboard"
  export ConnectionStrings__Dti
fi

dotnet build src/DtiPortal.Cli -c Release -nologo -v q -clp:ErrorsOnly >&2
dotnet src/DtiPortal.Cli/bin/Release/net10.0/dti.dll bench dashboard "$@"
