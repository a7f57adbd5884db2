#!/usr/bin/env bash
# npm run dev: the local stack — Redis (kept in .canopy/dev), two workers and the board — until Ctrl-C.
# `npm run airflow` in another terminal wires Airflow to it (it reads .canopy/dev/redis.url).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

bash scripts/setup.sh --minimal

state=.canopy/dev
mkdir -p "$state"
pids=()
cleanup() { echo "dev: stopping"; stop_pids "${pids[@]}"; rm -f "$state/redis.url"; }
trap cleanup EXIT
trap 'exit 0' INT TERM

start_redis "$state/redis"
pids+=("$REDIS_PID")
echo "$REDIS_URL" >"$state/redis.url"
echo "dev: Redis on $REDIS_URL (also in $state/redis.url)"

for n in 1 2; do
  CANOPY_WORKER_NAME=worker-$n node apps/worker/dist/src/main.js &
  pids=("$!" "${pids[@]}")
done

board_port=${CANOPY_BOARD_PORT:-3000}
node apps/board/dist/src/main.js --insecure-local --port "$board_port" &
pids=("$!" "${pids[@]}")

echo "dev: board on http://127.0.0.1:$board_port (loopback only, no login: --insecure-local)"
echo "dev: try  REDIS_URL=$REDIS_URL npx canopy enqueue --data data/petrol_consumption.csv --target Petrol_Consumption --out file:.canopy/dev/models --wait"
echo "dev: Ctrl-C stops everything"
wait
