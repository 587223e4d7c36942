#!/usr/bin/env bash
# Load on `podium serve` while it rebuilds: wrk for DURATION seconds against
# a page while a notice is edited every 0.3 s. Loopback only.
# usage: scripts/serve-load.sh PODIUM_BINARY PROJECT_COPY SITE NOTICE_FILE [DURATION]
set -euo pipefail
bin=$1 project=$2 site=$3 notice=$4 duration=${5:-5}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --root "$project" --port "$port" > /tmp/podium-load.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
slug=$(basename "$notice"); slug=${slug%%.*}
( end=$((SECONDS + duration)); i=0; while [ $SECONDS -lt $end ]; do i=$((i + 1)); echo "load edit $i" >> "$project/$notice"; sleep 0.3; done ) &
wrk -t2 -c8 -d"${duration}s" --latency "http://127.0.0.1:$port/$site/notices/$slug/"
wait %2 2>/dev/null || true
echo "rebuilds during the run: $(grep -c '^rebuilt' /tmp/podium-load.log)"
