"""Python producer, Node worker: a `train` job added by the Python bullmq client is processed by
`node apps/worker/dist/src/main.js` and its return value (the run result) is read back in Python."""

from __future__ import annotations

import asyncio
import json
import time

from bullmq import Queue

from canopy_airflow.contract import DEFAULT_QUEUE_NAME, TRAIN_JOB, TRAIN_JOB_RETENTION, build_run_request, run_hour, train_job_id
from canopy_airflow.layout import MANIFEST_ARTIFACT, MODEL_ARTIFACT
from canopy_airflow.run_queue import read_run
from canopy_airflow.schemas import RUN_REQUEST, RUN_RESULT, schema_problem


def test_a_job_added_in_python_is_trained_by_the_node_worker(stack):
    bucket = stack.s3["bucket"]
    request = build_run_request(
        run_hour("2026-03-04T07:00:00Z"),
        data=f"s3://{bucket}/data/petrol.csv",
        target="Petrol_Consumption",
        out=f"s3://{bucket}/interop",
        params={"nEstimators": 12, "seed": 3},
        options={"treesPerShard": 4},
    )
    assert schema_problem(RUN_REQUEST, request) is None

    async def scenario():
        # The bare client, as the brief's interop demands: Queue.add(name, data, {"jobId": ...}).
        queue = Queue(DEFAULT_QUEUE_NAME, {"connection": stack.redis_url})
        try:
            job = await queue.add(TRAIN_JOB, request, {"jobId": train_job_id("2026030407"), **TRAIN_JOB_RETENTION})
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                stack.worker.assert_running()
                status = await read_run(queue, "2026030407")
                if status.state in ("completed", "failed"):
                    return job.id, status
                await asyncio.sleep(0.5)
            raise AssertionError(f"run 2026030407 did not finish in 240 s; worker output:\n{stack.worker.output()[-4000:]}")
        finally:
            await queue.close()

    job_id, status = asyncio.run(scenario())
    assert job_id == "run-2026030407"
    assert status.state == "completed", f"{status.failed_reason}\n{stack.worker.output()[-4000:]}"
    result = status.result
    assert schema_problem(RUN_RESULT, result) is None
    assert result["runId"] == "2026030407"
    assert result["modelUrl"] == f"s3://{bucket}/interop/2026/03/04/07/{MODEL_ARTIFACT}"
    assert result["manifestUrl"].endswith(f"/2026/03/04/07/{MANIFEST_ARTIFACT}")
    assert result["metrics"]["task"] == "regression"
    assert all(isinstance(result["metrics"][name], (int, float)) for name in ("mae", "rmse", "r2"))
    assert status.trees_total == 12 and status.trees_done == 12, status
    manifest = json.loads(stack.s3["client"].get_object(Bucket=bucket, Key="interop/2026/03/04/07/manifest.json")["Body"].read())
    assert manifest["runId"] == "2026030407"
    assert manifest["params"]["nEstimators"] == 12
