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

bash scripts/setup-python.sh airflow
bin="$root/.venvs/airflow/bin"
# standalone starts its components as `airflow ...` processes: the venv must come first on PATH.
export PATH="$bin:$PATH"

export AIRFLOW_HOME="$root/.canopy/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$root/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__API__HOST=${CANOPY_AIRFLOW_HOST:-127.0.0.1}
export AIRFLOW__API__PORT=${CANOPY_AIRFLOW_PORT:-8080}
# Tasks reach the API server through this URL: it must follow the port.
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://$AIRFLOW__API__HOST:$AIRFLOW__API__PORT/execution/"
mkdir -p "$AIRFLOW_HOME" .canopy/dev/models

echo "airflow: preparing $AIRFLOW_HOME (database, connection canopy_redis -> $redis_url)" >&2
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
"$bin/airflow" standalone &
standalone=$!
trap 'kill -TERM "$standalone" 2>/dev/null; wait "$standalone" 2>/dev/null || true' EXIT
trap 'exit 0' INT TERM

for _ in $(seq 1 240); do
  [ -s "$passwords" ] && break
  kill -0 "$standalone" 2>/dev/null || break
  sleep 0.5
done
cat >&2 <<MSG

airflow: UI on http://$AIRFLOW__API__HOST:$AIRFLOW__API__PORT  - log in as admin, password in $passwords
airflow:   $( [ -s "$passwords" ] && cat "$passwords" || echo "(not written yet: see the standalone output above)")
airflow: DAG canopy_hourly_training (paused at first: unpause it in the UI, or: AIRFLOW_HOME=$AIRFLOW_HOME $bin/airflow dags unpause canopy_hourly_training)
airflow: one hour now:  AIRFLOW_HOME=$AIRFLOW_HOME $bin/airflow dags trigger canopy_hourly_training --logical-date 2026-03-04T05:00:00+00:00
airflow: models land in .canopy/dev/models/YYYY/MM/DD/HH/; Ctrl-C stops Airflow
MSG
wait "$standalone"
