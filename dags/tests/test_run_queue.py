"""The Python producer (canopy_airflow.run_queue) on a real Redis with real BullMQ: one job per hour, a failed
hour is enqueued again, progress and failures are read back. A Python bullmq Worker plays the worker here; the
Node worker is exercised in test_interop.py and test_airflow_run.py."""

from __future__ import annotations

import asyncio
import uuid

from bullmq import Job, Queue, Worker

from canopy_airflow.contract import build_run_request, run_hour
from canopy_airflow.hooks import QueueConfig
from canopy_airflow.run_queue import enqueue_run, open_queue, read_run


def request_for(hour: str, **options):
    return build_run_request(run_hour(hour), data="s3://b/d.csv", target="y", out="s3://b/m", options=options)


def private_queue(redis_url: str) -> QueueConfig:
    # A queue of its own: the Node worker of the session listens on canopy-training.
    return QueueConfig(redis_url=redis_url, queue_name=f"py-only-{uuid.uuid4().hex[:8]}", prefix="bull")


async def wait_for_state(queue: Queue, run_id: str, states: tuple[str, ...], timeout: float = 30):
    async def poll():
        while True:
            status = await read_run(queue, run_id)
            if status is not None and status.state in states:
                return status
            await asyncio.sleep(0.05)

    return await asyncio.wait_for(poll(), timeout)


def test_enqueueing_an_hour_twice_adds_one_job(redis_url):
    async def scenario():
        queue = open_queue(private_queue(redis_url))
        try:
            first = await enqueue_run(queue, "2026030405", request_for("2026-03-04T05:00Z"))
            second = await enqueue_run(queue, "2026030405", request_for("2026-03-04T05:00Z"))
            counts = await queue.getJobCounts("waiting", "active", "completed", "failed")
            job = await Job.fromId(queue, "run-2026030405")
            return first, second, counts, job
        finally:
            await queue.close()

    first, second, counts, job = asyncio.run(scenario())
    assert (first.action, first.job_id, first.state) == ("added", "run-2026030405", "waiting")
    assert (second.action, second.state) == ("existing", "waiting")
    assert sum(counts.values()) == 1
    assert job.name == "train" and job.data["runDate"] == "2026-03-04T05:00:00Z"
    assert job.opts["removeOnComplete"] == {"age": 604800, "count": 1000}


#: A run result as contracts/run-result.schema.json has it (read_run checks it).
RESULT = {
    "runId": "2026030406",
    "modelUrl": "s3://b/m/2026/03/04/06/model.canopy",
    "manifestUrl": "s3://b/m/2026/03/04/06/manifest.json",
    "reportUrl": "s3://b/m/2026/03/04/06/report.html",
    "metrics": {"task": "regression", "r2": 0.5},
}


def test_a_failed_hour_is_enqueued_again_and_its_reason_read_back(redis_url):
    config = private_queue(redis_url)

    async def scenario():
        queue = open_queue(config)
        attempts = []

        async def process(job, token):
            attempts.append(job.id)
            await job.updateProgress({"phase": "planning"})
            if len(attempts) == 1:
                raise ValueError('target column "y" is not in the data')
            return RESULT

        worker = Worker(config.queue_name, process, {"connection": config.redis_url, "prefix": config.prefix})
        try:
            await enqueue_run(queue, "2026030406", request_for("2026-03-04T06:00Z"))
            failed = await wait_for_state(queue, "2026030406", ("failed",))
            again = await enqueue_run(queue, "2026030406", request_for("2026-03-04T06:00Z"))
            completed = await wait_for_state(queue, "2026030406", ("completed",))
            kept = await enqueue_run(queue, "2026030406", request_for("2026-03-04T06:00Z"))
            forced = await enqueue_run(queue, "2026030406", request_for("2026-03-04T06:00Z", force=True))
            await wait_for_state(queue, "2026030406", ("completed",))
            # The hourly DAG's request: the worker decides whether the published hour is reused or retrained.
            rechecked = await enqueue_run(queue, "2026030406", request_for("2026-03-04T06:00Z", onChange="retrain"))
            return failed, again, completed, kept, forced, rechecked, list(attempts)
        finally:
            await worker.close()
            await queue.close()

    failed, again, completed, kept, forced, rechecked, attempts = asyncio.run(scenario())
    assert failed.failed_reason == 'target column "y" is not in the data'
    assert failed.phase == {"phase": "planning"}
    assert failed.describe().endswith("is failed"), "a finished run is not described with its last phase"
    assert (again.action, again.previous) == ("replaced", "failed")
    assert completed.result == RESULT
    assert kept.action == "existing" and kept.state == "completed"
    assert forced.action == "replaced"
    assert (rechecked.action, rechecked.previous) == ("replaced", "completed")
    assert attempts[:2] == ["run-2026030406", "run-2026030406"]


def test_reading_an_hour_never_enqueued_gives_none(redis_url):
    async def scenario():
        queue = open_queue(private_queue(redis_url))
        try:
            return await read_run(queue, "2026030499"[:10])
        finally:
            await queue.close()

    assert asyncio.run(scenario()) is None
