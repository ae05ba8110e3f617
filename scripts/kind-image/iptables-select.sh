#!/bin/sh
# Runs "$@" with the iptables backend (legacy or nft) that the node's network namespace already
# uses, decided the way kind's node entrypoint decides it (the backend holding more rules wins; a
# tie goes to legacy), so kube-proxy and flanneld write their rules where the node reads them.
set -eu
count() { ("$1" || true; "$2" || true) 2>/dev/null | grep -c '^-' || true; }
legacy=$(count iptables-legacy-save ip6tables-legacy-save)
nft=$(count iptables-nft-save ip6tables-nft-save)
if [ "$legacy" -ge "$nft" ]; then mode=legacy; else mode=nft; fi
update-alternatives --set iptables "/usr/sbin/iptables-$mode" >/dev/null
update-alternatives --set ip6tables "/usr/sbin/ip6tables-$mode" >/dev/null
exec "$@"
