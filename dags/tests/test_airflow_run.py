"""`airflow dags test canopy_hourly_training <logical date>` in a real Airflow (subprocess) against a real Redis,
the Node worker and moto's S3 server: the hour's model lands in <root>/YYYY/MM/DD/HH/, failures name the reason."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time

import pytest
from canopy_stack import ROOT

AIRFLOW = ROOT / ".venvs" / "airflow" / "bin" / "airflow"
DAG_ID = "canopy_hourly_training"


def dags_test(
    stack, logical_date: str, *, data_key: str, out_prefix: str, wait_for_input: bool, retries: int = 0, timeout: float = 600
) -> subprocess.CompletedProcess:
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
        "AIRFLOW_VAR_CANOPY_DATA_URL": f"s3://{bucket}/{data_key}",
        "AIRFLOW_VAR_CANOPY_TARGET": "Petrol_Consumption",
        "AIRFLOW_VAR_CANOPY_OUTPUT_ROOT": f"s3://{bucket}/{out_prefix}",
        "AIRFLOW_VAR_CANOPY_TRAINING_PARAMS": json.dumps({"nEstimators": 16, "seed": 7}),
        "AIRFLOW_VAR_CANOPY_RUN_OPTIONS": json.dumps({"treesPerShard": 4}),
        "AIRFLOW_VAR_CANOPY_WAIT_FOR_INPUT": "true" if wait_for_input else "false",
        # A failed run must fail the task now, not after the DAG's retry delay (unless the test asks for retries).
        "CANOPY_TASK_RETRIES": str(retries),
        "CANOPY_POLL_SECONDS": "1",
    }
    done = run_watching_worker([str(AIRFLOW), "dags", "test", DAG_ID, logical_date], env, stack, timeout=timeout)
    # Kept as a test artifact: the whole Airflow output of the run.
    artifacts = ROOT / ".artifacts" / "dags"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / f"dags-test-{logical_date[:13]}.log").write_text(done.stdout + "\n--- stderr ---\n" + done.stderr)
    return done


def run_watching_worker(argv: list[str], env: dict[str, str], stack, timeout: float = 600) -> subprocess.CompletedProcess:
    """Runs the command, but stops it at once should the Node worker die: a deferred task would wait forever."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=err, text=True, cwd=ROOT, start_new_session=True)
        deadline = time.monotonic() + timeout
        try:
            while process.poll() is None:
                if stack.worker.process.poll() is not None or time.monotonic() > deadline:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                    out.seek(0)
                    why = "the Node worker exited" if stack.worker.process.poll() is not None else f"no end within {timeout}s"
                    pytest.fail(f"{why}; airflow output:\n{out.read()[-4000:]}\n--- worker ---\n{stack.worker.output()[-4000:]}")
                time.sleep(0.5)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(argv, process.returncode, out.read(), err.read())


def dag_run_of(logical_date: str):
    """The DAG run with that logical date, read from the Airflow database the subprocess wrote."""
    from datetime import datetime

    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session

    with create_session() as session:
        runs = session.query(DagRun).filter(DagRun.dag_id == DAG_ID, DagRun.logical_date == datetime.fromisoformat(logical_date)).all()
        assert len(runs) == 1, f"{len(runs)} DAG runs with logical date {logical_date}"
        run = runs[0]
        states = {ti.task_id: ti.state for ti in run.get_task_instances(session=session)}
        return run.run_id, states


def try_numbers_of(logical_date: str) -> dict[str, int]:
    from datetime import datetime

    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session

    with create_session() as session:
        run = session.query(DagRun).filter(DagRun.dag_id == DAG_ID, DagRun.logical_date == datetime.fromisoformat(logical_date)).one()
        return {ti.task_id: ti.try_number for ti in run.get_task_instances(session=session)}


def xcom_of(run_id: str, task_id: str):
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as session:
        row = (
            session.query(XComModel)
            .filter(XComModel.dag_id == DAG_ID, XComModel.run_id == run_id, XComModel.task_id == task_id, XComModel.key == "return_value")
            .one()
        )
        return XComModel.deserialize_value(row)


def test_dags_test_publishes_the_hour_of_the_logical_date(airflow_db, stack):
    done = dags_test(stack, "2026-03-04T05:00:00+00:00", data_key="data/petrol.csv", out_prefix="models", wait_for_input=True)
    log = done.stdout + done.stderr
    client, bucket = stack.s3["client"], stack.s3["bucket"]
    listing = client.list_objects_v2(Bucket=bucket, Prefix="models/").get("Contents", [])
    keys = sorted(item["Key"] for item in listing)
    assert "models/2026/03/04/05/manifest.json" in keys, (
        f"{keys}\n--- airflow ---\n{log[-6000:]}\n--- worker ---\n{stack.worker.output()[-3000:]}"
    )
    manifest = json.loads(client.get_object(Bucket=bucket, Key="models/2026/03/04/05/manifest.json")["Body"].read())
    assert manifest["runId"] == "2026030405"
    assert manifest["runDate"].startswith("2026-03-04T05:00:00")
    assert manifest["params"]["nEstimators"] == 16
    assert {a["name"] for a in manifest["artifacts"]} >= {"model.canopy", "metrics.json"}
    # The hour is the logical date, not the data interval start of a manual run (04:00).
    assert not any(key.startswith("models/2026/03/04/04/") for key in keys)

    assert "Waiting for the input object s3://canopy-test/data/petrol.csv" in log, log[-6000:]
    assert "Canopy run 2026030405" in log and "run-2026030405" in log
    assert "trees grown" in log, "the task log shows the run's progress"
    assert "Canopy run 2026030405 published: model s3://canopy-test/models/2026/03/04/05/model.canopy" in log
    run_id, states = dag_run_of("2026-03-04T05:00:00+00:00")
    assert states == {"wait_for_input": "success", "train": "success"}
    value = xcom_of(run_id, "train")
    assert value["modelUrl"] == "s3://canopy-test/models/2026/03/04/05/model.canopy"
    assert set(value["metrics"]) >= {"task", "mae", "rmse", "r2"}
    assert done.returncode == 0, log[-6000:]


def test_data_without_the_target_column_fails_the_task_with_the_reason(airflow_db, stack):
    done = dags_test(stack, "2026-03-04T06:00:00+00:00", data_key="data/no-target.csv", out_prefix="models", wait_for_input=False)
    log = done.stdout + done.stderr
    assert "Input check is off" in log
    failure = [line for line in log.splitlines() if "Canopy run 2026030406 failed:" in line]
    assert failure, f"no failure line in the task log:\n{log[-6000:]}"
    assert "Petrol_Consumption" in failure[0], failure[0]
    client, bucket = stack.s3["client"], stack.s3["bucket"]
    assert client.list_objects_v2(Bucket=bucket, Prefix="models/2026/03/04/06/").get("KeyCount", 0) == 0
    _, states = dag_run_of("2026-03-04T06:00:00+00:00")
    assert states == {"wait_for_input": "success", "train": "failed"}


def test_a_wrong_target_fails_the_task_at_once_without_retries(airflow_db, stack):
    # Retries are on (2, 5 minutes apart, as deployed): a schema error must not use them. An hour no other test of
    # the shared stack uses (test_interop trains hour 07 on the same Redis).
    logical_date = "2026-03-04T19:00:00+00:00"
    done = dags_test(stack, logical_date, data_key="data/no-target.csv", out_prefix="models", wait_for_input=False, retries=2, timeout=300)
    log = done.stdout + done.stderr
    failure = [line for line in log.splitlines() if "Canopy run 2026030419: FAILED" in line]
    assert failure, f"no outcome line in the task log:\n{log[-6000:]}"
    assert "permanent" in failure[0] and "Petrol_Consumption" in failure[0], failure[0]
    _, states = dag_run_of(logical_date)
    assert states == {"wait_for_input": "success", "train": "failed"}, f"{states}\n{log[-4000:]}"
    assert try_numbers_of(logical_date)["train"] == 1


def test_a_manual_run_then_the_scheduled_run_with_new_data_retrains_the_hour(airflow_db, stack):
    # A manual run at 08:39 trains hour 08 from the data as it is then; rows land afterwards; the scheduled run of
    # 08:00-09:00 must train the hour again (the hour's model is that of its data), and say what it replaced.
    client, bucket = stack.s3["client"], stack.s3["bucket"]
    sample = client.get_object(Bucket=bucket, Key="data/petrol.csv")["Body"].read().decode()
    lines = sample.rstrip("\n").split("\n")
    client.put_object(Bucket=bucket, Key="data/hour-08.csv", Body=("\n".join(lines[:-8]) + "\n").encode())
    manifest_key = "models/2026/03/04/08/manifest.json"

    manual = dags_test(stack, "2026-03-04T08:39:00+00:00", data_key="data/hour-08.csv", out_prefix="models", wait_for_input=False)
    assert manual.returncode == 0, (manual.stdout + manual.stderr)[-6000:]
    first = json.loads(client.get_object(Bucket=bucket, Key=manifest_key)["Body"].read())
    assert "replaces" not in first

    client.put_object(Bucket=bucket, Key="data/hour-08.csv", Body=sample.encode())
    scheduled = dags_test(stack, "2026-03-04T08:00:00+00:00", data_key="data/hour-08.csv", out_prefix="models", wait_for_input=False)
    log = scheduled.stdout + scheduled.stderr
    assert scheduled.returncode == 0, log[-6000:]
    second = json.loads(client.get_object(Bucket=bucket, Key=manifest_key)["Body"].read())
    model = {artifact["name"]: artifact["sha256"] for artifact in first["artifacts"]}["model.canopy"]
    assert second["createdAt"] != first["createdAt"], "the hour was trained again"
    assert second["inputs"]["rows"] == first["inputs"]["rows"] + 8
    assert second["replaces"]["model"] == {"name": "model.canopy", "sha256": model}
    assert any("hour-08.csv" in line and "changed" in line for line in second["replaces"]["because"]), second["replaces"]
    assert "Canopy run 2026030408 retrained: it replaces the run published" in log, log[-6000:]
    _, states = dag_run_of("2026-03-04T08:00:00+00:00")
    assert states["train"] == "success"
