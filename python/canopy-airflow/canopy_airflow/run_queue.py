"""The producer's side of the training queue through the Python bullmq client (asyncio): add a run, look at it.

Mirrors RunQueue in libs/pipeline/src/run-queue.ts, which `canopy enqueue` and `canopy status` use.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

import redis.asyncio as redis_asyncio
from bullmq import Job, Queue
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import BusyLoadingError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from canopy_airflow.contract import ENQUEUE_LOCK, TRAIN_JOB, TRAIN_JOB_RETENTION, grow_job_id, train_job_id
from canopy_airflow.hooks import QueueConfig
from canopy_airflow.schemas import RUN_PLAN, RUN_RESULT, schema_problem

FINISHED = ("completed", "failed")


@dataclass(frozen=True)
class EnqueueOutcome:
    run_id: str
    job_id: str
    #: "added", "existing" (queued, running or completed already: nothing added) or "replaced" (a failed or,
    #: with force, finished job of the same hour was removed and the run added again).
    action: str
    state: str
    #: The state of the job a "replaced" outcome removed (failed, or completed); None otherwise.
    previous: str | None = None


@dataclass(frozen=True)
class RunStatus:
    run_id: str
    job_id: str
    state: str
    #: The train job's progress as the worker reports it, e.g. {"phase": "growing", "shards": 4}.
    phase: Any
    trees_done: int | None
    trees_total: int | None
    result: dict[str, Any] | None
    failed_reason: str | None
    #: The failure is permanent (bad data, invalid settings, schema errors): the worker failed the job with BullMQ's
    #: UnrecoverableError, so another attempt reads the same input and fails the same way.
    permanent: bool = False

    def describe(self) -> str:
        """One line for the task log; changes only when something happened."""
        text = f"run {self.run_id} ({self.job_id}) is {self.state}"
        # A finished run's last reported phase is history ("completed, phase publishing" reads as a contradiction).
        if self.state not in FINISHED and isinstance(self.phase, dict) and self.phase.get("phase"):
            text += f", {self.phase['phase']}"
        if self.trees_total:
            text += f", {self.trees_done}/{self.trees_total} trees grown"
        return text


def open_queue(config: QueueConfig) -> Queue:
    """A queue whose commands fail within seconds while Redis is away.

    bullmq's own client retries a failed command 20 times with backoff up to 20 s, so one call can hang for minutes
    in silence; the callers here (the operator, the trigger) decide themselves how long an outage may last and say so.
    """
    client = redis_asyncio.from_url(
        config.redis_url,
        decode_responses=True,
        retry=Retry(ExponentialBackoff(cap=1, base=0.1), 2),
        retry_on_error=[BusyLoadingError, RedisConnectionError, RedisTimeoutError],
        single_connection_client=True,
        socket_connect_timeout=5,
        socket_timeout=30,
    )
    return Queue(config.queue_name, {"connection": client, "prefix": config.prefix})


async def enqueue_run(queue: Queue, run_id: str, request: dict[str, Any]) -> EnqueueOutcome:
    """Adds the run's `train` job, once per hour.

    A queued, running or completed job of the hour is kept (enqueueing is idempotent); with force or onChange
    "retrain" a completed one is replaced, and the worker decides whether the published hour is reused or trained
    again. A failed one is replaced: a new Airflow attempt for the hour is a request to train it again.
    Checked and added under the run's enqueue lock (contracts/queue.json), shared with `canopy enqueue`, so
    exactly one of concurrent producers reports "added".
    """
    job_id = train_job_id(run_id)
    key = ENQUEUE_LOCK.replace("{prefix}", queue.prefix).replace("{queue}", queue.name).replace("{runId}", run_id)
    token = secrets.token_hex(12)
    deadline = time.monotonic() + _ENQUEUE_LOCK_WAIT_S
    while not await queue.client.set(key, token, px=_ENQUEUE_LOCK_MS, nx=True):
        if time.monotonic() > deadline:
            raise RuntimeError(f"run {run_id}: another producer has been enqueueing it for over {_ENQUEUE_LOCK_WAIT_S:g} s ({key})")
        await asyncio.sleep(0.025)
    try:
        existing = await Job.fromId(queue, job_id)
        action = "added"
        previous = None
        if existing is not None:
            state = await queue.getJobState(job_id)
            # A completed hour asked again with onChange "retrain" (the hourly DAG) goes back to a worker, which reuses
            # the published run when its inputs and settings are the same and trains it again when they changed.
            retrain = request.get("force") is True or request.get("onChange") == "retrain"
            replace = state == "failed" or (state == "completed" and retrain)
            if not replace:
                return EnqueueOutcome(run_id, job_id, "existing", state)
            # Removes the run's grow children too, so the new attempt grows every shard again.
            if not await queue.remove(job_id, {"removeChildren": True}):
                raise RuntimeError(f"cannot replace {state} job {job_id}: it is locked by a worker")
            action, previous = "replaced", state
        await queue.add(TRAIN_JOB, request, {"jobId": job_id, **TRAIN_JOB_RETENTION})
        return EnqueueOutcome(run_id, job_id, action, await queue.getJobState(job_id), previous)
    finally:
        await queue.client.eval(_RELEASE_IF_OURS, 1, key, token)


#: The enqueue lock outlives any check-and-add (a few commands) but not a producer that died holding it.
_ENQUEUE_LOCK_MS = 10_000
_ENQUEUE_LOCK_WAIT_S = 15.0
_RELEASE_IF_OURS = 'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0'


async def read_run(queue: Queue, run_id: str) -> RunStatus | None:
    """The run's state, progress and outcome; None when no job of that hour is in the queue."""
    job_id = train_job_id(run_id)
    # State first, then the job: a worker finishes a job atomically (state and return value in one script), so a
    # job read after seeing "completed" has its return value; read the other way round, it may not have it yet.
    state = await queue.getJobState(job_id)
    job = await Job.fromId(queue, job_id)
    if job is None or state == "unknown":
        return None
    trees_done, trees_total = await _trees_grown(queue, run_id, job)
    return RunStatus(
        run_id=run_id,
        job_id=job_id,
        state=state,
        phase=job.progress,
        trees_done=trees_done,
        trees_total=trees_total,
        result=_run_result(job) if state == "completed" else None,
        failed_reason=_reason(job.failedReason) if state == "failed" else None,
        permanent=state == "failed" and _unrecoverable(job),
    )


class ContractViolation(RuntimeError):
    """What a worker stored in Redis breaks the contract (contracts/*.schema.json): retrying reads the same."""


def _run_result(job: Job) -> dict[str, Any]:
    problem = schema_problem(RUN_RESULT, job.returnvalue)
    if problem is not None:
        raise ContractViolation(f"job {job.id} completed with a result that breaks the contract: {problem}")
    return job.returnvalue


def _unrecoverable(job: Job) -> bool:
    """True when the last attempt failed with BullMQ's UnrecoverableError (the Node worker's permanent failures).

    BullMQ keeps each failed attempt's error stack in the job's `stacktrace`; its first line is `<error name>: <message>`.
    """
    traces = job.stacktrace or []
    return bool(traces) and isinstance(traces[-1], str) and traces[-1].startswith("UnrecoverableError")


def _reason(failed_reason: str | None) -> str:
    """The failure reason as text. Node workers store it as is; Python bullmq workers store it JSON-encoded."""
    if not failed_reason:
        return "no reason recorded"
    if len(failed_reason) >= 2 and failed_reason[0] == failed_reason[-1] == '"':
        try:
            decoded = json.loads(failed_reason)
        except ValueError:
            return failed_reason
        if isinstance(decoded, str):
            return decoded
    return failed_reason


async def _trees_grown(queue: Queue, run_id: str, job: Job) -> tuple[int | None, int | None]:
    """Trees grown over the run's `grow` shards (the worker stores its plan in the train job's data)."""
    plan = job.data.get("plan") if isinstance(job.data, dict) else None
    if plan is None:
        return None, None
    problem = schema_problem(RUN_PLAN, plan)
    if problem is not None:
        raise ContractViolation(f"run {run_id}: the plan in job {job.id} breaks the contract: {problem}")
    shards = plan["shards"]
    done = total = 0
    for index, shard in enumerate(shards):
        size = int(shard["treeEnd"]) - int(shard["treeStart"])
        total += size
        child_id = grow_job_id(run_id, index, len(shards))
        child = await Job.fromId(queue, child_id)
        if child is None:
            continue
        if await queue.getJobState(child_id) == "completed":
            done += size
        elif isinstance(child.progress, dict):
            done += int(child.progress.get("treesDone") or 0)
    return done, total
