#!/bin/sh
# Runs once inside the node image while it is built (Dockerfile RUN), after kind's base files and
# the Kubernetes binaries were copied in: the steps kind's own base image takes, for Debian's
# packages. Arguments: the Kubernetes version, the pause image.
set -eu
k8s_version=$1
pause_image=$2

# Files from the Go module cache are read-only (0444): give them their real modes.
chmod 0755 /kind /kind/bin /usr/local/bin/entrypoint /usr/local/bin/clean-install /kind/bin/*.sh
echo "$k8s_version" >/kind/version
mkdir -p /etc/kubernetes/manifests

# systemd as PID 1 of a container: no units the container cannot run (as kind does).
find /lib/systemd/system/sysinit.target.wants/ -name systemd-tmpfiles-setup.service -delete
rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* \
  /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/sockets.target.wants/*udev* \
  /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/*
echo "ReadKMsg=no" >>/etc/systemd/journald.conf
ln -sf /usr/lib/systemd/systemd /sbin/init
# kind's containerd unit runs /usr/local/bin/containerd; Debian installs it in /usr/bin.
ln -sf /usr/bin/containerd /usr/local/bin/containerd
systemctl enable kubelet.service containerd.service undo-mount-hacks.service
systemctl mask systemd-binfmt.service

# CNI plugins where kubelet and containerd look for them (Debian puts them in /usr/lib/cni).
mkdir -p /opt/cni/bin /etc/cni/net.d
for plugin in /usr/lib/cni/*; do ln -sf "$plugin" "/opt/cni/bin/$(basename "$plugin")"; done

# containerd: the pause image kubeadm expects; no fuse-overlayfs (not installed); and
# restrict_oom_score_adj, because the machines this image is built for hold no CAP_SYS_RESOURCE
# (a pod sandbox's negative oom_score_adj would otherwise kill runc init).
config=/etc/containerd/config.toml
sed -i -e "s|^\( *sandbox_image = \).*|\1\"$pause_image\"|" \
  -e 's|^\( *restrict_oom_score_adj = \).*|\1true|' \
  -e '/^\[proxy_plugins\]/,/^ *address = /d' "$config"
grep -q "sandbox_image = \"$pause_image\"" "$config"
grep -q 'restrict_oom_score_adj = true' "$config"
# The runtime spec every container starts from: kind's product-files hook, and no rlimits (raising
# them needs CAP_SYS_RESOURCE too).
ctr oci spec |
  jq '.hooks.createContainer = ((.hooks.createContainer // []) + [{"path": "/kind/bin/mount-product-files.sh"}]) | del(.process.rlimits)' \
    >/etc/containerd/cri-base.json

# Smaller image, and no stale state from the build.
# (this script itself sits in /tmp: it goes too)
rm -rf /var/cache/apt/archives/*.deb /var/lib/apt/lists/* /var/log/*.log /tmp/* 2>/dev/null || true
kubelet --version
kubeadm version -o short
containerd --version
runc --version | head -n 1
