"""The queue contract of docs/contracts.md, Python side: queue and job names, job ids, the run's hour, run requests.

Names, ids and retention come from contracts/queue.json, the run request's rules from
contracts/run-request.schema.json: the Node side (libs/pipeline/src/queue-contract.ts, run-request.ts) reads the
same files, and the conformance test checks that both accept and reject the same requests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from canopy_airflow.contract_files import load_contract
from canopy_airflow.layout import is_run_id, shard_label
from canopy_airflow.schemas import RUN_REQUEST, schema_problem

_QUEUE: dict[str, Any] = load_contract("queue.json")
_REQUEST_FIELDS: dict[str, Any] = load_contract(RUN_REQUEST)["properties"]

DEFAULT_QUEUE_NAME: str = _QUEUE["queue"]["name"]
#: BullMQ's own default key prefix, on Node and on Python.
DEFAULT_QUEUE_PREFIX: str = _QUEUE["queue"]["prefix"]
TRAIN_JOB: str = _QUEUE["jobs"]["train"]["name"]
ENQUEUE_LOCK: str = _QUEUE["queue"]["enqueueLock"]
GROW_JOB: str = _QUEUE["jobs"]["grow"]["name"]
#: BullMQ job options for how long finished `train` jobs stay in Redis (removeOnComplete / removeOnFail).
TRAIN_JOB_RETENTION: dict[str, Any] = _QUEUE["jobs"]["train"]["retention"]
REQUEST_VERSION: int = _REQUEST_FIELDS["version"]["const"]

#: Training parameters a run request may carry (scikit-learn's names in camelCase), with their defaults.
DEFAULT_PARAMS: dict[str, Any] = {name: field.get("default") for name, field in _REQUEST_FIELDS["params"]["properties"].items()}
#: Run request fields a DAG may set besides the required ones and `params`.
RUN_OPTIONS = tuple(name for name in _REQUEST_FIELDS if name not in ("version", "runDate", "data", "target", "out", "params"))


class RunRequestError(ValueError):
    """A run request that breaks the contract; the message names the field."""


def run_hour(value: datetime | str) -> datetime:
    """The run's hour: any ISO-8601 timestamp or datetime, converted to UTC and floored to the hour.

    A timestamp without an offset is taken as UTC (Airflow's own dates always carry one).
    """
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise RunRequestError(f'run date "{value}" is not an ISO-8601 timestamp (e.g. 2026-03-04T05:00:00Z)') from None
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise RunRequestError(f"run date must be a datetime or an ISO-8601 string (got {type(value).__name__})")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    # Rebuild from the fields so pendulum's DateTime (Airflow's dates) comes back as a plain datetime.
    try:
        utc = parsed.astimezone(UTC)
    except OverflowError:
        raise RunRequestError(f"run date {value} is out of range") from None
    return datetime(utc.year, utc.month, utc.day, utc.hour, tzinfo=UTC)


def run_id(hour: datetime) -> str:
    """`YYYYMMDDHH` of the run's hour, e.g. `2026030405`."""
    return run_hour(hour).strftime("%Y%m%d%H")


def train_job_id(run_id_: str) -> str:
    """Job id of a run's `train` job: `run-YYYYMMDDHH` (never contains ':', never all digits)."""
    if not is_run_id(run_id_):
        raise RunRequestError(f'invalid run id "{run_id_}": expected YYYYMMDDHH')
    return _QUEUE["jobs"]["train"]["id"].replace("{runId}", run_id_)


def grow_job_id(run_id_: str, index: int, count: int) -> str:
    """Job id of shard `index` (0-based) of `count`: `run-YYYYMMDDHH-shard-NN`, NN as the shard's files are numbered."""
    train_job_id(run_id_)
    return _QUEUE["jobs"]["grow"]["id"].replace("{runId}", run_id_).replace("{shard}", shard_label(index, count))


def run_folder(hour: datetime) -> str:
    """The run folder below the output root: `YYYY/MM/DD/HH` in UTC."""
    return run_hour(hour).strftime("%Y/%m/%d/%H")


def run_date_iso(hour: datetime) -> str:
    """The `runDate` of a run request: the hour in UTC, e.g. `2026-03-04T05:00:00Z`."""
    return run_hour(hour).strftime("%Y-%m-%dT%H:00:00Z")


def hour_of_dag_run(context: Mapping[str, Any]) -> datetime:
    """The hour an Airflow DAG run trains for.

    Its logical date, which with the DAG's data-interval timetable is `data_interval_start` of a scheduled run
    (the run starting at 15:00 UTC covers 14:00-15:00 and is the hour 14). A manual run without a logical date
    uses `dag_run.run_after`, floored to the hour.
    """
    logical_date = context.get("logical_date")
    if logical_date is not None:
        return run_hour(logical_date)
    dag_run = context.get("dag_run")
    run_after = getattr(dag_run, "run_after", None)
    if run_after is None:
        raise RunRequestError("the DAG run has neither a logical date nor run_after: cannot tell which hour to train")
    return run_hour(run_after)


def build_run_request(
    hour: datetime,
    *,
    data: str,
    target: str,
    out: str,
    params: Mapping[str, Any] | None = None,
    options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A run request (the `train` job's data) for the hour, checked as the workers will check it.

    `params` holds training parameters (keys of DEFAULT_PARAMS; absent ones take the workers' defaults); `options`
    may set the other optional fields (RUN_OPTIONS: task, features, testSize, ...). Both are passed as given: the
    schema decides. Raises RunRequestError naming the field.
    """
    if params is not None and not isinstance(params, Mapping):
        raise RunRequestError(f"params must be a JSON object (got {params!r})")
    if options is not None and not isinstance(options, Mapping):
        raise RunRequestError(f"run options must be a JSON object (got {options!r})")
    request: dict[str, Any] = {
        "version": REQUEST_VERSION,
        "runDate": run_date_iso(hour),
        "data": _trimmed(data),
        "target": _trimmed(target),
        "out": _trimmed(out),
    }
    fixed = sorted(set(options or {}) - set(RUN_OPTIONS) & set(_REQUEST_FIELDS))
    if fixed:
        raise RunRequestError(f"run options cannot set {', '.join(fixed)}: the operator sets them")
    request.update(options or {})
    if params:
        request["params"] = dict(params)
    return validate_run_request(request)


def validate_run_request(document: Any) -> Any:
    """Checks a run request against contracts/run-request.schema.json, and that its runDate names a real hour.

    Returns the document unchanged; raises RunRequestError naming the field. Same verdicts as the workers'
    parseRunRequest (libs/pipeline/src/run-request.ts).
    """
    problem = schema_problem(RUN_REQUEST, document)
    if problem is not None:
        raise RunRequestError(problem)
    try:
        run_hour(document["runDate"])
    except RunRequestError as error:
        raise RunRequestError(f"runDate: {error}") from None
    for field in ("data", "out"):
        _assert_absolute(field, document[field])
    return document


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _assert_absolute(field: str, value: str) -> None:
    """A queued location must mean the same for every worker: a relative path would be read from a worker's own folder."""
    relative = bool(re.match(r"^file:(?!/)", value, re.IGNORECASE)) if _SCHEME.match(value) else not value.startswith("/")
    if relative:
        raise RunRequestError(
            f"{field} {json.dumps(value[:200])} is a relative path, which a worker would read from its own folder; "
            "send an absolute path, a file:/// URL or an s3:// URL"
        )


def _trimmed(value: Any) -> Any:
    """Settings rendered from Variables may carry stray blanks or a newline; anything else is left to the schema."""
    return value.strip() if isinstance(value, str) else value
