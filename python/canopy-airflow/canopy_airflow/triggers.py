"""The trigger that waits for a training run in Airflow's triggerer, so the task holds no worker slot meanwhile.

It lives in this installed package because the triggerer does not import code from the DAG folder.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from canopy_airflow.contract import train_job_id
from canopy_airflow.hooks import BullMQHook
from canopy_airflow.run_queue import ContractViolation, open_queue, read_run


class CanopyRunTrigger(BaseTrigger):
    """Polls the run's `train` job until it is completed or failed, logging its progress as it changes.

    Fires one event: {"status": "completed", "runId", "jobId", "result"} with the worker's run result,
    {"status": "failed", ..., "failedReason", "permanent"} with the worker's reason (permanent: bad data or
    settings, no retry can help), or {"status": "missing", ...} when the
    job is no longer in the queue (removed by hand, or Redis lost its data), {"status": "broken", ..., "reason"}
    when what the worker stored breaks the contract (contracts/*.schema.json), or {"status": "redis-unreachable",
    ..., "reason"} when Redis stayed unreachable for longer than redis_wait_timeout seconds. An outage is logged once
    when it starts and once when it ends; the run goes on in the workers meanwhile.
    The connection is looked up here, by id, so no Redis password is stored with the trigger.
    """

    def __init__(
        self,
        *,
        run_id: str,
        redis_conn_id: str = BullMQHook.default_conn_name,
        queue_name: str | None = None,
        prefix: str | None = None,
        poll_interval: float = 10.0,
        redis_wait_timeout: float = 300.0,
    ) -> None:
        super().__init__()
        self.run_id = run_id
        self.redis_conn_id = redis_conn_id
        self.queue_name = queue_name
        self.prefix = prefix
        self.poll_interval = poll_interval
        self.redis_wait_timeout = redis_wait_timeout

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {
                "run_id": self.run_id,
                "redis_conn_id": self.redis_conn_id,
                "queue_name": self.queue_name,
                "prefix": self.prefix,
                "poll_interval": self.poll_interval,
                "redis_wait_timeout": self.redis_wait_timeout,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        config = await BullMQHook(self.redis_conn_id).aqueue_config(self.queue_name, self.prefix)
        queue = open_queue(config)
        last_line = None
        down_since: float | None = None
        try:
            while True:
                event = {"runId": self.run_id, "jobId": train_job_id(self.run_id)}
                try:
                    status = await read_run(queue, self.run_id)
                except (RedisConnectionError, RedisTimeoutError, OSError) as error:
                    # The run goes on in the workers; Redis being briefly away is no reason to fail the task.
                    if down_since is None:
                        down_since = time.monotonic()
                        self.log.warning(
                            "lost Redis at %s (%s); waiting up to %ss for it to come back",
                            config.redacted_url,
                            str(error).splitlines()[0][:200] if str(error) else type(error).__name__,
                            self.redis_wait_timeout,
                        )
                    elif time.monotonic() - down_since > self.redis_wait_timeout:
                        reason = (
                            f"Redis at {config.redacted_url} has been unreachable for more than {self.redis_wait_timeout:g} s "
                            f"while waiting for run {self.run_id}; the run goes on in the workers"
                        )
                        yield TriggerEvent({**event, "status": "redis-unreachable", "reason": reason})
                        return
                    await asyncio.sleep(min(self.poll_interval, 1.0))
                    continue
                except ContractViolation as error:
                    yield TriggerEvent({**event, "status": "broken", "reason": str(error)})
                    return
                if down_since is not None:
                    self.log.info("Redis is back after %.0f s", time.monotonic() - down_since)
                    down_since = None
                if status is None:
                    yield TriggerEvent({**event, "status": "missing"})
                    return
                line = status.describe()
                if line != last_line:
                    self.log.info("%s", line)
                    last_line = line
                if status.state == "completed":
                    yield TriggerEvent({**event, "status": "completed", "result": status.result})
                    return
                if status.state == "failed":
                    yield TriggerEvent({**event, "status": "failed", "failedReason": status.failed_reason, "permanent": status.permanent})
                    return
                await asyncio.sleep(self.poll_interval)
        finally:
            await queue.close()
