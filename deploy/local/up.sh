#!/usr/bin/env bash
# Starts CoopMarket's distributed mode on this machine: Redis (append-only), 3 silos and 2 gateways on loopback.
# Returns once every gateway answers /health/ready, or fails (and stops what it started) after READY_TIMEOUT seconds.
#
#   deploy/local/up.sh            # gateways on http://127.0.0.1:5081 and :5082, Redis on 6380
#   deploy/local/down.sh          # stops everything by pid
#
# Settings, all optional: COOPMARKET_RUN_DIR (default deploy/local/.run: pids, logs, Redis data), REDIS_PORT (6380),
# GATEWAY_PORTS ("5081 5082"), SILO_PORT_BASE (11200) and SILO_GATEWAY_PORT_BASE (30200): silo i uses base+i,
# CLUSTER_ID (fresh per run), CONFIGURATION (Debug), READY_TIMEOUT (90), and any ASP.NET Core setting in the
# environment, e.g. Auth__AdminKey=... or Demo__Seed=false, which every process inherits.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
run=${COOPMARKET_RUN_DIR:-$here/.run}
redis_port=${REDIS_PORT:-6380}
gateway_ports=${GATEWAY_PORTS:-"5081 5082"}
silo_base=${SILO_PORT_BASE:-11200}
silo_gateway_base=${SILO_GATEWAY_PORT_BASE:-30200}
configuration=${CONFIGURATION:-Debug}
ready_timeout=${READY_TIMEOUT:-90}
export Orleans__ClusterId=${CLUSTER_ID:-local-$(date +%s)-$$}
export Orleans__Mode=Redis
export ConnectionStrings__Redis=127.0.0.1:$redis_port
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

mkdir -p "$run"
if [ -z "${SKIP_BUILD:-}" ]; then
  dotnet build "$root/src/Silo" -c "$configuration" -v quiet -nologo >"$run/build.log" 2>&1
  dotnet build "$root/src/Gateway" -c "$configuration" -v quiet -nologo >>"$run/build.log" 2>&1
fi
silo_dll=$root/src/Silo/bin/$configuration/net10.0/CoopMarket.Silo.dll
gateway_dir=$root/src/Gateway/bin/$configuration/net10.0

fail() {
  echo "up.sh: $1" >&2
  "$here/down.sh" >/dev/null 2>&1 || true
  exit 1
}

# Redis with the append-only file on, so a restart keeps every acknowledged write.
redis-server --bind 127.0.0.1 --port "$redis_port" --appendonly yes --appendfsync everysec --save "" \
  --dir "$run" --daemonize yes --pidfile "$run/redis.pid" --logfile "$run/redis.log"
for _ in $(seq 1 50); do
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$redis_port" ping >/dev/null 2>&1 || fail "Redis did not start on port $redis_port"

start_silo() {
  local i=$1
  dotnet "$silo_dll" --Orleans:SiloPort=$((silo_base + i)) --Orleans:GatewayPort=$((silo_gateway_base + i)) \
    >>"$run/silo$i.log" 2>&1 &
  echo $! >"$run/silo$i.pid"
}

for i in 1 2 3; do start_silo "$i"; done
# Gateways run from their build folder so they find their appsettings.json.
g=0
for port in $gateway_ports; do
  g=$((g + 1))
  (cd "$gateway_dir" && exec dotnet CoopMarket.Gateway.dll --urls "http://127.0.0.1:$port" >>"$run/gateway$g.log" 2>&1) &
  echo $! >"$run/gateway$g.pid"
done

deadline=$((SECONDS + ready_timeout))
for port in $gateway_ports; do
  until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "gateway on port $port not ready after ${ready_timeout}s (logs in $run)"
    sleep 0.5
  done
done
echo "CoopMarket is up: gateways $(for p in $gateway_ports; do printf 'http://127.0.0.1:%s ' "$p"; done)(run folder $run)"
