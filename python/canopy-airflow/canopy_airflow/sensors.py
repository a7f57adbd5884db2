"""The optional check before enqueueing: wait until the input object exists in S3."""

from __future__ import annotations

from typing import Any

from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor


class InputObjectSensor(S3KeySensor):
    """S3KeySensor on the run's input URL that can be switched off (then it succeeds at once).

    `enabled` is templated (the DAG reads the Variable canopy_wait_for_input), so turning the check on or off
    needs no DAG change. Inputs that are not s3:// URLs (local files) are not checked. Point the AWS connection
    at an S3-compatible server with its extra `endpoint_url`.
    """

    template_fields = (*S3KeySensor.template_fields, "enabled")

    def __init__(self, *, data_url: str, enabled: bool | str = False, **kwargs: Any) -> None:
        super().__init__(bucket_key=data_url, **kwargs)
        self.enabled = enabled

    def execute(self, context: Any) -> Any:
        if not _truthy(self.enabled):
            self.log.info("Input check is off (Variable canopy_wait_for_input); not checking %s", self.bucket_key)
            return None
        if not str(self.bucket_key).startswith("s3://"):
            self.log.info("Input %s is not an s3:// URL; nothing to wait for", self.bucket_key)
            return None
        self.log.info("Waiting for the input object %s", self.bucket_key)
        return super().execute(context)


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")
