"""Names, ids and retention come from contracts/ (the TypeScript side reads the same files), and what a worker
stores in Redis is checked against the result schemas when it is read."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from airflow.sdk.exceptions import AirflowFailException
from repo_root import ROOT

from canopy_airflow import contract, layout
from canopy_airflow.operators import CanopyTrainingOperator
from canopy_airflow.run_queue import ContractViolation, _run_result, _trees_grown

QUEUE = json.loads((ROOT / "contracts" / "queue.json").read_text())
LAYOUT = json.loads((ROOT / "contracts" / "run-layout.json").read_text())


def test_queue_names_ids_and_retention_are_the_contract_files():
    assert (QUEUE["queue"]["name"], QUEUE["queue"]["prefix"]) == (contract.DEFAULT_QUEUE_NAME, contract.DEFAULT_QUEUE_PREFIX)
    assert (QUEUE["jobs"]["train"]["name"], QUEUE["jobs"]["grow"]["name"]) == (contract.TRAIN_JOB, contract.GROW_JOB)
    assert QUEUE["jobs"]["train"]["retention"] == contract.TRAIN_JOB_RETENTION
    assert contract.train_job_id("2026030405") == QUEUE["jobs"]["train"]["id"].replace("{runId}", "2026030405")
    assert contract.grow_job_id("2026030405", 3, 4) == "run-2026030405-shard-03"


def test_layout_names_are_the_contract_file():
    assert LAYOUT["artifacts"]["model"] == layout.MODEL_ARTIFACT
    assert LAYOUT["legacyModel"] == layout.LEGACY_MODEL_ARTIFACT
    assert LAYOUT["staging"]["folder"] == layout.STAGING_FOLDER
    assert [layout.shard_label(i, n) for i, n in [(0, 1), (9, 100), (7, 101)]] == ["00", "09", "007"]
    assert layout.is_run_id("2026030405") and not layout.is_run_id("2026030405\n") and not layout.is_run_id("run-2026030405")


def test_the_default_params_are_the_schema_defaults():
    schema = json.loads((ROOT / "contracts" / "run-request.schema.json").read_text())
    params = schema["properties"]["params"]["properties"]
    assert {name: field["default"] for name, field in params.items()} == contract.DEFAULT_PARAMS
    assert contract.RUN_OPTIONS == (
        "windowHours",
        "missingPartitions",
        "task",
        "features",
        "testSize",
        "treesPerShard",
        "force",
        "onChange",
        "onnx",
        "gate",
    )


def test_a_run_result_that_breaks_the_contract_is_named_not_passed_on():
    good = {"runId": "2026030405", "modelUrl": "m", "manifestUrl": "f", "reportUrl": "r", "metrics": {"task": "regression", "r2": 0.5}}
    assert _run_result(SimpleNamespace(id="run-2026030405", returnvalue=good)) == good
    with pytest.raises(ContractViolation, match=r"run-2026030405 completed with a result that breaks the contract: metrics\.task"):
        _run_result(SimpleNamespace(id="run-2026030405", returnvalue={**good, "metrics": {"task": "ranking"}}))


def test_a_plan_without_shards_is_named_before_any_redis_read():
    job = SimpleNamespace(id="run-2026030405", data={"plan": {"runId": "2026030405"}})
    with pytest.raises(ContractViolation, match="the plan in job run-2026030405 breaks the contract: .*is required"):
        asyncio.run(_trees_grown(None, "2026030405", job))


def test_a_broken_result_fails_the_task_without_retries():
    operator = CanopyTrainingOperator(task_id="train", data="s3://b/d.csv", target="y", out="s3://b/m")
    context = {"logical_date": datetime(2026, 3, 4, 5, tzinfo=UTC), "dag_run": SimpleNamespace(run_after=None)}
    with pytest.raises(AirflowFailException, match="Canopy run 2026030405: job run-2026030405 completed with a result"):
        operator.execute_complete(
            context,
            {"status": "broken", "runId": "2026030405", "reason": "job run-2026030405 completed with a result that breaks the contract"},
        )
