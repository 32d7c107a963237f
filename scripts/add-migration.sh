#!/usr/bin/env bash
# Adds an EF Core migration (ADR-002). Usage: scripts/add-migration.sh NameInPascalCase
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ $# -eq 1 ] || { echo "Cách dùng: scripts/add-migration.sh TenMigration" >&2; exit 2; }
dotnet tool restore >/dev/null
dotnet build src/DtiPortal.Cli -p:EfDesign=true -v q -nologo
dotnet dotnet-ef migrations add "$1" --no-build --project src/DtiPortal.Application --startup-project src/DtiPortal.Cli --output-dir Data/Migrations
# Rebuild without the design-time references so later builds don't carry them.
dotnet build src/DtiPortal.Cli -v q -nologo >/dev/null
