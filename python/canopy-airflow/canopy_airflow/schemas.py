"""The JSON Schema files of contracts/, checked with jsonschema (draft 2020-12).

The TypeScript side (libs/pipeline/src/contract-schemas.ts) checks the same files with Ajv; the conformance test
feeds both the same generated documents and expects the same verdicts.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from canopy_airflow.contract_files import load_contract

RUN_REQUEST = "run-request.schema.json"
RUN_RESULT = "run-result.schema.json"
SHARD_RESULT = "shard-result.schema.json"
RUN_PLAN = "run-plan.schema.json"


@cache
def validator(schema_file: str) -> Draft202012Validator:
    schema = load_contract(schema_file)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_problem(schema_file: str, document: Any) -> str | None:
    """None when the document conforms to contracts/<schema_file>; else one line naming the field."""
    error = best_match(validator(schema_file).iter_errors(document))
    return None if error is None else _describe(error)


def _describe(error: ValidationError) -> str:
    """Like the TypeScript side's messages: the field first, then what it must be."""
    field = ""
    for part in error.absolute_path:
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return f"{_join(field, missing)} is required"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(schema.get("properties", {})))
        return f"{', '.join(_join(field, name) for name in extra)} is not a known field"
    if error.validator in ("anyOf", "oneOf") and schema.get("description"):
        return f"{field} is not valid (got {error.instance!r}): {schema['description']}"
    if error.validator == "pattern":
        examples = schema.get("examples")
        like = " or ".join(f'"{e}"' for e in examples) if examples else None
        what = f"a value like {like}" if like else schema.get("description", f"text matching {error.validator_value}")
        return f"{field} must be {what} (got {error.instance!r})"
    return f"{field}: {error.message}" if field else error.message


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
