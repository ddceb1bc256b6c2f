#!/usr/bin/env bash
# The load benchmark of issue 9: builds Release, starts a gateway (and in Redis mode a Redis and a silo) on loopback
# and free ports, drives it with bench/LoadGen — the floor endpoint, then the market, then the floor again — and stops
# exactly what it started. Every phase gets fresh processes, so one phase's history never slows the next. The floor is
# measured on both sides of the market because the machine is shared: the pair shows how far the machine moved meanwhile.
#
#   bench/run-load.sh            # embedded mode: the gateway co-hosts the silo, state in memory
#   bench/run-load.sh redis      # Redis mode: redis-server in a temp dir, SILOS silos (1), the gateway as a client
#
# Settings (environment, all optional): PHASES ("requests mix" embedded, "requests" redis; each is a fresh cluster),
# COUNT (100000 commands a market phase), DURATION (600: seconds cap of a market phase), FLOOR_COUNT (100000),
# FLOOR_DURATION (60), CONCURRENCY (32), SILOS (Redis mode: how many silo processes, 1), REDIS_FSYNC (always, as
# deploy/local runs it; or everysec), OUT (folder for the logs, default a temp dir), SKIP_BUILD (set: use what is built),
# LOADGEN_ARGS (passed to every LoadGen run).
# Rate limits are raised through configuration (RateLimits:*), never by changing code.
set -euo pipefail
mode=${1:-embedded}
case "$mode" in embedded) default_phases="requests mix" ;; redis) default_phases="requests" ;;
  *) echo "usage: $0 [embedded|redis]" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
phases=${PHASES:-$default_phases}
count=${COUNT:-100000}
duration=${DURATION:-600}
floor_count=${FLOOR_COUNT:-100000}
floor_duration=${FLOOR_DURATION:-60}
concurrency=${CONCURRENCY:-32}
silos=${SILOS:-1}
out=${OUT:-$(mktemp -d -t coopmarket-load-XXXXXX)}
mkdir -p "$out"
admin_key=bench-admin-$RANDOM$RANDOM
key_secret=bench-key-secret-$(python3 -c 'import secrets; print(secrets.token_hex(16))')
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

started=()   # pids of every process this script started, stopped on exit whatever happens
stop_started() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  started=()
}
trap stop_started EXIT
trap 'exit 143' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "building Release (log: $out/build.log)"
  dotnet build "$root/src/Gateway" -c Release -nologo -v quiet >"$out/build.log" 2>&1
  dotnet build "$root/bench/LoadGen" -c Release -nologo -v quiet >>"$out/build.log" 2>&1
  [ "$mode" = redis ] && dotnet build "$root/src/Silo" -c Release -nologo -v quiet >>"$out/build.log" 2>&1
fi
gateway_dir=$root/src/Gateway/bin/Release/net10.0
loadgen=$root/bench/LoadGen/bin/Release/net10.0/CoopMarket.LoadGen.dll
silo_dll=$root/src/Silo/bin/Release/net10.0/CoopMarket.Silo.dll

wait_ready() {
  local url=$1 log=$2
  for _ in $(seq 1 240); do
    curl -fs "$url/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "not ready after 120 s; log: $log" >&2
  return 1
}

start_cluster() {
  local phase=$1 cluster=bench-$phase-$$-$RANDOM
  local http_port; http_port=$(free_port)
  local settings=(--Orleans:ClusterId="$cluster" --Auth:AdminKey="$admin_key" --Demo:Seed=false --Bench:FloorEndpoint=true
    --RateLimits:PermitsPerMinute=1000000000 --RateLimits:AnonymousPermitsPerMinute=1000000000)
  if [ "$mode" = redis ]; then
    local redis_port; redis_port=$(free_port)
    mkdir -p "$out/redis-$phase"
    redis-server --bind 127.0.0.1 --port "$redis_port" --appendonly yes --appendfsync "${REDIS_FSYNC:-always}" --save "" \
      --dir "$out/redis-$phase" --daemonize yes --pidfile "$out/redis-$phase/redis.pid" --logfile "$out/redis-$phase/redis.log"
    for _ in $(seq 1 100); do [ -s "$out/redis-$phase/redis.pid" ] && redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    started+=("$(cat "$out/redis-$phase/redis.pid")")
    # A Redis-mode gateway refuses to start without a key secret (one per run here, shared by the silo and the gateway).
    settings+=(--Orleans:Mode=Redis --ConnectionStrings:Redis="127.0.0.1:$redis_port" --Auth:KeySecret="$key_secret")
    local silo
    for silo in $(seq 1 "$silos"); do
      (cd "$(dirname "$silo_dll")" && exec dotnet "$silo_dll" "${settings[@]}" --Orleans:SiloPort="$(free_port)" \
        --Orleans:GatewayPort="$(free_port)" >"$out/silo-$phase-$silo.log" 2>&1 </dev/null) &
      started+=("$!")
    done
  else
    settings+=(--Orleans:Mode=Embedded --Orleans:SiloPort="$(free_port)" --Orleans:GatewayPort="$(free_port)")
  fi
  # The gateway runs from its build folder so it finds its appsettings.json.
  (cd "$gateway_dir" && exec dotnet CoopMarket.Gateway.dll --urls "http://127.0.0.1:$http_port" "${settings[@]}" \
    >"$out/gateway-$phase.log" 2>&1 </dev/null) &
  started+=("$!")
  gateway=http://127.0.0.1:$http_port
  wait_ready "$gateway" "$out/gateway-$phase.log"
}

# CPU time (user + system, in clock ticks) used so far by every process this script started: the server side only.
cpu_ticks() {
  local total=0 pid
  for pid in "${started[@]}"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0))); done
  echo "$total"
}

# The same, one figure per process ("redis=… silo=… gateway=…" ticks), so a change to one process shows in its own figure.
cpu_ticks_by_process() {
  local pid name
  for pid in "${started[@]}"; do
    case "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" in *Silo.dll*) name=silo ;; *Gateway.dll*) name=gateway ;; *) name=redis ;; esac
    echo "$name $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)"
  done | awk '{ t[$1] += $2 } END { for (n in t) printf "%s=%d ", n, t[n] }'
}

loadgen() { # phase name, LoadGen arguments...
  local name=$1; shift
  echo "== $mode $name: dotnet $loadgen --url $gateway $*" | tee "$out/$name.txt"
  local before; before=$(cpu_ticks)
  local by_process_before; by_process_before=$(cpu_ticks_by_process)
  # shellcheck disable=SC2086
  # --server-pids: each window then reports the server's CPU per command, the figure that shows a cost growing over a
  # long run whatever the other engineers' work does to throughput.
  COOPMARKET_ADMIN_KEY=$admin_key dotnet "$loadgen" --url "$gateway" --concurrency "$concurrency" \
    --server-pids "$(IFS=,; echo "${started[*]}")" "$@" ${LOADGEN_ARGS:-} | tee -a "$out/$name.txt"
  # Throughput on a shared machine says as much about the other engineers' builds as about the market; the server's CPU
  # time per command does not, so it is reported beside it (set-up included for market phases: a few hundred commands).
  awk -v ticks=$(($(cpu_ticks) - before)) -v hz="$(getconf CLK_TCK)" -v n="$(result "$name" commands)" \
    'BEGIN { printf "CPU server_ms_per_command=%.3f (server CPU %.1f s for %d commands)\n", 1000 * ticks / hz / n, ticks / hz, n }' | tee -a "$out/$name.txt"
  echo "$by_process_before" "$(cpu_ticks_by_process)" | awk -v hz="$(getconf CLK_TCK)" -v n="$(result "$name" commands)" '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] in first) { d[kv[1]] = kv[2] - first[kv[1]] } else { first[kv[1]] = kv[2] } } }
    END { printf "CPU by process, ms per command:"; for (p in d) printf " %s=%.3f", p, 1000 * d[p] / hz / n; printf "\n" }' | tee -a "$out/$name.txt"
}

result() { sed -n 's/^RESULT .* '"$2"'=\([0-9.]*\).*/\1/p' "$out/$1.txt"; }
cpu_ms() { sed -n 's/^CPU server_ms_per_command=\([0-9.]*\).*/\1/p' "$out/$1.txt"; }

# The machine is shared: sample its load average through the run, so every figure can be read against it.
(while sleep 15; do echo "$(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; done >"$out/loadavg.txt") &
sampler=$!
# INT and TERM must also exit: a trap that only cleaned up let an interrupted run go on to its next phase.
trap 'kill "$sampler" 2>/dev/null || true; stop_started' EXIT
trap 'exit 143' INT TERM
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/Mem:/ {print $2}') GiB; logs in $out"
for phase in $phases; do
  case "$phase" in requests) flag=--requests-only ;; mix) flag="" ;; *) echo "unknown phase $phase" >&2; exit 2 ;; esac
  start_cluster "$phase"
  loadgen "$phase-floor" --floor --count "$floor_count" --duration "$floor_duration"
  # shellcheck disable=SC2086
  loadgen "$phase" $flag --count "$count" --duration "$duration"
  loadgen "$phase-floor-after" --floor --count "$floor_count" --duration "$floor_duration"
  stop_started
  floor=$(result "$phase-floor" median_window); after=$(result "$phase-floor-after" median_window); market=$(result "$phase" median_window)
  share() { awk -v m="$market" -v f="$1" 'BEGIN { printf "%.1f", 100 * m / f }'; }
  echo "== $mode $phase: median window $market/s; floor $floor/s before, $after/s after = $(share "$floor") % / $(share "$after") % of the floor; last/first window $(result "$phase" last_over_first)" | tee -a "$out/summary.txt"
  echo "== $mode $phase: server CPU per command $(cpu_ms "$phase") ms; floor $(cpu_ms "$phase-floor") ms before, $(cpu_ms "$phase-floor-after") ms after" | tee -a "$out/summary.txt"
done
echo "== load average (1 min) during the run, min / median / max: $(awk '{ print $2 }' "$out/loadavg.txt" | sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%s / %s / %s (%d samples)", v[1], v[int((NR + 1) / 2)], v[NR], NR }')" | tee -a "$out/summary.txt"
echo "logs and outputs: $out"
