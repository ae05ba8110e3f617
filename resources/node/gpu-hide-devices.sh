#!/bin/sh
# Inside a GPU worker of a kind cluster: remove the /dev/nvidiaN device nodes of the GPUs that are
# not assigned to this worker. Arguments: the device minor numbers to keep — a GPU's index in
# nvidia-smi is not always its minor number (nvidia-smi --query-gpu=index,minor_number).
#
# DRIVER_ROOT (default: the node's /) holds dev/; tests point it at a fake driver root.
# is_mounted and unmount_all: lib-mounts.sh, which Slipway sends before this script.
set -eu
root=${DRIVER_ROOT:-}
for dev in "$root"/dev/nvidia[0-9]*; do
  [ -e "$dev" ] || continue
  minor=${dev##*/nvidia}
  keep=no
  for wanted in "$@"; do [ "$wanted" = "$minor" ] && keep=yes; done
  [ "$keep" = yes ] && continue
  # The toolkit bind-mounts device nodes into the node: a mount point cannot be removed.
  unmount_all "$dev"
  rm -f "$dev"
  echo "removed $dev"
done
