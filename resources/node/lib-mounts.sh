#!/bin/sh
# Sourced by the GPU node scripts: mount helpers that work for files as well as folders.

# Whether PATH is a mount point in this mount namespace (mountinfo's fifth field).
is_mounted() {
  awk -v p="$1" '$5 == p { found = 1 } END { exit !found }' /proc/self/mountinfo
}

# Unmounts every mount stacked on PATH, top first.
unmount_all() {
  while is_mounted "$1"; do umount "$1" || return 1; done
}
