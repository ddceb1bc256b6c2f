#!/usr/bin/env bash
# Stops what deploy/local/up.sh started, by the pids in its run folder: gateways and silos gracefully
# (SIGTERM, then SIGKILL after 15 s), then Redis. A pid whose process has exited, or now belongs to another
# process, is left alone.
set -uo pipefail
source "$(dirname "$0")/env.sh"

stop() {
  local name=$1 pid
  if ours "$name"; then
    pid=$(cat "$run/$name.pid")
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 150); do
      ours "$name" || break
      sleep 0.1
    done
    ours "$name" && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$run/$name.pid" "$run/$name.started"
}

for f in "$run"/gateway*.pid "$run"/silo*.pid; do
  [ -e "$f" ] && stop "$(basename "$f" .pid)" &
done
wait
stop redis
rm -f "$run/cluster-id"
echo "CoopMarket is down (run folder $run)"
