#!/usr/bin/env bash
# Builds the real k3d CLI from the Go module proxy into a git-ignored cache:
#   .cache/k3d/<version>/k3d
# Tests use it where it runs without a k3s image (`k3d version`, config validation, the error k3d
# prints when no Docker answers) to check that test/support/bin/k3d mimics the real tool.
# Versions are pinned in scripts/k8s-versions.json: "k3d", and "k3dK3s", the default k3s tag that
# k3d's own release build stamps in (upstream asks the k3s channel server at build time; we pin
# the one the release shipped, so `k3d version` prints what users see). A second run returns at once.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pin() { node -e "process.stdout.write(require('$root/scripts/k8s-versions.json')['$1'])"; }
K3D=$(pin k3d)
K3S=$(pin k3dK3s)
out="${SLIPWAY_K3D_CACHE:-$root/.cache/k3d}/$K3D"
if [ -x "$out/k3d" ]; then echo "$out/k3d"; exit 0; fi
printf '[k3d:build] k3d %s (default k3s %s)\n' "$K3D" "$K3S" >&2
mods="$out/module"
rm -rf "$mods"; mkdir -p "$mods"
cd "$mods"
export GOFLAGS="${GOFLAGS:--trimpath}" CGO_ENABLED=0 GOTOOLCHAIN=local
go mod init slipway.local/build/k3d >/dev/null 2>&1
go get -tool "github.com/k3d-io/k3d/v5@$K3D" >/dev/null
# The same version stamps as k3d's Makefile (LDFLAGS), so the binary reports its release.
pkg=github.com/k3d-io/k3d/v5/version
go build -ldflags "-s -w -X $pkg.Version=$K3D -X $pkg.K3sVersion=$K3S" -o "$out/k3d.tmp" github.com/k3d-io/k3d/v5
mv "$out/k3d.tmp" "$out/k3d"
rm -rf "$mods"
printf '[k3d:build] ready: %s\n' "$out/k3d" >&2
echo "$out/k3d"
