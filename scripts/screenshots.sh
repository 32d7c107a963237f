#!/usr/bin/env bash
# Retakes the pictures of the Vietnamese user guides (docs/user/hinh/*.png) from the real app on the demo data, as each
# role sees it (tests/DtiPortal.E2E/Screenshots). Run after changing the pages; commit the pictures with the change.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/ensure-deps.sh run
if [ -z "${DTI_TEST_PG:-}" ]; then DTI_TEST_PG="$(scripts/pg-start.sh)"; export DTI_TEST_PG; fi
dotnet build tests/DtiPortal.E2E -nologo -v q -clp:ErrorsOnly
dotnet test tests/DtiPortal.E2E --no-build -nologo --filter "Category=Screenshots"
ls -1 docs/user/hinh/*.png
