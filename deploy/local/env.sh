# Shared settings of the deploy/local scripts; every one may be overridden from the environment.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
run=${COOPMARKET_RUN_DIR:-$here/.run}
redis_port=${REDIS_PORT:-6380}
gateway_ports=${GATEWAY_PORTS:-"5081 5082"}
silo_base=${SILO_PORT_BASE:-11200}
silo_gateway_base=${SILO_GATEWAY_PORT_BASE:-30200}
configuration=${CONFIGURATION:-Debug}
silo_dll=$root/src/Silo/bin/$configuration/net10.0/CoopMarket.Silo.dll
gateway_dir=$root/src/Gateway/bin/$configuration/net10.0
export Orleans__Mode=Redis
export ConnectionStrings__Redis=127.0.0.1:$redis_port
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$run"
# One cluster id per run folder: silos restarted later must join the same cluster, and a dead silo of an
# earlier run must not linger in this run's membership table.
[ -f "$run/cluster-id" ] || echo "${CLUSTER_ID:-local-$(date +%s)-$$}" >"$run/cluster-id"
export Orleans__ClusterId=$(cat "$run/cluster-id")
