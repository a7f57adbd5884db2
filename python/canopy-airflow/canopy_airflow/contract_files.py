"""The cross-language contract files of contracts/ (JSON Schema and name tables), read once per process.

They sit in the repository next to this package (python/canopy-airflow/canopy_airflow -> contracts/), which is
how the package is installed (editable, or the checkout on PYTHONPATH); CANOPY_CONTRACTS_DIR points elsewhere.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any


def contracts_dir() -> Path:
    configured = os.environ.get("CANOPY_CONTRACTS_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parents[3] / "contracts"


@cache
def load_contract(name: str) -> Any:
    """The parsed JSON of contracts/<name>, e.g. load_contract("queue.json")."""
    path = contracts_dir() / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"Canopy contract file {path} is missing: install canopy-airflow from the repository checkout, "
            "or set CANOPY_CONTRACTS_DIR to its contracts/ folder"
        ) from None
