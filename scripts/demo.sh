#!/usr/bin/env bash
# npm run demo: sets up what is missing, starts a private Redis and one worker, trains the bundled
# petrol data set for the current hour through the queue into .canopy/demo/models, prints the
# model's location and metrics, and stops everything it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

bash scripts/setup.sh --minimal

state=.canopy/demo
mkdir -p "$state"
pids=()
cleanup() { stop_pids "${pids[@]}"; }
trap cleanup EXIT

start_redis "$state/redis"
pids+=("$REDIS_PID")
echo "demo: Redis on $REDIS_URL"

node apps/worker/dist/src/main.js >"$state/worker.log" 2>&1 &
worker_pid=$!
pids=("$worker_pid" "${pids[@]}")

# --force: re-running the demo within the same hour replaces that hour's model.
node apps/worker/bin/canopy.js enqueue \
  --data data/petrol_consumption.csv \
  --target Petrol_Consumption \
  --out file:.canopy/demo/models \
  --trees 200 \
  --force \
  --wait
echo "demo: worker log in $state/worker.log"
