#!/bin/sh
# Inside a GPU worker of a kind cluster: install nvidia-container-toolkit from NVIDIA's apt
# repository (kind node images are Debian), unless nvidia-ctk is already there.
set -eu
if command -v nvidia-ctk >/dev/null 2>&1; then
  echo "nvidia-container-toolkit is already installed ($(nvidia-ctk --version | head -n 1))"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends curl gpg ca-certificates
keyring=/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg
curl -fsSL https://nvidia.github.io/libnvidia-container/gpgkey | gpg --dearmor --yes -o "$keyring"
curl -fsSL https://nvidia.github.io/libnvidia-container/stable/deb/nvidia-container-toolkit.list |
  sed "s#deb https://#deb [signed-by=$keyring] https://#g" >/etc/apt/sources.list.d/nvidia-container-toolkit.list
apt-get update -q
apt-get install -y -q --no-install-recommends nvidia-container-toolkit
