#!/usr/bin/env bash
# Builds the real kind CLI from the Go module proxy into a git-ignored cache:
#   .cache/kind/<version>/kind
# Tests use it where it runs without Docker (`kind version`, the error kind prints when no
# container engine answers) to check that test/support/bin/kind mimics the real tool.
# The version is pinned in scripts/k8s-versions.json ("kind"). A second run returns at once.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
KIND=$(node -e "process.stdout.write(require('$root/scripts/k8s-versions.json').kind)")
out="${SLIPWAY_KIND_CACHE:-$root/.cache/kind}/$KIND"
if [ -x "$out/kind" ]; then echo "$out/kind"; exit 0; fi
printf '[kind:build] kind %s\n' "$KIND" >&2
mods="$out/module"
rm -rf "$mods"; mkdir -p "$mods"
cd "$mods"
export GOFLAGS="${GOFLAGS:--trimpath}" CGO_ENABLED=0 GOTOOLCHAIN=local
go mod init slipway.local/build/kind >/dev/null 2>&1
go get -tool "sigs.k8s.io/kind@$KIND" >/dev/null
go build -ldflags "-s -w" -o "$out/kind" sigs.k8s.io/kind
rm -rf "$mods"
printf '[kind:build] ready: %s\n' "$out/kind" >&2
echo "$out/kind"
