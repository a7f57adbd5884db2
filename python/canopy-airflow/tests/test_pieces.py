"""Unit tests of the hook's connection handling, the trigger's serialization and the operator's input checks."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from airflow.sdk import Connection
from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSkipException

from canopy_airflow.hooks import QueueConfig, queue_config_of
from canopy_airflow.operators import CanopyTrainingOperator
from canopy_airflow.triggers import CanopyRunTrigger


def test_a_redis_connection_becomes_a_queue_config():
    conn = Connection(
        conn_id="canopy_redis", conn_type="redis", host="10.0.0.5", port=6380, schema="2", login="canopy", password="p@ss:word"
    )
    config = queue_config_of(conn)
    assert config == QueueConfig("redis://canopy:p%40ss%3Aword@10.0.0.5:6380/2", "canopy-training", "bull")
    assert config.redacted_url == "redis://canopy:***@10.0.0.5:6380/2"
    assert "p%40ss" not in config.redacted_url


def test_extra_sets_tls_queue_and_prefix_and_arguments_win():
    conn = Connection(
        conn_id="canopy_redis",
        conn_type="redis",
        host="cache.internal",
        extra='{"ssl": true, "queue": "canopy-staging", "prefix": "canopy"}',
    )
    assert queue_config_of(conn) == QueueConfig("rediss://cache.internal:6379/0", "canopy-staging", "canopy")
    assert queue_config_of(conn, "other", "p").queue_name == "other"


def test_a_connection_without_host_or_with_a_bad_database_is_named():
    with pytest.raises(ValueError, match="'canopy_redis' has no host"):
        queue_config_of(Connection(conn_id="canopy_redis", conn_type="redis"))
    with pytest.raises(ValueError, match="database number, got 'cache'"):
        queue_config_of(Connection(conn_id="canopy_redis", conn_type="redis", host="h", schema="cache"))


def test_the_trigger_serializes_to_an_importable_class_without_secrets():
    trigger = CanopyRunTrigger(run_id="2026030405", redis_conn_id="canopy_redis", queue_name="q", prefix="bull", poll_interval=2.0)
    path, kwargs = trigger.serialize()
    module, name = path.rsplit(".", 1)
    assert module == "canopy_airflow.triggers", "the triggerer imports it from the installed package"
    again = getattr(importlib.import_module(module), name)(**kwargs)
    assert again.serialize() == (path, kwargs)
    assert kwargs == {
        "run_id": "2026030405",
        "redis_conn_id": "canopy_redis",
        "queue_name": "q",
        "prefix": "bull",
        "poll_interval": 2.0,
        "redis_wait_timeout": 300.0,
    }


def operator(**overrides):
    args = {"task_id": "train", "data": "s3://b/d.csv", "target": "y", "out": "s3://b/m", **overrides}
    return CanopyTrainingOperator(**args)


CONTEXT = {"logical_date": datetime(2026, 3, 4, 5, tzinfo=UTC), "dag_run": SimpleNamespace(run_after=None)}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"training_params": "{nEstimators: 10}"}, "training_params is not valid JSON"),
        ({"training_params": "[1, 2]"}, "training_params must be a JSON object"),
        ({"training_params": '{"trees": 10}'}, "params.trees is not a known field"),
        ({"run_options": '{"testSize": 2}'}, "testSize: 2 is greater than or equal to the maximum of 1"),
        ({"run_options": '{"testSize": "0.2"}'}, "testSize: '0.2' is not of type 'number', 'null'"),
        ({"target": ""}, "target: '' should be non-empty"),
        ({"window_hours": "a day"}, "windowHours must be a whole number of hours"),
        ({"window_hours": "0"}, "windowHours: 0 is less than the minimum of 1"),
        ({"missing_partitions": "ignore"}, "missingPartitions: 'ignore' is not one of"),
    ],
)
def test_bad_settings_fail_without_retries_before_touching_redis(overrides, message):
    with pytest.raises(AirflowFailException, match=message) as caught:
        operator(**overrides).execute(CONTEXT)
    assert "Canopy run 2026030405: invalid run request" in str(caught.value)


def test_execute_complete_returns_model_and_metrics_or_raises_the_reason():
    result = {
        "runId": "2026030405",
        "modelUrl": "s3://b/m/2026/03/04/05/model.canopy",
        "manifestUrl": "m",
        "reportUrl": "r",
        "metrics": {"task": "regression", "r2": 0.5},
    }
    done = operator().execute_complete(CONTEXT, {"status": "completed", "runId": "2026030405", "result": result})
    assert done == {"modelUrl": "s3://b/m/2026/03/04/05/model.canopy", "metrics": {"task": "regression", "r2": 0.5}, "promotion": None}
    with pytest.raises(AirflowException, match="Canopy run 2026030405 failed: the target column"):
        operator().execute_complete(CONTEXT, {"status": "failed", "runId": "2026030405", "failedReason": "the target column ..."})
    with pytest.raises(AirflowException, match="disappeared from the queue"):
        operator().execute_complete(CONTEXT, {"status": "missing", "runId": "2026030405", "jobId": "run-2026030405"})


def test_a_run_held_back_by_its_gate_ends_skipped_or_failed_as_configured():
    result = {
        "runId": "2026030405",
        "modelUrl": "s3://b/m/2026/03/04/05/model.canopy",
        "manifestUrl": "m",
        "reportUrl": "r",
        "metrics": {"task": "regression", "r2": 0.5},
        "promotion": {"state": "held back", "reason": "r2 0.5 >= 0.8"},
    }
    event = {"status": "completed", "runId": "2026030405", "result": result}
    with pytest.raises(AirflowSkipException, match="held back by its quality gate: r2 0.5 >= 0.8"):
        operator().execute_complete(CONTEXT, event)
    with pytest.raises(AirflowFailException, match="held back by its quality gate: r2 0.5 >= 0.8"):
        operator(fail_on_gate="true").execute_complete(CONTEXT, event)
    promoted = {**result, "promotion": {"state": "promoted", "reason": None}}
    done = operator(fail_on_gate="true").execute_complete(CONTEXT, {**event, "result": promoted})
    assert done["promotion"] == "promoted"
