"""Canopy: retrain the random forest every hour.

Each run trains the hour of its logical date. The timetable is a data-interval one, so the scheduled run that
starts at 15:00 UTC covers 14:00-15:00, has logical date 14:00 and writes <out>/YYYY/MM/DD/14/ - the
"execution date of the pipeline". A manual run without a logical date trains the hour of its run_after.

Settings (no secrets here):
- Connection `canopy_redis` (type redis): the BullMQ Redis; extra may set `queue` and `prefix`.
- Connection `canopy_aws` (type aws): only for the optional input check; extra `endpoint_url` for a local S3.
- Variables: canopy_data_url, canopy_target, canopy_output_root (required); canopy_training_params and
  canopy_run_options (JSON objects, optional; run options may set a quality gate, e.g.
  {"gate": {"promoteIf": "r2 >= 0.8", "maxRegression": 0.05}}); canopy_fail_on_gate (true/false, default false:
  a held-back run ends skipped); canopy_wait_for_input (true/false, default false).
- canopy_data_url may hold %Y %m %d %H (UTC of the run's hour, e.g. s3://lake/events/%Y/%m/%d/%H/): it reaches the
  workers unchanged, and they read that hour's partition; canopy_window_hours (blank: 1) reads the hour and the
  ones before it; canopy_missing_partitions (error/skip, blank: error) says what an hour without data does
  (docs/data-inputs.md).
- Catchup is off unless the Variable canopy_catchup (or env CANOPY_CATCHUP) is true; CANOPY_START_DATE (ISO)
  sets the first hour, CANOPY_TASK_RETRIES the retries (default 2), CANOPY_POLL_SECONDS the polling period.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from airflow.sdk import DAG, CronDataIntervalTimetable, Variable

from canopy_airflow.operators import CanopyTrainingOperator
from canopy_airflow.sensors import InputObjectSensor

DAG_ID = "canopy_hourly_training"


def _setting(variable: str, env: str, default: str) -> str:
    """A parse-time setting: the environment wins, then the Airflow Variable, then the default."""
    if os.environ.get(env):
        return os.environ[env]
    try:
        return str(Variable.get(variable, default=default))
    except Exception:
        return default


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


CATCHUP = _truthy(_setting("canopy_catchup", "CANOPY_CATCHUP", "false"))
START_DATE = datetime.fromisoformat(os.environ.get("CANOPY_START_DATE", "2026-01-01T00:00:00+00:00"))
RETRIES = int(os.environ.get("CANOPY_TASK_RETRIES", "2"))
POLL_SECONDS = float(os.environ.get("CANOPY_POLL_SECONDS", "10"))

with DAG(
    dag_id=DAG_ID,
    description="Hourly random-forest retraining on the Canopy BullMQ workers",
    doc_md=__doc__,
    schedule=CronDataIntervalTimetable("0 * * * *", timezone="UTC"),
    start_date=START_DATE if START_DATE.tzinfo else START_DATE.replace(tzinfo=UTC),
    catchup=CATCHUP,
    max_active_runs=1,
    default_args={
        "owner": "canopy",
        "retries": RETRIES,
        "retry_delay": timedelta(minutes=5),
    },
    tags=["canopy", "training"],
) as dag:
    wait_for_input = InputObjectSensor(
        task_id="wait_for_input",
        data_url="{{ var.value.canopy_data_url }}",
        enabled="{{ var.value.get('canopy_wait_for_input', 'false') }}",
        aws_conn_id="canopy_aws",
        mode="reschedule",
        poke_interval=60,
        timeout=timedelta(hours=1).total_seconds(),
    )

    train = CanopyTrainingOperator(
        task_id="train",
        data="{{ var.value.canopy_data_url }}",
        target="{{ var.value.canopy_target }}",
        out="{{ var.value.canopy_output_root }}",
        training_params="{{ var.value.get('canopy_training_params', '{}') }}",
        run_options="{{ var.value.get('canopy_run_options', '{}') }}",
        fail_on_gate="{{ var.value.get('canopy_fail_on_gate', 'false') }}",
        window_hours="{{ var.value.get('canopy_window_hours', '') }}",
        missing_partitions="{{ var.value.get('canopy_missing_partitions', '') }}",
        redis_conn_id="canopy_redis",
        poll_interval=POLL_SECONDS,
    )

    wait_for_input >> train
