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
# A gateway in Redis mode refuses to start without an admin key and a key secret: a run folder makes its own once,
# so its gateways share them across restarts (the admin key is in $run/admin-key). The environment's own win.
( umask 077
  [ -f "$run/key-secret" ] || head -c 32 /dev/urandom | base64 >"$run/key-secret"
  [ -f "$run/admin-key" ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$run/admin-key" )
export Auth__KeySecret=${Auth__KeySecret:-$(cat "$run/key-secret")}
export Auth__AdminKey=${Auth__AdminKey:-$(cat "$run/admin-key")}

# Records a process this folder's scripts started: its pid, and its start time (in clock ticks since boot), so that a
# later stop or crash never signals another process that was given the same pid after ours exited.
remember() {
  echo "$2" >"$run/$1.pid"
  started_at "$2" >"$run/$1.started"
}

# True when the process recorded as $1 is still running and is the one that was started.
ours() {
  local pid
  pid=$(cat "$run/$1.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(started_at "$pid")" = "$(cat "$run/$1.started" 2>/dev/null)" ]
}

# Field 22 of /proc/PID/stat, counted after the command name, which may itself hold spaces; nothing for a process
# that has exited (a zombie waiting for its parent has exited too).
started_at() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }
  echo "$stat" | awk '$1 != "Z" {print $20}'
}
