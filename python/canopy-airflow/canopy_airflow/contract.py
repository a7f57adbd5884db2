"""The queue contract of docs/contracts.md, Python side: queue and job names, job ids, the run's hour, run requests.

The Node side is libs/pipeline/src/queue-contract.ts and run-request.ts; contracts/run-request.schema.json is
checked against what this module builds (dags/tests). Change all of them together.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from canopy_airflow.layout import is_run_id, shard_label

DEFAULT_QUEUE_NAME = "canopy-training"
#: BullMQ's own default key prefix, on Node and on Python.
DEFAULT_QUEUE_PREFIX = "bull"
TRAIN_JOB = "train"
GROW_JOB = "grow"
REQUEST_VERSION = 1

#: Training parameters a run request may carry (scikit-learn's names in camelCase), with their defaults.
DEFAULT_PARAMS: dict[str, Any] = {
    "nEstimators": 100,
    "maxFeatures": None,
    "maxDepth": None,
    "minSamplesSplit": 2,
    "minSamplesLeaf": 1,
    "bootstrap": True,
    "maxSamples": None,
    "seed": 0,
}
#: Run request fields besides the required ones and `params`.
RUN_OPTIONS = ("task", "features", "testSize", "treesPerShard", "force")
TASKS = ("regression", "classification")


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
        parsed = parsed.replace(tzinfo=timezone.utc)
    # Rebuild from the fields so pendulum's DateTime (Airflow's dates) comes back as a plain datetime.
    utc = parsed.astimezone(timezone.utc)
    return datetime(utc.year, utc.month, utc.day, utc.hour, tzinfo=timezone.utc)


def run_id(hour: datetime) -> str:
    """`YYYYMMDDHH` of the run's hour, e.g. `2026030405`."""
    return run_hour(hour).strftime("%Y%m%d%H")


def train_job_id(run_id_: str) -> str:
    """Job id of a run's `train` job: `run-YYYYMMDDHH` (never contains ':', never all digits)."""
    if not is_run_id(run_id_):
        raise RunRequestError(f'invalid run id "{run_id_}": expected YYYYMMDDHH')
    return f"run-{run_id_}"


def grow_job_id(run_id_: str, index: int, count: int) -> str:
    """Job id of shard `index` (0-based) of `count`: `run-YYYYMMDDHH-shard-NN`, NN zero-padded to >= 2 digits."""
    return f"{train_job_id(run_id_)}-shard-{shard_label(index, count)}"


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

    `params` holds training parameters (keys of DEFAULT_PARAMS; absent ones take the workers' defaults);
    `options` may set task, features, testSize, treesPerShard and force. Raises RunRequestError naming the field.
    """
    request: dict[str, Any] = {
        "version": REQUEST_VERSION,
        "runDate": run_date_iso(hour),
        "data": _required_string("data", data),
        "target": _required_string("target", target),
        "out": _required_string("out", out),
    }
    options = dict(options or {})
    unknown = sorted(set(options) - set(RUN_OPTIONS))
    if unknown:
        raise RunRequestError(f"unknown run option(s): {', '.join(unknown)} (known: {', '.join(RUN_OPTIONS)})")
    if options.get("task") is not None:
        request["task"] = _task(options["task"])
    if options.get("features") is not None:
        request["features"] = _features(options["features"])
    if options.get("testSize") is not None:
        request["testSize"] = _fraction("testSize", options["testSize"], inclusive_max=False)
    if options.get("treesPerShard") is not None:
        request["treesPerShard"] = _integer("treesPerShard", options["treesPerShard"], minimum=1)
    if options.get("force") is not None:
        request["force"] = _boolean("force", options["force"])
    checked = _params(params or {})
    if checked:
        request["params"] = checked
    return request


def _required_string(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RunRequestError(f"{name} is required (a non-empty string), got {value!r}")
    return value.strip()


def _task(value: Any) -> str:
    if value not in TASKS:
        raise RunRequestError(f"task must be one of {', '.join(TASKS)} (got {value!r})")
    return value


def _features(value: Any) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise RunRequestError(f"features must be a non-empty list of column names (got {value!r})")
    return list(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _integer(name: str, value: Any, *, minimum: int) -> int:
    whole = _is_number(value) and float(value).is_integer()
    if not whole or value < minimum:
        raise RunRequestError(f"{name} must be an integer >= {minimum} (got {value!r})")
    return int(value)


def _fraction(name: str, value: Any, *, inclusive_max: bool) -> float:
    upper_ok = (value <= 1) if inclusive_max else (value < 1)
    if not _is_number(value) or not (value > 0 and upper_ok):
        interval = "(0, 1]" if inclusive_max else "(0, 1)"
        raise RunRequestError(f"{name} must be a number in {interval} (got {value!r})")
    return value


def _boolean(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise RunRequestError(f"{name} must be true or false (got {value!r})")
    return value


def _params(params: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(params, Mapping):
        raise RunRequestError(f"training params must be a JSON object (got {params!r})")
    unknown = sorted(set(params) - set(DEFAULT_PARAMS))
    if unknown:
        raise RunRequestError(
            f"unknown training parameter(s): {', '.join(unknown)} (known: {', '.join(DEFAULT_PARAMS)})"
        )
    checked: dict[str, Any] = {}
    for name, value in params.items():
        label = f"params.{name}"
        if name == "nEstimators":
            checked[name] = _integer(label, value, minimum=1)
        elif name in ("minSamplesSplit",):
            checked[name] = _integer(label, value, minimum=2)
        elif name == "minSamplesLeaf":
            checked[name] = _integer(label, value, minimum=1)
        elif name == "seed":
            checked[name] = _integer(label, value, minimum=0)
        elif name == "maxDepth":
            checked[name] = None if value is None else _integer(label, value, minimum=1)
        elif name == "bootstrap":
            checked[name] = _boolean(label, value)
        elif name == "maxSamples":
            checked[name] = None if value is None else _fraction(label, value, inclusive_max=True)
        elif name == "maxFeatures":
            checked[name] = _max_features(value)
    return checked


def _max_features(value: Any) -> Any:
    if value is None or value in ("sqrt", "log2"):
        return value
    if _is_number(value) and value > 0 and (value <= 1 or float(value).is_integer()):
        return value
    raise RunRequestError(
        f'params.maxFeatures must be a fraction in (0, 1], a whole number of features, "sqrt", "log2" or null (got {value!r})'
    )
