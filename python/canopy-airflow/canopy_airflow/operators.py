"""The deferrable operator that trains one hour: enqueue the run on BullMQ, then wait for it in the triggerer."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from airflow.sdk import BaseOperator
from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSkipException

from canopy_airflow.contract import RunRequestError, build_run_request, hour_of_dag_run, run_folder, run_id
from canopy_airflow.hooks import BullMQHook, QueueConfig
from canopy_airflow.run_queue import EnqueueOutcome, enqueue_run, open_queue
from canopy_airflow.task_log import enqueue_line, metrics_text, outcome_line
from canopy_airflow.triggers import CanopyRunTrigger


class CanopyTrainingOperator(BaseOperator):
    """Enqueues the training run of the DAG run's hour and turns green with its model, or red with the reason.

    The hour is the logical date (= data_interval_start with the DAG's data-interval timetable), or `run_after`
    floored to the hour for a manual run without one. The `train` job id is `run-YYYYMMDDHH`, so a retried or
    repeated task never trains an hour twice unless the earlier attempt failed (see run_queue.enqueue_run).
    Returns (pushes to XCom) {"modelUrl", "metrics"} of the worker's run result.

    :param data: input URL (s3://... or file:...): one object, a prefix (.../) or a glob, possibly with %Y %m %d %H
        (docs/data-inputs.md), passed to the workers as written; templated (rendering a Variable does not touch
        the % placeholders)
    :param window_hours: hours of data read, the run's hour and the ones before it (int or text; blank: 1), templated
    :param missing_partitions: "error" (default) or "skip", for an hour of the window without data; templated
    :param target: target column, templated
    :param out: output root; the run lands in <out>/YYYY/MM/DD/HH/, templated
    :param training_params: training parameters (dict, or JSON text from a Variable), templated
    :param run_options: task, features, testSize, treesPerShard, force, onChange, onnx (dict or JSON text), templated.
        onChange defaults to "retrain" here: a re-run of an hour whose inputs or settings changed since it was
        published trains it again (the manifest's `replaces` records the run it replaced); unchanged, it is reused
    :param redis_conn_id: Airflow connection of the queue's Redis (see hooks.BullMQHook)
    :param poll_interval: seconds between looks at the job while deferred
    :param wait_timeout: how long to wait for the run before the task fails (None: forever)
    :param redis_wait_timeout: seconds of Redis outage the wait puts up with before the task fails
    :param fail_on_gate: a run the quality gate (run_options "gate") held back fails the task; by default the task
        ends skipped, so the grid shows it apart from successes and failures (templated: "true"/"false")
    """

    template_fields: Sequence[str] = (
        "data",
        "target",
        "out",
        "training_params",
        "run_options",
        "fail_on_gate",
        "window_hours",
        "missing_partitions",
    )
    ui_color = "#d6f5d6"

    def __init__(
        self,
        *,
        data: str,
        target: str,
        out: str,
        training_params: Mapping[str, Any] | str | None = None,
        run_options: Mapping[str, Any] | str | None = None,
        redis_conn_id: str = BullMQHook.default_conn_name,
        queue_name: str | None = None,
        queue_prefix: str | None = None,
        poll_interval: float = 10.0,
        wait_timeout: timedelta | None = timedelta(hours=6),
        redis_wait_timeout: float = 300.0,
        fail_on_gate: bool | str = False,
        window_hours: int | str | None = None,
        missing_partitions: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.data = data
        self.target = target
        self.out = out
        self.training_params = training_params
        self.run_options = run_options
        self.redis_conn_id = redis_conn_id
        self.queue_name = queue_name
        self.queue_prefix = queue_prefix
        self.poll_interval = poll_interval
        self.wait_timeout = wait_timeout
        self.redis_wait_timeout = redis_wait_timeout
        self.fail_on_gate = fail_on_gate
        self.window_hours = window_hours
        self.missing_partitions = missing_partitions

    def execute(self, context: Any) -> None:
        hour = hour_of_dag_run(context)
        rid = run_id(hour)
        try:
            request = build_run_request(
                hour,
                data=self.data,
                target=self.target,
                out=self.out,
                params=_json_object("training_params", self.training_params),
                options={
                    # One meaning per hour: an hour published from other inputs (a manual run earlier in the hour,
                    # data that landed since) is trained again; the same inputs and settings reuse the published run.
                    "onChange": "retrain",
                    **_json_object("run_options", self.run_options),
                    **_window_options(self.window_hours, self.missing_partitions),
                },
            )
        except RunRequestError as error:
            # Bad settings fail the same way on every attempt: no retries, fix the Variable and clear the task.
            raise AirflowFailException(f"Canopy run {rid}: invalid run request: {error}") from None
        config = BullMQHook(self.redis_conn_id).queue_config(self.queue_name, self.queue_prefix)
        self.log.info(
            "Canopy run %s: hour %s UTC, writes %s/%s/ ; queue %r on %s",
            rid,
            hour.isoformat(),
            request["out"].rstrip("/"),
            run_folder(hour),
            config.queue_name,
            config.redacted_url,
        )
        outcome = asyncio.run(_enqueue(config, rid, request))
        self.log.info("%s", enqueue_line(rid, outcome.action, outcome.job_id, outcome.state, outcome.previous))
        self.defer(
            trigger=CanopyRunTrigger(
                run_id=rid,
                redis_conn_id=self.redis_conn_id,
                queue_name=config.queue_name,
                prefix=config.prefix,
                poll_interval=self.poll_interval,
                redis_wait_timeout=self.redis_wait_timeout,
            ),
            method_name="execute_complete",
            timeout=self.wait_timeout,
        )

    def execute_complete(self, context: Any, event: dict[str, Any]) -> dict[str, Any]:
        rid = event.get("runId")
        status = event.get("status")
        # The line to read first in the resumed task's log: how the run ended, and why.
        self.log.info("%s", outcome_line(str(rid), event))
        if status == "completed":
            result = event.get("result") or {}
            if result.get("reused"):
                self.log.info("Canopy run %s: already published from the same inputs and settings; reused, nothing trained", rid)
            replaced = result.get("replaced")
            if isinstance(replaced, dict):
                self.log.info(
                    "Canopy run %s retrained: it replaces the run published %s (%s)",
                    rid,
                    replaced.get("createdAt"),
                    "; ".join(str(line) for line in replaced.get("because") or []),
                )
            self.log.info(
                "Canopy run %s published: model %s, manifest %s, report %s",
                rid,
                result.get("modelUrl"),
                result.get("manifestUrl"),
                result.get("reportUrl"),
            )
            self.log.info("Canopy run %s metrics: %s", rid, metrics_text(result.get("metrics")))
            promotion = result.get("promotion") or {}
            if promotion.get("state") == "held back":
                message = f"Canopy run {rid} was published but held back by its quality gate: {promotion.get('reason')}"
                if str(self.fail_on_gate).strip().lower() in ("true", "1", "yes"):
                    raise AirflowFailException(message)
                raise AirflowSkipException(message)
            if promotion.get("state") == "superseded":
                self.log.info("Canopy run %s did not move latest.json: %s", rid, promotion.get("reason"))
            return {"modelUrl": result.get("modelUrl"), "metrics": result.get("metrics"), "promotion": promotion.get("state")}
        if status == "failed":
            message = f"Canopy run {rid} failed: {event.get('failedReason')}"
            if event.get("permanent"):
                # Bad data or settings (a missing target column, a schema error): every retry would read the same
                # input and fail the same way, so the task fails now; fix the data or the Variable and clear it.
                raise AirflowFailException(message)
            raise AirflowException(message)
        if status == "redis-unreachable":
            raise AirflowException(f"Canopy run {rid}: {event.get('reason')}")
        if status == "broken":
            # Another attempt would read the same data: fail once, without retries.
            raise AirflowFailException(f"Canopy run {rid}: {event.get('reason')}")
        if status == "missing":
            raise AirflowException(
                f"Canopy run {rid}: job {event.get('jobId')} disappeared from the queue before finishing "
                "(removed by hand, or Redis lost its data); the next attempt enqueues it again"
            )
        raise AirflowException(f"Canopy run {rid}: unexpected trigger event {event!r}")


async def _enqueue(config: QueueConfig, rid: str, request: dict[str, Any]) -> EnqueueOutcome:
    queue = open_queue(config)
    try:
        return await enqueue_run(queue, rid, request)
    finally:
        await queue.close()


def _window_options(window_hours: int | str | None, missing_partitions: str | None) -> dict[str, Any]:
    """windowHours and missingPartitions from the operator's arguments (Variables render as text); blank means unset."""
    options: dict[str, Any] = {}
    if window_hours is not None and str(window_hours).strip():
        text = str(window_hours).strip()
        try:
            options["windowHours"] = int(text)
        except ValueError:
            raise RunRequestError(f"windowHours must be a whole number of hours (got {text!r})") from None
    if missing_partitions is not None and str(missing_partitions).strip():
        options["missingPartitions"] = str(missing_partitions).strip()
    return options


def _json_object(name: str, value: Mapping[str, Any] | str | None) -> Mapping[str, Any]:
    """A dict given directly, or JSON text rendered from a Variable; blank means none."""
    if value is None:
        return {}
    if isinstance(value, str):
        if not value.strip():
            return {}
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise RunRequestError(f"{name} is not valid JSON ({error}): {value!r}") from None
    if not isinstance(value, Mapping):
        raise RunRequestError(f"{name} must be a JSON object, got {value!r}")
    return value
