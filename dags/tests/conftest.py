"""Real parts for the DAG tests: an Airflow home with a migrated database, Redis, a moto S3 server, a Node worker.

Airflow reads AIRFLOW_HOME when first imported, so it is set here, before any test module imports airflow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from canopy_stack import ROOT, Stack, StackProcess, free_port, wait_for_port

AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="canopy-airflow-home-"))
os.environ.update(
    {
        "AIRFLOW_HOME": str(AIRFLOW_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
    }
)
# The DAG reads these while parsing; a developer's shell must not change what the tests see.
for name in ("CANOPY_CATCHUP", "CANOPY_START_DATE", "CANOPY_TASK_RETRIES", "CANOPY_POLL_SECONDS", "AIRFLOW_VAR_CANOPY_CATCHUP"):
    os.environ.pop(name, None)

AIRFLOW = ROOT / ".venvs" / "airflow" / "bin" / "airflow"
MOTO_SERVER = ROOT / ".venvs" / "py" / "bin" / "moto_server"
WORKER_MAIN = ROOT / "apps" / "worker" / "dist" / "src" / "main.js"
BUCKET = "canopy-test"


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(AIRFLOW_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """`airflow db migrate` once per session, into the temporary AIRFLOW_HOME (SQLite)."""
    done = subprocess.run([str(AIRFLOW), "db", "migrate"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"airflow db migrate failed:\n{done.stdout}\n{done.stderr}"
    return AIRFLOW_HOME


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    server = StackProcess.start(
        "redis",
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
            "--maxmemory-policy",
            "noeviction",
        ],
        log=workdir / "redis.log",
    )
    try:
        wait_for_port(port, server)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="session")
def s3(tmp_path_factory):
    """moto's S3 server with a bucket holding the sample data and a copy lacking the target column."""
    assert MOTO_SERVER.exists(), f"{MOTO_SERVER} is missing: run `bash scripts/setup-python.sh py`"
    port = free_port()
    workdir = tmp_path_factory.mktemp("moto")
    server = StackProcess.start("moto", [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)], log=workdir / "moto.log")
    try:
        wait_for_port(port, server, timeout=60)
        endpoint = f"http://127.0.0.1:{port}"
        env = {
            "AWS_ENDPOINT_URL_S3": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
            "CANOPY_S3_FORCE_PATH_STYLE": "true",
        }
        client = s3_client(endpoint)
        client.create_bucket(Bucket=BUCKET)
        sample = (ROOT / "data" / "petrol_consumption.csv").read_text()
        client.put_object(Bucket=BUCKET, Key="data/petrol.csv", Body=sample.encode())
        client.put_object(Bucket=BUCKET, Key="data/no-target.csv", Body=drop_column(sample, "Petrol_Consumption").encode())
        yield {"endpoint": endpoint, "env": env, "bucket": BUCKET, "client": client}
    finally:
        server.stop()


@pytest.fixture(scope="session")
def stack(redis_url, s3, tmp_path_factory):
    """The Node worker (`node apps/worker/dist/src/main.js`) on that Redis and S3."""
    assert WORKER_MAIN.exists(), f"{WORKER_MAIN} is missing: build the worker first (npx nx run worker:build)"
    workdir = tmp_path_factory.mktemp("worker")
    env = {**os.environ, **s3["env"], "REDIS_URL": redis_url, "CANOPY_CONCURRENCY": "2"}
    worker = StackProcess.start("worker", ["node", str(WORKER_MAIN)], log=workdir / "worker.log", env=env)
    try:
        yield Stack(redis_url=redis_url, s3=s3, worker=worker)
    finally:
        worker.stop()


def s3_client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")


def drop_column(csv_text: str, column: str) -> str:
    rows = [line.split(",") for line in csv_text.strip().splitlines()]
    index = rows[0].index(column)
    return "\n".join(",".join(cell for i, cell in enumerate(row) if i != index) for row in rows) + "\n"
