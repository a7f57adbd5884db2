"""Where a model comes from: a local path, a file: URL or s3:// (boto3, the `s3` extra), a model file or a run folder."""

import os
from typing import BinaryIO
from urllib.parse import unquote, urlparse

#: The run folder's model, then the name runs published before canopy.forest/2 used (contracts/run-layout.json).
MODEL_FILES = ("model.canopy", "model.json")


def _s3_client():
    try:
        import boto3
    except ImportError:
        raise ImportError("reading s3:// models needs boto3: pip install 'canopy-model[s3]'") from None
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    return boto3.client("s3", endpoint_url=endpoint or None)


def _split_s3(url: str) -> tuple[str, str]:
    parsed = urlparse(url)
    return parsed.netloc, parsed.path.lstrip("/")


def _local_path(ref: str) -> str:
    if ref.startswith("file://"):
        return unquote(urlparse(ref).path)
    if ref.startswith("file:"):
        return unquote(ref[len("file:") :])
    return ref


def _s3_exists(client, url: str) -> bool:
    bucket, key = _split_s3(url)
    try:
        client.head_object(Bucket=bucket, Key=key)
        return True
    except client.exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise


def _is_model_file(ref: str) -> bool:
    base = ref.rstrip("/").rsplit("/", 1)[-1] if not ref.endswith("/") else ""
    return base in MODEL_FILES or ("." in base and not ref.endswith("/"))


def open_model(ref) -> tuple[str, BinaryIO]:
    """(name for messages, binary stream) of the model `ref` names; a run folder gives its model.canopy or model.json."""
    ref = os.fspath(ref)
    if ref.startswith("s3://"):
        client = _s3_client()
        url = ref
        if not _is_model_file(ref):
            folder = ref if ref.endswith("/") else ref + "/"
            candidates = [folder + name for name in MODEL_FILES]
            url = next((c for c in candidates if _s3_exists(client, c)), None)
            if url is None:
                raise FileNotFoundError(f"{ref}: no model in this run folder (looked for {', '.join(MODEL_FILES)})")
        bucket, key = _split_s3(url)
        try:
            body = client.get_object(Bucket=bucket, Key=key)["Body"]
        except client.exceptions.NoSuchKey:
            raise FileNotFoundError(f"{url}: no such model") from None
        return url, body
    path = _local_path(ref)
    if os.path.isdir(path):
        found = [os.path.join(path, name) for name in MODEL_FILES if os.path.isfile(os.path.join(path, name))]
        if not found:
            raise FileNotFoundError(f"{ref}: no model in this run folder (looked for {', '.join(MODEL_FILES)})")
        path = found[0]
    elif not os.path.exists(path):
        raise FileNotFoundError(f"{ref}: no such model file or run folder")
    return path, open(path, "rb")
