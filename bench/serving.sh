#!/usr/bin/env bash
# Requests per second of the embedded server (`sutiao serve`: uvicorn, one worker, SQLite with
# the demo data) on loopback, with wrk: a no-database endpoint, a database read through the
# API, and a server-rendered page. Usage: bench/serving.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-10}"
DIR="$(mktemp -d)"
PORT=8799
export SUTIAO_DATA_DIR="$DIR" SUTIAO_DATABASE_URL="sqlite:///$DIR/db.sqlite3"
.venv/bin/sutiao migrate -v 0 && .venv/bin/sutiao demo >/dev/null
run() {  # $1 = label, rest = server command
  local label="$1"; shift
  "$@" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  for path in /healthz /api/v1/courts /institutions/; do
    rps=$(wrk -t2 -c16 -d"${SECS}s" "http://127.0.0.1:$PORT$path" | awk '/Requests\/sec/ {print $2}')
    lat=$(wrk -t1 -c1 -d3s --latency "http://127.0.0.1:$PORT$path" | awk '/50%/ {print $2}')
    printf "%-34s %-18s %10s req/s   p50 (1 conn) %s\n" "$label" "$path" "$rps" "$lat"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
run "sutiao serve (uvicorn[standard])" .venv/bin/sutiao serve --port $PORT --no-scheduler
run "uvicorn plain h11+asyncio" .venv/bin/uvicorn sutiao.asgi:application --port $PORT \
    --http h11 --loop asyncio --log-level warning
rm -rf "$DIR"
