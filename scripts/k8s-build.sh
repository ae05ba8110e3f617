#!/usr/bin/env bash
# Builds the simulated-cluster control plane from Go modules into a git-ignored cache:
#   .cache/k8s/<kubernetes>/bin/{etcd,kube-apiserver,kube-controller-manager,kube-scheduler,
#                               kwok,kwokctl,metrics-server}
# Each component is its own consumer module (their dependency graphs disagree), built only when
# its binary is missing, so a second run returns in seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
versions="$root/scripts/k8s-versions.json"
ver() { node -e "process.stdout.write(require('$versions')['$1'])"; }
K8S=$(ver kubernetes) ETCD=$(ver etcd) KWOK=$(ver kwok) MS=$(ver metricsServer)
cache="${SLIPWAY_K8S_CACHE:-$root/.cache/k8s}/$K8S"
bin="$cache/bin"
mods="$cache/modules"
mkdir -p "$bin" "$mods"
export GOFLAGS="${GOFLAGS:--trimpath}" CGO_ENABLED=0 GOTOOLCHAIN=local
ldflags="-s -w"

have() { for b in "$@"; do [ -x "$bin/$b" ] || return 1; done; }
# Quiet on success; on failure the Go tool's own output explains why.
quiet() { local log; log=$(mktemp); if ! "$@" >"$log" 2>&1; then cat "$log" >&2; rm -f "$log"; return 1; fi; rm -f "$log"; }
step() { printf '[k8s:build] %s\n' "$*" >&2; }

module() { # name -> fresh consumer module dir
  local dir="$mods/$1"; rm -rf "$dir"; mkdir -p "$dir"
  (cd "$dir" && go mod init "slipway.local/build/$1" >/dev/null 2>&1)
  echo "$dir"
}

build_kubernetes() {
  have kube-apiserver kube-controller-manager kube-scheduler kubectl && return
  step "kubernetes $K8S (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl) — first build takes several minutes"
  local dir; dir=$(module kubernetes)
  cd "$dir"
  quiet go mod download -json "k8s.io/kubernetes@$K8S"
  local gomod; gomod=$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$K8S.mod
  # k8s.io/kubernetes replaces its staging modules with local paths; a consumer points each one
  # at the published module of the matching v0.x version instead.
  local staging="v0.${K8S#v1.}"
  {
    echo "require k8s.io/kubernetes $K8S"
    grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging' "$gomod" | awk -v v="$staging" '{print "replace " $1 " => " $1 " " v}'
  } >>go.mod
  cat >tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  go mod tidy -e >/dev/null 2>&1 || true
  quiet go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S"
  # Without the version stamps /version says v0.0.0-master and clients mis-detect features.
  local minor="${K8S#v1.}"; minor="${minor%%.*}"
  local vflags=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    vflags+=" -X $pkg.gitVersion=$K8S -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  go build -ldflags "$ldflags$vflags" -o "$bin/" k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
}

build_etcd() {
  have etcd && return
  step "etcd $ETCD"
  local dir; dir=$(module etcd)
  cd "$dir"
  # etcd's server module replaces its siblings with local paths; pin the published ones.
  local mv="${ETCD}"
  {
    echo "require go.etcd.io/etcd/server/v3 $mv"
    for m in api/v3 client/pkg/v3 client/v3 pkg/v3 server/v3 etcdutl/v3 etcdctl/v3; do
      echo "replace go.etcd.io/etcd/$m => go.etcd.io/etcd/$m $mv"
    done
  } >>go.mod
  cat >tools.go <<'GO'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO
  quiet go get "go.etcd.io/etcd/server/v3@$mv"
  go build -ldflags "$ldflags" -o "$bin/etcd" go.etcd.io/etcd/server/v3
}

build_kwok() {
  have kwok kwokctl && return
  step "kwok $KWOK (kwok, kwokctl)"
  local dir; dir=$(module kwok)
  cd "$dir"
  echo "require sigs.k8s.io/kwok $KWOK" >>go.mod
  quiet go get "sigs.k8s.io/kwok/cmd/kwok@$KWOK" "sigs.k8s.io/kwok/cmd/kwokctl@$KWOK"
  go build -ldflags "$ldflags -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK#v}" -o "$bin/" \
    sigs.k8s.io/kwok/cmd/kwok sigs.k8s.io/kwok/cmd/kwokctl
}

build_metrics_server() {
  have metrics-server && return
  step "metrics-server $MS"
  local dir; dir=$(module metrics-server)
  cd "$dir"
  quiet go get -tool "sigs.k8s.io/metrics-server/cmd/metrics-server@$MS"
  go build -ldflags "$ldflags" -o "$bin/metrics-server" sigs.k8s.io/metrics-server/cmd/metrics-server
}

only="${1:-all}"
case "$only" in
  all) build_etcd; build_kwok; build_metrics_server; build_kubernetes ;;
  kubernetes|etcd|kwok|metrics-server) "build_${only//-/_}" ;;
  *) echo "usage: k8s-build.sh [all|kubernetes|etcd|kwok|metrics-server]" >&2; exit 2 ;;
esac
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok kwokctl metrics-server; do
  [ -x "$bin/$b" ] || { [ "$only" = all ] && { echo "[k8s:build] missing $bin/$b" >&2; exit 1; }; }
done
step "ready: $bin"
echo "$bin"
