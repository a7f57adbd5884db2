"""The package's own tests: no Airflow database, Redis or worker (those are in dags/tests, against the real stack).

Airflow reads AIRFLOW_HOME when first imported, so a throwaway one is set here, before any test imports airflow.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="canopy-airflow-package-tests-"))
os.environ.update({"AIRFLOW_HOME": str(AIRFLOW_HOME), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"})


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(AIRFLOW_HOME, ignore_errors=True)
