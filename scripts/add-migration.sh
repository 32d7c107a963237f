#!/usr/bin/env bash
# Adds an EF Core migration (ADR-002). Usage: scripts/add-migration.sh NameInPascalCase
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ $# -eq 1 ] || { echo "Cách dùng: scripts/add-migration.sh TenMigration" >&2; exit 2; }
dotnet tool restore >/dev/null
dotnet dotnet-ef migrations add "$1" --project src/DtiPortal.Application --startup-project src/DtiPortal.Cli --output-dir Data/Migrations
