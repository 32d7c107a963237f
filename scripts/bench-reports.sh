#!/usr/bin/env bash
# Issue 7: how long the background report job takes for a province of 100+ communes (docs/benchmarks.md, "Báo cáo PDF").
# Generates a province with `dti demo generate`'s generator (DTI_BENCH_UNITS communes, default 120) in a fresh test database
# on the local cluster of scripts/pg-start.sh (or DTI_TEST_PG), then runs the real worker on the real headless Chromium and
# prints one line: REPORT-BENCH units=… pdfs=… parallelism=… seconds=… per_pdf_ms=… archive_mb=…
# The CLI has no Chromium wiring, so the harness is an opt-in integration test (ReportBenchmark, skipped unless DTI_BENCH_REPORTS).
#   scripts/bench-reports.sh                 # 120 communes, 2 PDFs at a time
#   DTI_BENCH_UNITS=200 DTI_BENCH_PARALLELISM=4 scripts/bench-reports.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DTI_TEST_PG="${DTI_TEST_PG:-$(scripts/pg-start.sh)}"
export DTI_TEST_PG DTI_BENCH_REPORTS=1
dotnet build tests/DtiPortal.Integration.Tests -c Release -nologo -v q -clp:ErrorsOnly >&2
dotnet test tests/DtiPortal.Integration.Tests -c Release --no-build --filter "FullyQualifiedName~ReportBenchmark" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "REPORT-BENCH|Dữ liệu mẫu|Passed|Failed|error" 
