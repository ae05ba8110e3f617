#!/usr/bin/env bash
# Builds Slipway's Kubernetes binaries from Go modules into a git-ignored cache.
#   all (default): the simulated-cluster control plane
#     .cache/k8s/<kubernetes>/bin/{etcd,kube-apiserver,kube-controller-manager,kube-scheduler,
#                                 kubectl,kwok,kwokctl,metrics-server,slipway-metrics-adapter}
#   node: what the offline kind node image needs besides (scripts/kind-image/build.sh)
#     .cache/k8s/<kubernetes>/bin/{kubelet,kubeadm,kube-proxy}
#     .cache/k8s/<kubernetes>/node/{etcd,coredns,flanneld,local-path-provisioner,crictl,nvidia-ctk}
# Each component is its own consumer module (their dependency graphs disagree), built only when
# its binary is missing, so a second run returns in seconds. Prints the bin folder last.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
versions="$root/scripts/k8s-versions.json"
ver() { node -e "process.stdout.write(require('$versions')['$1'])"; }
node_ver() { node -e "process.stdout.write(require('$versions').kindNode['$1'])"; }
K8S=$(ver kubernetes) ETCD=$(ver etcd) KWOK=$(ver kwok) MS=$(ver metricsServer)
cache="${SLIPWAY_K8S_CACHE:-$root/.cache/k8s}/$K8S"
bin="$cache/bin"
nodebin="$cache/node"
mods="$cache/modules"
mkdir -p "$bin" "$nodebin" "$mods"
# One build at a time per cache: two would delete each other's consumer modules mid-build.
exec 9>"$cache/.build.lock"
flock 9
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

kubernetes_module() { # -> a consumer module of k8s.io/kubernetes, ready to build its commands
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
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kubeadm kube-proxy; do
      printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$cmd"
    done
    printf ')\n'
  } >tools.go
  go mod tidy -e >/dev/null 2>&1 || true
  quiet go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S"
}

kubernetes_build() { # cmd... -> $bin/cmd, with the version stamps
  # Without the version stamps /version says v0.0.0-master and clients mis-detect features.
  local minor="${K8S#v1.}"; minor="${minor%%.*}"
  local vflags=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    vflags+=" -X $pkg.gitVersion=$K8S -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  local pkgs=(); for cmd in "$@"; do pkgs+=("k8s.io/kubernetes/cmd/$cmd"); done
  go build -ldflags "$ldflags$vflags" -o "$bin/" "${pkgs[@]}"
}

build_kubernetes() {
  have kube-apiserver kube-controller-manager kube-scheduler kubectl && return
  step "kubernetes $K8S (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl) — first build takes several minutes"
  kubernetes_module
  kubernetes_build kube-apiserver kube-controller-manager kube-scheduler kubectl
}

etcd_build() { # version out
  local mv=$1 out=$2
  local dir; dir=$(module "etcd-$mv")
  cd "$dir"
  # etcd's server module replaces its siblings with local paths; pin the published ones.
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
  go build -ldflags "$ldflags" -o "$out" go.etcd.io/etcd/server/v3
}

build_etcd() {
  have etcd && return
  step "etcd $ETCD"
  etcd_build "$ETCD" "$bin/etcd"
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

go_tool() { # name package version out [extra ldflags] [cgo] [replace…] — a main package built from its own module
  local name=$1 pkg=$2 version=$3 out=$4 extra=${5:-} cgo=${6:-0}
  shift 6 2>/dev/null || shift $#
  local dir; dir=$(module "$name")
  cd "$dir"
  local replace; for replace in "$@"; do go mod edit -replace "$replace"; done
  quiet go get -tool "$pkg@$version"
  CGO_ENABLED=$cgo go build -ldflags "$ldflags $extra" -o "$out" "$pkg"
}

build_metrics_server() {
  have metrics-server && return
  step "metrics-server $MS"
  go_tool metrics-server sigs.k8s.io/metrics-server/cmd/metrics-server "$MS" "$bin/metrics-server"
}

# Slipway's own custom/external metrics API (go/metrics-adapter), rebuilt when its source changes.
build_metrics_adapter() {
  local src="$root/go/metrics-adapter" stamp="$bin/.slipway-metrics-adapter.sum" sum
  sum=$(cd "$src" && cat go.mod go.sum ./*.go | sha256sum | cut -d' ' -f1)
  have slipway-metrics-adapter && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ] && return
  step "slipway-metrics-adapter (go/metrics-adapter)"
  (cd "$src" && quiet go build -ldflags "$ldflags" -o "$bin/slipway-metrics-adapter" .)
  echo "$sum" >"$stamp"
}

build_node_kubernetes() {
  have kubelet kubeadm kube-proxy && return
  step "kubernetes $K8S (kubelet, kubeadm, kube-proxy)"
  kubernetes_module
  kubernetes_build kubelet kubeadm kube-proxy
}

build_node_components() {
  local v
  v=$(node_ver etcd); [ -x "$nodebin/etcd" ] || { step "etcd $v (the version kubeadm $K8S expects)"; etcd_build "$v" "$nodebin/etcd"; }
  v=$(node_ver coredns); [ -x "$nodebin/coredns" ] || { step "coredns $v"; go_tool coredns github.com/coredns/coredns "$v" "$nodebin/coredns"; }
  # flannel's Tencent VPC backend wants a vpc SDK release the module proxy does not serve; the
  # nearest one it serves has the same API (we never use that backend: host-gw). Its UDP backend
  # needs cgo; the flannel image is the Debian rootfs, so the glibc matches.
  v=$(node_ver flannel); [ -x "$nodebin/flanneld" ] || { step "flannel $v"; go_tool flannel github.com/flannel-io/flannel "$v" "$nodebin/flanneld" "-X github.com/flannel-io/flannel/pkg/version.Version=$v" 1 \
    "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc=github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc@v1.3.75"; }
  v=$(node_ver localPathProvisioner); [ -x "$nodebin/local-path-provisioner" ] || { step "local-path-provisioner $v"; go_tool local-path-provisioner github.com/rancher/local-path-provisioner "$v" "$nodebin/local-path-provisioner" "-X main.VERSION=$v"; }
  v=$(node_ver criTools); [ -x "$nodebin/crictl" ] || { step "crictl $v"; go_tool crictl sigs.k8s.io/cri-tools/cmd/crictl "$v" "$nodebin/crictl" "-X sigs.k8s.io/cri-tools/pkg/version.Version=$v"; }
  # The real nvidia-ctk, for the GPU node steps' tests inside real nodes (go-nvml needs cgo; the
  # node image is Debian like the build machine, so the glibc matches).
  v=$(node_ver nvidiaContainerToolkit); [ -x "$nodebin/nvidia-ctk" ] || { step "nvidia-ctk $v"; go_tool nvidia-ctk github.com/NVIDIA/nvidia-container-toolkit/cmd/nvidia-ctk "$v" "$nodebin/nvidia-ctk" "-X github.com/NVIDIA/nvidia-container-toolkit/internal/info.version=${v#v}" 1; }
}

only="${1:-all}"
case "$only" in
  all) build_etcd; build_kwok; build_metrics_server; build_metrics_adapter; build_kubernetes ;;
  kubernetes|etcd|kwok|metrics-server|metrics-adapter|node-components) "build_${only//-/_}" ;;
  node) build_kubernetes; build_node_kubernetes; build_node_components
    for b in kubelet kubeadm kube-proxy kubectl; do [ -x "$bin/$b" ] || { echo "[k8s:build] missing $bin/$b" >&2; exit 1; }; done
    for b in etcd coredns flanneld local-path-provisioner crictl nvidia-ctk; do [ -x "$nodebin/$b" ] || { echo "[k8s:build] missing $nodebin/$b" >&2; exit 1; }; done ;;
  *) echo "usage: k8s-build.sh [all|kubernetes|etcd|kwok|metrics-server|metrics-adapter|node|node-components]" >&2; exit 2 ;;
esac
for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok kwokctl metrics-server slipway-metrics-adapter; do
  [ -x "$bin/$b" ] || { [ "$only" = all ] && { echo "[k8s:build] missing $bin/$b" >&2; exit 1; }; }
done
step "ready: $bin"
echo "$bin"
