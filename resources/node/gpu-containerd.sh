#!/bin/sh
# Inside a GPU worker of a kind cluster: register the nvidia runtime with containerd as its
# default (so GPU pods need no runtimeClassName, which a cloud cluster would not have), restart
# containerd, and wait until it answers again.
set -eu
nvidia-ctk runtime configure --runtime=containerd --config-source=file --set-as-default
systemctl restart containerd
i=0
while [ "$i" -lt 60 ]; do
  if ctr version >/dev/null 2>&1 && systemctl is-active --quiet containerd; then
    echo "containerd restarted with the nvidia runtime as default"
    exit 0
  fi
  i=$((i + 1))
  sleep 1
done
echo "containerd did not come back after the restart:" >&2
systemctl status containerd --no-pager >&2 || true
exit 1
