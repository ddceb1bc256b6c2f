#!/usr/bin/env bash
# Starts gateway N (1, 2, …) of the local cluster in the background on the Nth port of GATEWAY_PORTS: pid in
# gateway<N>.pid and log in gateway<N>.log of the run folder. It may start before the silos: it answers /health/live
# at once and /health/ready once it has joined the cluster.
set -euo pipefail
source "$(dirname "$0")/env.sh"
n=${1:?usage: gateway.sh N}
read -r -a ports <<<"$gateway_ports"
port=${ports[$((n - 1))]:?no port for gateway $n in GATEWAY_PORTS}
# Run from the build folder, so the gateway finds its appsettings.json.
cd "$gateway_dir"
nohup dotnet CoopMarket.Gateway.dll --urls "http://127.0.0.1:$port" >>"$run/gateway$n.log" 2>&1 </dev/null &
remember "gateway$n" $!
