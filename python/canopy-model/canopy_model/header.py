"""A model's header (format, task, names, classes, parameters, tree range), checked as the TypeScript reader does."""

from dataclasses import dataclass
from typing import Any

from .errors import ModelFormatError


@dataclass(frozen=True)
class ModelHeader:
    format: str
    task: str
    target_name: str
    feature_names: list[str]
    classes: list[str] | None
    params: dict[str, Any]
    tree_start: int
    tree_end: int

    @property
    def value_width(self) -> int:
        return 1 if self.classes is None else len(self.classes)


def _string_list(value: Any, name: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ModelFormatError(f"{where}: model {name} must be an array of strings")
    if len(set(value)) != len(value):
        raise ModelFormatError(f"{where}: model {name} has duplicates")
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_header(raw: Any, expected_format: str, where: str) -> ModelHeader:
    if not isinstance(raw, dict):
        raise ModelFormatError(f"{where}: the model header must be a JSON object")
    if raw.get("format") != expected_format:
        raise ModelFormatError(f"{where}: format {raw.get('format')!r}, expected {expected_format!r}")
    task = raw.get("task")
    if task not in ("regression", "classification"):
        raise ModelFormatError(f'{where}: model task must be "regression" or "classification", got {task!r}')
    if not isinstance(raw.get("targetName"), str):
        raise ModelFormatError(f"{where}: model targetName must be a string")
    features = _string_list(raw.get("featureNames"), "featureNames", where)
    if not features:
        raise ModelFormatError(f"{where}: model featureNames is empty")
    classes = None
    if task == "classification":
        classes = _string_list(raw.get("classes"), "classes", where)
        if not classes:
            raise ModelFormatError(f"{where}: a classification model needs at least one class label")
    elif raw.get("classes") is not None:
        raise ModelFormatError(f"{where}: a regression model has classes null")
    params = raw.get("params")
    if not isinstance(params, dict) or not _is_int(params.get("nEstimators")) or params["nEstimators"] < 1:
        raise ModelFormatError(f"{where}: model params must be an object with a whole nEstimators >= 1")
    start, end = raw.get("treeStart"), raw.get("treeEnd")
    if not _is_int(start) or not _is_int(end):
        raise ModelFormatError(f"{where}: model treeStart and treeEnd must be integers")
    if start < 0 or end > params["nEstimators"] or start >= end:
        raise ModelFormatError(f"{where}: model tree range [{start}, {end}) is not within [0, {params['nEstimators']})")
    return ModelHeader(expected_format, task, raw["targetName"], list(features), classes, params, start, end)
