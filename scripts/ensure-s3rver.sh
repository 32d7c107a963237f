#!/usr/bin/env bash
# Makes sure s3rver (an S3-protocol server, used by the S3 evidence store's integration tests) is installed in
# .local/s3rver, and prints the path of its command. Idempotent: a second run installs nothing.
# Needs Node.js and npm: installed with apt-get when missing (sudo when not root).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.local/s3rver"
version="3.7.1"
bin="$dir/node_modules/.bin/s3rver"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "ensure-s3rver: installing nodejs and npm with apt-get" >&2
    $sudo apt-get install -y nodejs npm >&2 || { $sudo apt-get update >&2 && $sudo apt-get install -y nodejs npm >&2; }
fi

installed=""
if [ -f "$dir/node_modules/s3rver/package.json" ]; then
    installed="$(node -p "require(process.argv[1]).version" "$dir/node_modules/s3rver/package.json" 2>/dev/null || true)"
fi
if [ ! -x "$bin" ] || [ "$installed" != "$version" ]; then
    echo "ensure-s3rver: installing s3rver $version into $dir" >&2
    mkdir -p "$dir"
    [ -f "$dir/package.json" ] || echo '{ "private": true }' > "$dir/package.json"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "s3rver@$version" >&2)
fi
echo "$bin"
