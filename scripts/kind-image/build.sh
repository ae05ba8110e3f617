#!/usr/bin/env bash
# `npm run kind:image`: builds a kind node image offline, for the real kind binary's
# `kind create cluster --image REF`. Prints REF as its last line.
#
#   Debian rootfs (debootstrap) with systemd, containerd, runc, CNI plugins, iptables
#   + kind's own base files (entrypoint, kubelet units, containerd config) from the kind module
#   + kubelet, kubeadm, kubectl, crictl built from Go modules (scripts/k8s-build.sh node)
#   + control-plane, kube-proxy, etcd, CoreDNS, pause, flannel, local-path-provisioner and
#     metrics-server images, preloaded into the node's containerd under the names kubeadm and the
#     manifests ask for
#
# Every version is pinned in scripts/k8s-versions.json. The image is tagged with a hash of the pins
# and of this folder, so it is rebuilt only when one of them changes. Needs a Docker daemon
# (DOCKER_HOST is honoured); nothing contacts a registry, now or when a cluster is created.
#
#   build.sh           build when needed, print the image reference
#   build.sh --check   print the reference and exit 0 when the image is built, exit 1 otherwise
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/scripts/kind-image"
versions="$root/scripts/k8s-versions.json"
pin() { node -e "const v=require('$versions'); process.stdout.write(String('$1'.split('.').reduce((o,k)=>o[k],v)))"; }
K8S=$(pin kubernetes) KIND=$(pin kind)
ETCD=$(pin kindNode.etcd) COREDNS=$(pin kindNode.coredns) PAUSE=$(pin kindNode.pause)
FLANNEL=$(pin kindNode.flannel) LOCAL_PATH=$(pin kindNode.localPathProvisioner) SUITE=$(pin kindNode.debian)
work="${SLIPWAY_KIND_IMAGE_CACHE:-$root/.cache/kind-image}"

key=$(cat "$versions" "$root/scripts/k8s-build.sh" "$here"/*.sh "$here"/*.c "$here"/manifests/* | sha256sum | cut -c1-12)
ref="slipway/kind-node:$K8S-$key"
total=7
started=$SECONDS
timings=()
step() {
  timings+=("\"$1\": $((SECONDS - started))")
  printf '[kind:image] (%s/%s) %s\n' "$1" "$total" "$2" >&2
}
fail() { printf '[kind:image] %s\n' "$*" >&2; exit 1; }

command -v docker >/dev/null || fail "docker is not installed (the test daemon: bash test/support/docker/test-docker.sh start)"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
  fail "no Docker daemon answers at ${DOCKER_HOST:-the default socket}; start one (tests: bash test/support/docker/test-docker.sh start, then export the DOCKER_HOST it prints)"
if docker image inspect "$ref" >/dev/null 2>&1; then
  [ "${1:-}" = --check ] || printf '[kind:image] cached: %s\n' "$ref" >&2
  echo "$ref"
  exit 0
fi
[ "${1:-}" = --check ] && exit 1
mkdir -p "$work"
tmp=$(mktemp -d "$work/build.XXXXXX")
cleanup() {
  rm -rf "$tmp"
  [ -n "${preload:-}" ] && docker rm -f "$preload" >/dev/null 2>&1
  docker image rm "$ref-stage" >/dev/null 2>&1
  true
}
trap cleanup EXIT

step 1 "Go binaries (kubelet, kubeadm, kube-proxy, etcd, CoreDNS, flannel, local-path-provisioner, crictl) — first build takes several minutes"
bin=$(bash "$root/scripts/k8s-build.sh" node | tail -n 1)
nodebin="$bin/../node"

step 2 "pause $PAUSE"
gcc -Os -static -o "$tmp/pause" "$here/pause.c"

# The rootfs depends only on the suite and the package list: cached as a tarball.
packages=systemd,systemd-sysv,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,pigz,e2fsprogs,bash,ca-certificates,procps,jq,containerd,runc,containernetworking-plugins,busybox-static
base_key=$(printf '%s %s' "$SUITE" "$packages" | sha256sum | cut -c1-12)
base="slipway/kind-base:$SUITE-$base_key"
step 3 "Debian $SUITE rootfs ($base)"
if ! docker image inspect "$base" >/dev/null 2>&1; then
  rootfs="$work/rootfs-$base_key.tar"
  if [ ! -s "$rootfs" ]; then
    command -v debootstrap >/dev/null || fail "debootstrap is missing: apt-get install debootstrap"
    # Only the apt source files that exist (a new Debian 12 has no sources.list): sed exits 2 on a
    # missing one, which pipefail would turn into a silent failure of the whole build.
    sources=()
    for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list; do [ -f "$f" ] && sources+=("$f"); done
    mirror=$( (sed -n 's/^URIs: *//p; s/^deb \(http[^ ]*\) .*/\1/p' "${sources[@]}" /dev/null || true) | grep -v security | head -n 1 || true)
    debootstrap --variant=minbase --include="$packages" "$SUITE" "$tmp/rootfs" "${mirror:-http://deb.debian.org/debian}" >"$tmp/debootstrap.log" 2>&1 ||
      { tail -n 20 "$tmp/debootstrap.log" >&2; fail "debootstrap failed"; }
    rm -rf "$tmp/rootfs/var/cache/apt/archives/"*.deb "$tmp/rootfs/var/lib/apt/lists/"* \
      "$tmp/rootfs/usr/share/doc" "$tmp/rootfs/usr/share/man" "$tmp/rootfs/usr/share/locale"
    tar -C "$tmp/rootfs" -cf "$rootfs.part" . && mv "$rootfs.part" "$rootfs"
    rm -rf "$tmp/rootfs"
  fi
  docker import "$rootfs" "$base" >/dev/null
fi

step 4 "component images"
# name|base (scratch or the Debian rootfs)|files "src:dest" ...|entrypoint
image() {
  local name=$1 from=$2 entry=$3; shift 3
  local ctx; ctx="$tmp/ctx-$(echo "$name" | tr '/:' '__')"
  mkdir -p "$ctx"
  { echo "FROM $from"
    for pair in "$@"; do
      local src=${pair%%:*} dest=${pair#*:}
      # Every file in these images is a program.
      install -m 0755 "$src" "$ctx/$(basename "$dest")"
      echo "COPY $(basename "$dest") $dest"
    done
    [ -n "$entry" ] && echo "ENTRYPOINT $entry"
  } >"$ctx/Dockerfile"
  docker build -q -t "$name" "$ctx" >/dev/null
  images+=("$name")
}
images=()
for c in kube-apiserver kube-controller-manager kube-scheduler; do
  image "registry.k8s.io/$c:$K8S" scratch "" "$bin/$c:/usr/local/bin/$c"
done
# kube-proxy and flanneld write iptables rules: Debian's iptables, backend picked like the node's.
iptables_wrapped() { # binary -> "files" arguments for image(): the binary behind iptables-select
  local name; name=$(basename "$1")
  printf '#!/bin/sh\nexec /usr/local/sbin/iptables-select /usr/local/bin/%s.bin "$@"\n' "$name" >"$tmp/$name"
  chmod +x "$tmp/$name"
  cp "$1" "$tmp/$name.bin"
  echo "$tmp/$name.bin:/usr/local/bin/$name.bin" "$tmp/$name:/usr/local/bin/$name" "$here/iptables-select.sh:/usr/local/sbin/iptables-select"
}
# shellcheck disable=SC2046 # word splitting of the file list is intended
image "registry.k8s.io/kube-proxy:$K8S" "$base" "" $(iptables_wrapped "$bin/kube-proxy")
image "registry.k8s.io/etcd:${ETCD#v}-0" scratch "" "$nodebin/etcd:/usr/local/bin/etcd"
image "registry.k8s.io/coredns/coredns:$COREDNS" scratch '["/coredns"]' "$nodebin/coredns:/coredns"
image "registry.k8s.io/pause:$PAUSE" scratch '["/pause"]' "$tmp/pause:/pause"
# Slipway's own add-on (resources/manifests/metrics-server.yaml), so kind clusters get resource metrics.
image "registry.k8s.io/metrics-server/metrics-server:$(pin metricsServer)" scratch '["/metrics-server"]' "$bin/metrics-server:/metrics-server"
flannel_image="ghcr.io/flannel-io/flannel:$FLANNEL"
# shellcheck disable=SC2046
image "$flannel_image" "$base" "" $(iptables_wrapped "$nodebin/flanneld")
local_path_image="docker.io/rancher/local-path-provisioner:$LOCAL_PATH"
image "$local_path_image" scratch "" "$nodebin/local-path-provisioner:/usr/local/bin/local-path-provisioner"
# local-path's helper pod runs its setup/teardown scripts with a shell: Debian's busybox-static
# (CMD sh, no entrypoint, like the upstream busybox image).
helper_image="docker.io/library/busybox:$(pin kindNode.busybox)"
busybox_ctx="$tmp/ctx-busybox"
mkdir -p "$busybox_ctx/rootfs/bin"
cid=$(docker create "$base" /bin/true)
docker cp "$cid:/bin/busybox" "$busybox_ctx/rootfs/bin/busybox"
docker rm "$cid" >/dev/null
for applet in sh mkdir rm rmdir ls cat chmod; do ln -s busybox "$busybox_ctx/rootfs/bin/$applet"; done
printf 'FROM scratch\nCOPY rootfs/ /\nCMD ["sh"]\n' >"$busybox_ctx/Dockerfile"
docker build -q -t "$helper_image" "$busybox_ctx" >/dev/null
images+=("$helper_image")
docker save -o "$tmp/images.tar" "${images[@]}"

step 5 "node filesystem"
kindmod=$(cd "$tmp" && go mod download -json "sigs.k8s.io/kind@$KIND" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.stdout.write(JSON.parse(s).Dir))")
ctx="$tmp/ctx-node"
mkdir -p "$ctx/files" "$ctx/bin" "$ctx/manifests"
cp -r "$kindmod/images/base/files/." "$ctx/files/"
chmod -R u+w "$ctx/files"
cp "$bin/kubelet" "$bin/kubeadm" "$bin/kubectl" "$nodebin/crictl" "$ctx/bin/"
sed -e "s|@FLANNEL_IMAGE@|$flannel_image|g" "$here/manifests/default-cni.yaml" >"$ctx/manifests/default-cni.yaml"
sed -e "s|@LOCAL_PATH_IMAGE@|$local_path_image|g; s|@HELPER_IMAGE@|$helper_image|g" "$here/manifests/default-storage.yaml" >"$ctx/manifests/default-storage.yaml"
cp "$here/node-setup.sh" "$ctx/node-setup.sh"
cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $base
COPY files/ /
COPY bin/kubelet bin/kubeadm bin/kubectl /usr/bin/
COPY bin/crictl /usr/local/bin/
COPY manifests/ /kind/manifests/
COPY node-setup.sh /tmp/node-setup.sh
RUN sh /tmp/node-setup.sh "$K8S" "registry.k8s.io/pause:$PAUSE"
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]
DOCKERFILE
docker build -q -t "$ref-stage" "$ctx" >/dev/null

step 6 "preloading $((${#images[@]})) images into the node's containerd"
# containerd writes its content store into the container's /var; the commit keeps it, and a
# kind node's /var volume starts as a copy of it. Layers are unpacked when a pod first uses them.
preload="slipway-kind-image-preload-$$"
docker create --name "$preload" --privileged -v "$tmp/images.tar:/images.tar:ro" --entrypoint /bin/sh "$ref-stage" -euc '
  containerd >/tmp/containerd.log 2>&1 &
  pid=$!
  for i in $(seq 1 50); do ctr version >/dev/null 2>&1 && break; sleep 0.2; done
  ctr --namespace k8s.io images import --no-unpack --all-platforms --digests /images.tar
  ctr --namespace k8s.io images list -q
  kill "$pid"; wait "$pid" || true
  rm -rf /tmp/* /var/log/*' >/dev/null
docker start -a "$preload" >"$tmp/preload.log" 2>&1 || { cat "$tmp/preload.log" >&2; fail "preloading images failed"; }
for want in "${images[@]}"; do
  grep -qx "$want" "$tmp/preload.log" || grep -qx "docker.io/$want" "$tmp/preload.log" ||
    { cat "$tmp/preload.log" >&2; fail "image $want is missing from the node's containerd after import"; }
done

step 7 "committing $ref"
# The container keeps the stage image's env and stop signal; only the entrypoint was overridden.
docker commit \
  --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' --change 'CMD []' \
  "$preload" "$ref" >/dev/null
# The benchmarks report how long the last full build took (seconds since start, at each step).
printf '{ "image": "%s", "builtAt": "%s", "seconds": %s, "stepStartedAtSeconds": { %s } }\n' \
  "$ref" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$((SECONDS - started))" "$(IFS=,; echo "${timings[*]}")" >"$work/last-build.json"
# Older builds take 1.5 GB each: drop those no container uses (docker refuses the others).
docker images --format '{{.Repository}}:{{.Tag}}' slipway/kind-node | grep -vxF "$ref" | xargs -r docker image rm >/dev/null 2>&1 || true
printf '[kind:image] ready: %s (%ss)\n' "$ref" "$((SECONDS - started))" >&2
echo "$ref"
