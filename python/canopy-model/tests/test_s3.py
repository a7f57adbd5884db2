"""canopy_model.load from S3 (the `s3` extra), against moto's standalone S3 server (a real HTTP API, not an
in-process fake): a run published by `canopy train --out s3://…` loads by folder and by file and predicts exactly
what `canopy predict` wrote."""

import os
import socket
import subprocess
import time

import boto3
import numpy as np
import pytest
from conftest import ROOT, canopy, read_predictions

import canopy_model

MOTO_SERVER = ROOT / ".venvs" / "py" / "bin" / "moto_server"
BUCKET = "models"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = subprocess.Popen([str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    settings = {
        "AWS_ENDPOINT_URL_S3": endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }
    saved = {key: os.environ.get(key) for key in settings}
    os.environ.update(settings)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                boto3.client("s3").create_bucket(Bucket=BUCKET)
                break
            except Exception:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield endpoint
    finally:
        server.terminate()
        server.wait(10)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_a_run_folder_on_s3_loads_and_predicts_like_canopy_predict(s3_endpoint, tmp_path):
    data = ROOT / "data" / "petrol_consumption.csv"
    out = f"s3://{BUCKET}/runs"
    canopy("train", "--data", str(data), "--target", "Petrol_Consumption", "--trees", "20", "--out", out, "--run-date", "2026-02-03T04")
    folder = f"s3://{BUCKET}/runs/2026/02/03/04"
    canopy("predict", "--model", folder, "--data", str(data), "--out", str(tmp_path / "predicted.csv"))
    rows = read_predictions(tmp_path / "predicted.csv")
    expected = np.array([float(r["prediction"]) for r in rows])

    by_folder = canopy_model.load(folder)
    by_file = canopy_model.load(folder + "/model.canopy")
    x = np.array([[float(r[name]) for name in by_folder.feature_names_in_] for r in rows])
    assert np.array_equal(by_folder.predict(x), expected)
    assert np.array_equal(by_file.predict(x), expected)


def test_a_folder_without_a_model_on_s3_is_named(s3_endpoint):
    with pytest.raises(FileNotFoundError, match=rf"s3://{BUCKET}/nothing/here: no model in this run folder"):
        canopy_model.load(f"s3://{BUCKET}/nothing/here")
