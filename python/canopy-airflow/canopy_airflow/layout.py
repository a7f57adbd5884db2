"""The run folder layout (docs/contracts.md), with its names read from contracts/run-layout.json.

The TypeScript side is libs/storage/src/run-layout.ts, reading the same file.
"""

from __future__ import annotations

import re
from typing import Any

from canopy_airflow.contract_files import load_contract

_LAYOUT: dict[str, Any] = load_contract("run-layout.json")

MODEL_ARTIFACT: str = _LAYOUT["artifacts"]["model"]
LEGACY_MODEL_ARTIFACT: str = _LAYOUT["legacyModel"]
METRICS_ARTIFACT: str = _LAYOUT["artifacts"]["metrics"]
REPORT_ARTIFACT: str = _LAYOUT["artifacts"]["report"]
MANIFEST_ARTIFACT: str = _LAYOUT["artifacts"]["manifest"]
STAGING_FOLDER: str = _LAYOUT["staging"]["folder"]
RUN_ID = re.compile(_LAYOUT["runId"]["pattern"])


def shard_label(index: int, count: int) -> str:
    """A shard's index as it appears in file names and job ids: zero-padded to >= 2 digits, wider past 100 shards."""
    width = max(_LAYOUT["staging"]["shard"]["indexMinDigits"], len(str(count - 1)))
    return f"{index:0{width}d}"


def is_run_id(text: str) -> bool:
    """True for a run id, `YYYYMMDDHH`."""
    return RUN_ID.fullmatch(text) is not None
