"""`airflow dags test` with a templated `canopy_data_url`: the run of an hour trains that hour's partition.

Real Airflow (subprocess), Redis, moto's S3 server and the Node worker, as in test_airflow_run.py.
"""

from __future__ import annotations

import gzip
import json
import os

from canopy_stack import ROOT
from test_airflow_run import AIRFLOW, DAG_ID, dag_run_of, run_watching_worker

PARTITIONS = "events"
#: The hours that have data: 04, 05 and 06 of 2026-03-05, two gzip part files each and a _SUCCESS marker.
HOURS = ("04", "05", "06")


def write_partitions(stack) -> list[str]:
    """Splits the sample's 48 rows into 3 hours x 2 parts of 8 rows; returns the keys of hour 05's parts."""
    client, bucket = stack.s3["client"], stack.s3["bucket"]
    header, *rows = (ROOT / "data" / "petrol_consumption.csv").read_text().strip().splitlines()
    keys: list[str] = []
    for h, hour in enumerate(HOURS):
        for part in range(2):
            lines = rows[h * 16 + part * 8 : h * 16 + part * 8 + 8]
            key = f"{PARTITIONS}/2026/03/05/{hour}/part-{part:05d}.csv.gz"
            client.put_object(Bucket=bucket, Key=key, Body=gzip.compress(("\n".join([header, *lines]) + "\n").encode()))
            if hour == "05":
                keys.append(key)
        client.put_object(Bucket=bucket, Key=f"{PARTITIONS}/2026/03/05/{hour}/_SUCCESS", Body=b"")
    return keys


def dags_test_templated(stack, logical_date: str, variables: dict[str, str]):
    bucket = stack.s3["bucket"]
    env = {
        **os.environ,
        "AIRFLOW_CONN_CANOPY_REDIS": f"{stack.redis_url}/0",
        "AIRFLOW_CONN_CANOPY_AWS": json.dumps(
            {
                "conn_type": "aws",
                "login": "testing",
                "password": "testing",
                "extra": {"endpoint_url": stack.s3["endpoint"], "region_name": "us-east-1"},
            }
        ),
        # The template as the Variable holds it: Airflow renders `{{ var.value.canopy_data_url }}`, never the %s.
        "AIRFLOW_VAR_CANOPY_DATA_URL": f"s3://{bucket}/{PARTITIONS}/%Y/%m/%d/%H/",
        "AIRFLOW_VAR_CANOPY_TARGET": "Petrol_Consumption",
        "AIRFLOW_VAR_CANOPY_OUTPUT_ROOT": f"s3://{bucket}/partition-models",
        "AIRFLOW_VAR_CANOPY_TRAINING_PARAMS": json.dumps({"nEstimators": 8, "seed": 7}),
        "AIRFLOW_VAR_CANOPY_RUN_OPTIONS": json.dumps({"treesPerShard": 4}),
        "AIRFLOW_VAR_CANOPY_WAIT_FOR_INPUT": "true",
        "CANOPY_TASK_RETRIES": "0",
        "CANOPY_POLL_SECONDS": "1",
        **variables,
    }
    done = run_watching_worker([str(AIRFLOW), "dags", "test", DAG_ID, logical_date], env, stack)
    artifacts = ROOT / ".artifacts" / "dags"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / f"dags-test-partition-{logical_date[:13]}.log").write_text(done.stdout + "\n--- stderr ---\n" + done.stderr)
    return done


def manifest_of(stack, hour_path: str):
    client, bucket = stack.s3["client"], stack.s3["bucket"]
    return json.loads(client.get_object(Bucket=bucket, Key=f"partition-models/{hour_path}/manifest.json")["Body"].read())


def test_a_templated_data_url_trains_the_partition_of_the_runs_hour(airflow_db, stack):
    hour_05 = write_partitions(stack)
    done = dags_test_templated(stack, "2026-03-05T05:00:00+00:00", {})
    log = done.stdout + done.stderr
    bucket = stack.s3["bucket"]
    assert done.returncode == 0, f"{log[-6000:]}\n--- worker ---\n{stack.worker.output()[-3000:]}"
    assert f"Waiting for the input prefix of the hour s3://{bucket}/{PARTITIONS}/2026/03/05/05/" in log, log[-6000:]
    manifest = manifest_of(stack, "2026/03/05/05")
    inputs = manifest["inputs"]
    assert inputs["data"] == f"s3://{bucket}/{PARTITIONS}/%Y/%m/%d/%H/", "the request keeps the template as written"
    assert [file["url"] for file in inputs["files"]] == [f"s3://{bucket}/{key}" for key in hour_05]
    assert [file["rows"] for file in inputs["files"]] == [8, 8]
    assert inputs["hours"] == [{"hour": "2026-03-05T05:00:00.000Z", "url": f"s3://{bucket}/{PARTITIONS}/2026/03/05/05/", "files": 2}]
    assert inputs["skipped"] == [f"s3://{bucket}/{PARTITIONS}/2026/03/05/05/_SUCCESS"]
    _, states = dag_run_of("2026-03-05T05:00:00+00:00")
    assert states == {"wait_for_input": "success", "train": "success"}


def test_the_window_variables_read_the_hours_before_and_a_missing_one_fails_or_is_skipped(airflow_db, stack):
    write_partitions(stack)
    # 07 has no partition: a 4-hour window ending at 07 fails naming it, unless missing partitions are skipped.
    failed = dags_test_templated(
        stack, "2026-03-05T07:00:00+00:00", {"AIRFLOW_VAR_CANOPY_WINDOW_HOURS": "4", "AIRFLOW_VAR_CANOPY_WAIT_FOR_INPUT": "false"}
    )
    log = failed.stdout + failed.stderr
    failure = [line for line in log.splitlines() if "Canopy run 2026030507 failed:" in line]
    assert failure, f"no failure line in the task log:\n{log[-6000:]}"
    assert "no input for the hour 2026-03-05T07" in failure[0] and f"{PARTITIONS}/2026/03/05/07/" in failure[0], failure[0]

    skipped = dags_test_templated(
        stack,
        "2026-03-05T08:00:00+00:00",
        {
            "AIRFLOW_VAR_CANOPY_WINDOW_HOURS": "5",
            "AIRFLOW_VAR_CANOPY_MISSING_PARTITIONS": "skip",
            "AIRFLOW_VAR_CANOPY_WAIT_FOR_INPUT": "false",
        },
    )
    assert skipped.returncode == 0, (skipped.stdout + skipped.stderr)[-6000:]
    inputs = manifest_of(stack, "2026/03/05/08")["inputs"]
    assert inputs["windowHours"] == 5 and inputs["missingPartitions"] == "skip"
    assert [(hour["hour"][11:13], hour["files"], hour.get("missing", False)) for hour in inputs["hours"]] == [
        ("04", 2, False),
        ("05", 2, False),
        ("06", 2, False),
        ("07", 0, True),
        ("08", 0, True),
    ]
    assert inputs["rows"] == 48
