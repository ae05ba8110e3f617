#!/usr/bin/env bash
# A private Docker daemon for Slipway's tests and benchmarks (test infrastructure, not product).
#
#   test-docker.sh start   installs docker.io when missing, starts dockerd with its own data-root,
#                          exec-root, socket and pidfile, waits until it answers, and prints
#                          DOCKER_HOST=unix://… as its last line
#   test-docker.sh stop    stops the daemon this script started, by its pid
#   test-docker.sh env     prints DOCKER_HOST=… when the daemon answers (exit 1 otherwise)
#
# The daemon's default runtime is runc-wrapper.mjs, which drops CAP_SYS_RESOURCE from the OCI spec
# (this VM's bounding set lacks it, so privileged containers — kind nodes — fail without it).
# Set SLIPWAY_TEST_DOCKER=system to use a Docker that already works on this machine instead
# (a contributor's own Docker Desktop or dockerd): start then only checks that it answers.
#
# Images persist in the data-root (default ~/.cache/slipway/test-docker/data), like Go's build
# cache, so a built node image survives between runs. Traffic stays on this machine: the daemon
# listens on a unix socket only, containers use the bridges this daemon creates, and a host
# firewall chain (SLIPWAY-TEST-EGRESS, hooked into Docker's DOCKER-USER) refuses whatever a
# container sends towards any other address. Without it a kind node's packets to a Service IP that
# kube-proxy has not programmed yet leave through the host's default route; on a network with an
# intercepting proxy something answers them (seen: HTTP 404 to the API server's first probe of
# metrics-server, kept on a pooled connection, so the metrics API never became Available).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state="${SLIPWAY_TEST_DOCKER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/slipway/test-docker}"
# exec-root and socket want a short path (unix sockets have a 108-byte limit).
run="${SLIPWAY_TEST_DOCKER_RUN:-/run/slipway-test-docker}"
sock="$run/docker.sock"
pidfile="$run/dockerd.pid"
log="$state/dockerd.log"
host="unix://$sock"

say() { printf '[test-docker] %s\n' "$*" >&2; }

answers() { DOCKER_HOST="$1" docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

ensure_installed() {
  command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1 && return
  say "installing docker.io (Debian)"
  if [ "$(id -u)" != 0 ]; then say "dockerd is missing and installing it needs root: apt-get install docker.io"; exit 1; fi
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io) >/dev/null
}

egress_chain=SLIPWAY-TEST-EGRESS

# Forwarded traffic from this daemon's bridges may go to another of its bridges, nowhere else. A
# TCP reset or an ICMP error makes the sender fail fast (and retry) instead of waiting.
confine_egress() {
  if ! command -v iptables >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
    say "iptables or root is missing: containers' traffic to other addresses is not refused"
    [ "${CI:-}" = true ] && exit 1
    return 0
  fi
  iptables -N DOCKER-USER 2>/dev/null || true
  iptables -N "$egress_chain" 2>/dev/null || iptables -F "$egress_chain"
  local bridge
  for bridge in docker0 'br-+'; do iptables -A "$egress_chain" -o "$bridge" -j RETURN; done
  for bridge in docker0 'br-+'; do
    iptables -A "$egress_chain" -i "$bridge" -p tcp -j REJECT --reject-with tcp-reset
    iptables -A "$egress_chain" -i "$bridge" -j REJECT --reject-with icmp-port-unreachable
  done
  iptables -C DOCKER-USER -j "$egress_chain" 2>/dev/null || iptables -I DOCKER-USER -j "$egress_chain"
}

release_egress() {
  command -v iptables >/dev/null 2>&1 && [ "$(id -u)" = 0 ] || return 0
  while iptables -D DOCKER-USER -j "$egress_chain" 2>/dev/null; do :; done
  if iptables -F "$egress_chain" 2>/dev/null; then iptables -X "$egress_chain" || true; fi
}

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid; pid=$(cat "$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
  if [ "${SLIPWAY_TEST_DOCKER:-private}" = system ]; then
    local h="${DOCKER_HOST:-unix:///var/run/docker.sock}"
    answers "$h" || { say "SLIPWAY_TEST_DOCKER=system but no Docker answers at $h"; exit 1; }
    echo "DOCKER_HOST=$h"; return
  fi
  ensure_installed
  if running_pid >/dev/null && answers "$host"; then confine_egress; echo "DOCKER_HOST=$host"; return; fi
  mkdir -p "$state/data" "$run"
  chmod 0700 "$state" "$run"
  local node; node=$(command -v node)
  local wrapper="$run/runc-wrapper"
  # dockerd runs runtimes with a bare environment: give the wrapper absolute paths.
  printf '#!/bin/sh\nexec %s %s "$@"\n' "$node" "$here/runc-wrapper.mjs" >"$wrapper"
  chmod 0755 "$wrapper"
  cat >"$state/daemon.json" <<JSON
{
  "data-root": "$state/data",
  "exec-root": "$run/exec",
  "pidfile": "$pidfile",
  "hosts": ["$host"],
  "storage-driver": "overlay2",
  "runtimes": { "slipway-test": { "path": "$wrapper" } },
  "default-runtime": "slipway-test",
  "log-level": "warn"
}
JSON
  # A daemon killed without cleanup leaves its pidfile and socket: dockerd refuses to start then.
  rm -f "$pidfile" "$sock"
  say "starting dockerd (data-root $state/data, socket $sock)"
  # setsid: the daemon outlives this script and is stopped by its pid.
  setsid dockerd --config-file "$state/daemon.json" >"$log" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    # dockerd makes DOCKER-USER and its FORWARD hook at start; the chain goes in after that.
    if answers "$host"; then confine_egress; echo "DOCKER_HOST=$host"; return; fi
    if [ -f "$pidfile" ] && ! running_pid >/dev/null; then break; fi
    sleep 0.5
  done
  say "dockerd did not answer within 60 s; its last lines:"
  tail -n 20 "$log" >&2 || true
  exit 1
}

stop() {
  [ "${SLIPWAY_TEST_DOCKER:-private}" = system ] && return
  local pid; pid=$(running_pid) || { say "not running"; release_egress; return 0; }
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || { release_egress; say "stopped"; return 0; }; sleep 0.5; done
  say "dockerd $pid did not stop within 30 s; killing it"
  kill -9 "$pid" 2>/dev/null || true
  release_egress
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) answers "$host" && echo "DOCKER_HOST=$host" ;;
  *) echo "usage: test-docker.sh start|stop|env" >&2; exit 2 ;;
esac
