#!/usr/bin/env bash
# npm run dev: the local stack — Redis (kept in .canopy/dev), two workers and a board without login on loopback —
# until Ctrl-C. It prints what it started and where, and the commands for the next steps (a board with its own
# login, Airflow). `npm run airflow` in another terminal wires Airflow to it (it reads .canopy/dev/redis.url).
# Environment: CANOPY_BOARD_PORT (default 3000) for this board; CANOPY_DEV_WORKERS (default 2); CANOPY_DEV_STATE
# (default .canopy/dev) for its Redis data and logs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

state=${CANOPY_DEV_STATE:-.canopy/dev}
board_port=${CANOPY_BOARD_PORT:-3000}
workers=${CANOPY_DEV_WORKERS:-2}
if ! port_is_free "$board_port"; then
  echo "dev: port $board_port on 127.0.0.1 is already in use (another board, or another program)." >&2
  echo "dev: choose another port for this board:  CANOPY_BOARD_PORT=$((board_port + 10)) npm run dev" >&2
  exit 1
fi

bash scripts/setup.sh --minimal


mkdir -p "$state"
pids=()
cleanup() { echo "dev: stopping"; stop_pids "${pids[@]}"; rm -f "$state/redis.url"; }
trap cleanup EXIT
trap 'exit 0' INT TERM

start_redis "$state/redis"
pids+=("$REDIS_PID")
echo "$REDIS_URL" >"$state/redis.url"

for n in $(seq 1 "$workers"); do
  CANOPY_WORKER_NAME=worker-$n node apps/worker/dist/src/main.js >"$state/worker-$n.log" 2>&1 &
  pids=("$!" "${pids[@]}")
done

node apps/board/dist/src/main.js --insecure-local --port "$board_port" >"$state/board.log" 2>&1 &
board_pid=$!
pids=("$board_pid" "${pids[@]}")
wait_for_http "http://127.0.0.1:$board_port/healthz" "$board_pid" || {
  echo "dev: the board did not start; its log:" >&2
  cat "$state/board.log" >&2
  exit 1
}

cat <<MSG

dev: started (Ctrl-C stops everything)
  Redis     $REDIS_URL   data in $state/redis, also written to $state/redis.url
  workers   $workers, logs in $state/worker-N.log   (tail -f $state/worker-*.log)
  board     http://127.0.0.1:$board_port/   no login (--insecure-local, loopback only); log in $state/board.log

Train the bundled data through the workers (another terminal):
  REDIS_URL=$REDIS_URL npx canopy enqueue --data data/petrol_consumption.csv --target Petrol_Consumption --out .canopy/dev/models --wait

A board with its own login, on this stack (another terminal):
  export REDIS_URL=$REDIS_URL
  export CANOPY_BOARD_USER=operator
  export CANOPY_BOARD_PASSWORD_HASH="\$(npx canopy board hash-password)"
  npx canopy board --port $((board_port + 1))

Airflow wired to this stack (another terminal):
  npm run airflow
MSG
wait
