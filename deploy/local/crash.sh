#!/usr/bin/env bash
# Crashes the local cluster: kill -9 of every process up.sh started (gateways, silos and Redis) at once, as a power
# cut would, and waits until they are gone. The run folder keeps the Redis data and the cluster id: up.sh, or redis.sh,
# silo.sh and gateway.sh one by one, start it again.
set -uo pipefail
source "$(dirname "$0")/env.sh"

names=()
for f in "$run"/*.pid; do
  name=$(basename "$f" .pid)
  if ours "$name"; then
    kill -KILL "$(cat "$f")" 2>/dev/null && names+=("$name")
  fi
done
for name in "${names[@]}"; do
  while ours "$name"; do sleep 0.05; done
done
echo "crashed: ${names[*]:-nothing was running}"
