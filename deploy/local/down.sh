#!/usr/bin/env bash
# Stops what deploy/local/up.sh started, by the pids in its run folder: gateways and silos gracefully
# (SIGTERM, then SIGKILL after 15 s), then Redis.
set -uo pipefail
run=${COOPMARKET_RUN_DIR:-$(cd "$(dirname "$0")" && pwd)/.run}

stop() {
  local pidfile=$1 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 150); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

for f in "$run"/gateway*.pid "$run"/silo*.pid; do
  [ -e "$f" ] && stop "$f" &
done
wait
stop "$run/redis.pid"
rm -f "$run/cluster-id"
echo "CoopMarket is down (run folder $run)"
