#!/bin/sh
# Inside a GPU worker of a kind cluster: keep the NVIDIA driver from creating device nodes.
#
# nvidia-container-toolkit's hook mounts the host's /proc/driver/nvidia into the node. Unless its
# params say "ModifyDeviceFiles: 0", the driver creates /dev/nvidiaN for every host GPU inside
# nested containers, which defeats the per-worker split. As nvkind does, always: write a copy of
# params with ModifyDeviceFiles: 0, unmount /proc/driver/nvidia, and bind-mount the copy over
# params. Bind mounts do not survive a node restart: Slipway runs this again after `start`.
#
# DRIVER_ROOT (default: the node's /) holds proc/ and dev/; tests point it at a fake driver root.
# is_mounted and unmount_all: lib-mounts.sh, which Slipway sends before this script.
set -eu
root=${DRIVER_ROOT:-}
dir="$root/proc/driver/nvidia"
copy=/run/slipway/nvidia-params
if [ ! -r "$dir/params" ]; then
  echo "$dir/params is missing: the NVIDIA driver is not visible in this node (is nvidia Docker's default runtime?)" >&2
  exit 1
fi
mkdir -p "${copy%/*}"
sed 's/^ModifyDeviceFiles: 1$/ModifyDeviceFiles: 0/' "$dir/params" >"$copy.tmp"
mv "$copy.tmp" "$copy"
# Our bind of an earlier run first, then the hook's mount of the whole folder.
unmount_all "$dir/params"
if is_mounted "$dir"; then
  # Toolkit >= 1.18 can keep it busy (nvkind#61): then the bind goes over the mounted params.
  umount -R "$dir" || echo "warning: $dir could not be unmounted; binding params over it" >&2
fi
if [ ! -e "$dir/params" ]; then
  echo "$dir/params is gone after unmounting $dir: cannot bind the fixed copy over it" >&2
  exit 1
fi
mount --bind "$copy" "$dir/params"
grep -qx 'ModifyDeviceFiles: 0' "$dir/params"
echo "bound ModifyDeviceFiles: 0 over $dir/params"
