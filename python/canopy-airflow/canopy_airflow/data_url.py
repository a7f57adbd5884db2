"""Per-hour input URLs, Python side: the same `%Y %m %d %H` (UTC) and `%%` as the workers expand.

The workers resolve a run's `data` themselves (libs/pipeline/src/data-template.ts); the DAG passes the template
through unchanged and only needs the hour's own URL to wait for it (sensors.InputObjectSensor).
"""

from __future__ import annotations

import re
from datetime import datetime

from canopy_airflow.contract import run_hour

_PLACEHOLDER = re.compile(r"%([YmdH%])")


def has_placeholders(template: str) -> bool:
    return re.search(r"%[YmdH]", template) is not None


def expand_data_url(template: str, hour: datetime) -> str:
    """The URL of one hour: `s3://lake/events/%Y/%m/%d/%H/` at 2026-12-03T14Z is `s3://lake/events/2026/12/03/14/`.

    Any other `%` stays as written (a percent-encoded URL keeps its meaning), as on the Node side.
    """
    utc = run_hour(hour)
    fields = {"Y": f"{utc.year:04d}", "m": f"{utc.month:02d}", "d": f"{utc.day:02d}", "H": f"{utc.hour:02d}", "%": "%"}
    return _PLACEHOLDER.sub(lambda match: fields[match.group(1)], template)


def data_url_kind(url: str) -> str:
    """ "prefix" (ends in /: every data file under it), "glob" (* or ? in the last segment) or "object"."""
    if url.endswith("/"):
        return "prefix"
    return "glob" if re.search(r"[*?]", url.rsplit("/", 1)[-1]) else "object"
