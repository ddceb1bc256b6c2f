#!/usr/bin/env bash
# Starts the local cluster's Redis (append-only file, fsync on every write, so a restart loses no acknowledged
# write), or starts it again after a stop: the data in the run folder is kept.
set -euo pipefail
source "$(dirname "$0")/env.sh"
redis-server --bind 127.0.0.1 --port "$redis_port" --appendonly yes --appendfsync always --save "" \
  --dir "$run" --daemonize yes --pidfile "$run/redis.pid" --logfile "$run/redis.log"
for _ in $(seq 1 100); do
  if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    remember redis "$(cat "$run/redis.pid")"
    exit 0
  fi
  sleep 0.1
done
echo "redis.sh: Redis did not start on port $redis_port" >&2
exit 1
