#!/usr/bin/env bash
# Starts silo N (1, 2, 3, …) of the local cluster in the background: silo port SILO_PORT_BASE+N, gateway port
# SILO_GATEWAY_PORT_BASE+N, pid in silo<N>.pid and log in silo<N>.log of the run folder.
set -euo pipefail
source "$(dirname "$0")/env.sh"
n=${1:?usage: silo.sh N}
nohup dotnet "$silo_dll" --Orleans:SiloPort=$((silo_base + n)) --Orleans:GatewayPort=$((silo_gateway_base + n)) \
  >>"$run/silo$n.log" 2>&1 </dev/null &
remember "silo$n" $!
