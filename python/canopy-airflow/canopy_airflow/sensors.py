"""The optional check before enqueueing: wait until the run hour's input exists in S3."""

from __future__ import annotations

from typing import Any

from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor

from canopy_airflow.contract import hour_of_dag_run
from canopy_airflow.data_url import data_url_kind, expand_data_url


class InputObjectSensor(S3KeySensor):
    """S3KeySensor on the run's input URL that can be switched off (then it succeeds at once).

    `enabled` is templated (the DAG reads the Variable canopy_wait_for_input), so turning the check on or off
    needs no DAG change. Inputs that are not s3:// URLs (local files) are not checked. Point the AWS connection
    at an S3-compatible server with its extra `endpoint_url`.

    A templated URL (`%Y %m %d %H`, docs/data-inputs.md) is expanded for the DAG run's hour: the sensor waits for the
    hour's own partition (the older hours of a window are taken to be there). A prefix (`.../`) waits for any object
    under it (a `_SUCCESS` marker counts: the partition is complete), a glob for a key matching it.
    """

    template_fields = (*S3KeySensor.template_fields, "enabled")

    def __init__(self, *, data_url: str, enabled: bool | str = False, **kwargs: Any) -> None:
        super().__init__(bucket_key=data_url, **kwargs)
        self.enabled = enabled

    def execute(self, context: Any) -> Any:
        if not _truthy(self.enabled):
            self.log.info("Input check is off (Variable canopy_wait_for_input); not checking %s", self.bucket_key)
            return None
        url = expand_data_url(str(self.bucket_key), hour_of_dag_run(context))
        if not url.startswith("s3://"):
            self.log.info("Input %s is not an s3:// URL; nothing to wait for", url)
            return None
        kind = data_url_kind(url)
        self.bucket_key = url + "*" if kind == "prefix" else url
        self.wildcard_match = kind != "object"
        self.log.info("Waiting for the input %s %s", "object" if kind == "object" else f"{kind} of the hour", url)
        return super().execute(context)


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")
