#!/usr/bin/env bash
# npm run airflow: Airflow 3 (`airflow standalone`: API server + UI, scheduler, dag-processor, triggerer) from
# .venvs/airflow, AIRFLOW_HOME in .canopy/airflow, the dags/ folder wired, and the connections and variables pointing
# at the local stack of `npm run dev` (Redis from .canopy/dev/redis.url, else $REDIS_URL; models in .canopy/dev/models).
# Environment: CANOPY_AIRFLOW_PORT (default 8080), CANOPY_DATA_URL, CANOPY_TARGET, CANOPY_OUTPUT_ROOT,
# CANOPY_TRAINING_PARAMS (JSON) override the variables' first values; REDIS_URL when `npm run dev` is not running.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ -f .canopy/dev/redis.url ]; then
  redis_url=$(cat .canopy/dev/redis.url)
elif [ -n "${REDIS_URL:-}" ]; then
  redis_url=$REDIS_URL
else
  echo "airflow: no Redis to talk to: start the local stack first (npm run dev, which writes .canopy/dev/redis.url) or set REDIS_URL" >&2
  exit 1
fi

echo "airflow: [1/4] Python environment .venvs/airflow (the first time: pip installs Airflow, about a minute)" >&2
bash scripts/setup-python.sh airflow
bin="$root/.venvs/airflow/bin"
# standalone starts its components as `airflow ...` processes: the venv must come first on PATH.
export PATH="$bin:$PATH"

export AIRFLOW_HOME="$root/.canopy/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$root/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__API__HOST=${CANOPY_AIRFLOW_HOST:-127.0.0.1}
export AIRFLOW__API__PORT=${CANOPY_AIRFLOW_PORT:-8080}
# Sized for a small development machine (2 cores): standalone's LocalExecutor otherwise starts one worker per slot
# of core.parallelism (32: 45 processes, ~1.85 GB). Canopy's task defers to the triggerer while the Node workers
# train, so 4 slots are plenty; every setting can be overridden from the environment.
export AIRFLOW__CORE__PARALLELISM=${AIRFLOW__CORE__PARALLELISM:-4}
export AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG=${AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG:-4}
export AIRFLOW__API__WORKERS=${AIRFLOW__API__WORKERS:-1}
export AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES=${AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES:-1}
export AIRFLOW__SCHEDULER__PARSING_PROCESSES=${AIRFLOW__SCHEDULER__PARSING_PROCESSES:-1}
export AIRFLOW__TRIGGERER__CAPACITY=${AIRFLOW__TRIGGERER__CAPACITY:-50}
# Tasks reach the API server through this URL: it must follow the port.
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://$AIRFLOW__API__HOST:$AIRFLOW__API__PORT/execution/"
mkdir -p "$AIRFLOW_HOME" .canopy/dev/models

echo "airflow: [2/4] database and settings in $AIRFLOW_HOME (connection canopy_redis -> $redis_url)" >&2
"$bin/airflow" db migrate >"$AIRFLOW_HOME/db-migrate.log" 2>&1 || { cat "$AIRFLOW_HOME/db-migrate.log" >&2; exit 1; }

# The Redis connection follows the dev stack (its port changes every run); the variables keep what you set in the UI.
REDIS_URL=$redis_url "$bin/python" - "$AIRFLOW_HOME" "$root" <<'PY'
import json, os, sys
from urllib.parse import urlsplit, unquote
home, root = sys.argv[1], sys.argv[2]
url = urlsplit(os.environ["REDIS_URL"])
conn = {"conn_type": "redis", "host": url.hostname or "127.0.0.1", "port": url.port or 6379,
        "schema": (url.path or "/0").lstrip("/") or "0", "description": "BullMQ Redis of the Canopy workers (npm run dev)"}
if url.username: conn["login"] = unquote(url.username)
if url.password: conn["password"] = unquote(url.password)
if url.scheme == "rediss": conn["extra"] = json.dumps({"ssl": True})
json.dump({"canopy_redis": conn}, open(f"{home}/connections.json", "w"), indent=2)
variables = {
    "canopy_data_url": os.environ.get("CANOPY_DATA_URL") or f"file://{root}/data/petrol_consumption.csv",
    "canopy_target": os.environ.get("CANOPY_TARGET") or "Petrol_Consumption",
    "canopy_output_root": os.environ.get("CANOPY_OUTPUT_ROOT") or f"file://{root}/.canopy/dev/models",
    "canopy_training_params": os.environ.get("CANOPY_TRAINING_PARAMS") or json.dumps({"nEstimators": 100, "seed": 0}),
    "canopy_run_options": "{}",
    "canopy_wait_for_input": "false",
}
json.dump(variables, open(f"{home}/variables.json", "w"), indent=2)
PY
"$bin/airflow" connections import --overwrite "$AIRFLOW_HOME/connections.json" >/dev/null
"$bin/airflow" variables import -a skip "$AIRFLOW_HOME/variables.json" >/dev/null
rm -f "$AIRFLOW_HOME/connections.json"

passwords="$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated"
log="$AIRFLOW_HOME/standalone.log"
url="http://$AIRFLOW__API__HOST:$AIRFLOW__API__PORT"
echo "airflow: [3/4] starting Airflow (API server and UI, scheduler, dag-processor, triggerer); its logs: $log" >&2
"$bin/airflow" standalone >"$log" 2>&1 &
standalone=$!
trap 'kill -TERM "$standalone" 2>/dev/null; wait "$standalone" 2>/dev/null || true' EXIT
trap 'exit 0' INT TERM

echo "airflow: [4/4] waiting for the UI at $url (30-90 s on a small machine)" >&2
ready=false
for _ in $(seq 1 360); do
  if ! kill -0 "$standalone" 2>/dev/null; then break; fi
  if [ -s "$passwords" ] && "$bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$url/api/v2/monitor/health" 2>/dev/null; then
    ready=true
    break
  fi
  sleep 0.5
done
if ! "$ready"; then
  echo "airflow: Airflow did not come up; the last lines of $log:" >&2
  tail -n 30 "$log" >&2
  exit 1
fi
password=$("$bin/python" -c 'import json, sys; print(next(iter(json.load(open(sys.argv[1])).values())))' "$passwords" 2>/dev/null || cat "$passwords")
cat >&2 <<MSG

airflow: ready
  UI        $url   user admin, password $password   (kept in $passwords)
  DAG       canopy_hourly_training: paused at first; unpause it in the UI, or:
              AIRFLOW_HOME=$AIRFLOW_HOME $bin/airflow dags unpause canopy_hourly_training
  one hour  AIRFLOW_HOME=$AIRFLOW_HOME $bin/airflow dags trigger canopy_hourly_training --logical-date 2026-03-04T05:00:00+00:00
  models    .canopy/dev/models/YYYY/MM/DD/HH/
  logs      $log   (tail -f it to follow the scheduler and the tasks)
  Ctrl-C stops Airflow
MSG
wait "$standalone"
