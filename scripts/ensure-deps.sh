#!/usr/bin/env bash
# Installs what the portal needs on a fresh Debian machine that has only the .NET SDK (issue 13, item 7).
# Usage: scripts/ensure-deps.sh run|test
#   run:  PostgreSQL (unless ConnectionStrings__Dti points elsewhere), Chromium and the Noto fonts (PDFs)
#   test: the same, plus poppler-utils (PDF checks), nginx/openssl/curl (deploy/test/cluster-test.sh),
#         nodejs/npm (the S3-protocol test server), redis-server (shared caches across instances)
# Only missing packages are installed, with apt-get (sudo when not root). Where that is impossible the script stops
# with one Vietnamese line that says exactly what to run. Idempotent: a second run installs nothing and is quiet.
set -euo pipefail

mode="${1:-test}"
say() { echo "ensure-deps: $*" >&2; }

need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# PostgreSQL: a server binary of any version (scripts/pg-start.sh finds it under /usr/lib/postgresql/*/bin).
if [ "$mode" = "test" ] || [ -z "${ConnectionStrings__Dti:-}" ]; then
  if [ -z "${DTI_TEST_PG:-}" ] || [ "$mode" = "run" ]; then
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  fi
fi
[ -x "${DTI_CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
have_pkg fonts-noto-core || need+=(fonts-noto-core)
if [ "$mode" = "test" ]; then
  have_cmd pdftotext || need+=(poppler-utils)
  have_cmd nginx || [ -x /usr/sbin/nginx ] || need+=(nginx)
  have_cmd openssl || need+=(openssl)
  have_cmd curl || need+=(curl)
  have_cmd node || need+=(nodejs)
  have_cmd npm || need+=(npm)
  have_cmd redis-server || [ -x /usr/bin/redis-server ] || need+=(redis-server)
fi

[ ${#need[@]} -eq 0 ] && exit 0

line="sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need[*]}"
if ! have_cmd apt-get; then
  say "Thiếu ${need[*]} và máy này không có apt-get. Hãy cài các gói tương ứng rồi chạy lại."
  exit 1
fi
sudo=""
if [ "$(id -u)" != "0" ]; then
  if have_cmd sudo && sudo -n true 2>/dev/null; then sudo="sudo"
  else
    say "Thiếu ${need[*]}. Chạy lệnh sau rồi chạy lại: $line"
    exit 1
  fi
fi
say "Cài các gói còn thiếu: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; }; then
  say "Không cài được ${need[*]}. Chạy lệnh sau rồi chạy lại: $line"
  exit 1
fi
