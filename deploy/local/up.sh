#!/usr/bin/env bash
# Starts CoopMarket's distributed mode on this machine: Redis (append-only), 3 silos and 2 gateways on loopback.
# Returns once every gateway answers /health/ready, or fails (and stops what it started) after READY_TIMEOUT seconds.
# Run it again after a crash (even a kill -9 of everything): the run folder keeps the Redis data and the cluster id,
# the silos come back on their old endpoints and the gateways wait for them.
#
#   deploy/local/up.sh            # gateways on http://127.0.0.1:5081 and :5082, Redis on 6380
#   deploy/local/down.sh          # stops everything by pid
#
# Settings, all optional: COOPMARKET_RUN_DIR (default deploy/local/.run: pids, logs, Redis data), REDIS_PORT (6380),
# GATEWAY_PORTS ("5081 5082"), SILO_PORT_BASE (11200) and SILO_GATEWAY_PORT_BASE (30200), to which silo N adds N,
# CLUSTER_ID (fresh per run folder), CONFIGURATION (Debug), READY_TIMEOUT (90), SKIP_BUILD (set: use what is built),
# and any ASP.NET Core setting, e.g. Auth__AdminKey=... or Demo__Seed=false, which every process inherits.
set -euo pipefail
source "$(dirname "$0")/env.sh"
ready_timeout=${READY_TIMEOUT:-90}

if [ -z "${SKIP_BUILD:-}" ]; then
  dotnet build "$root/src/Silo" -c "$configuration" -v quiet -nologo >"$run/build.log" 2>&1
  dotnet build "$root/src/Gateway" -c "$configuration" -v quiet -nologo >>"$run/build.log" 2>&1
fi

fail() {
  echo "up.sh: $1" >&2
  "$here/down.sh" >/dev/null 2>&1 || true
  exit 1
}

"$here/redis.sh" || fail "Redis did not start"
for n in 1 2 3; do "$here/silo.sh" "$n"; done
g=0
for _ in $gateway_ports; do
  g=$((g + 1))
  "$here/gateway.sh" "$g"
done

deadline=$((SECONDS + ready_timeout))
for port in $gateway_ports; do
  until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "gateway on port $port not ready after ${ready_timeout}s (logs in $run)"
    sleep 0.5
  done
done
echo "CoopMarket is up: gateways $(for p in $gateway_ports; do printf 'http://127.0.0.1:%s ' "$p"; done)(run folder $run)"
