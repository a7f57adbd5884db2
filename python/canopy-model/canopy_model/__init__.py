"""Canopy random-forest models in Python: `load` a model file or run folder, then `predict` with numpy.

Both formats load: canopy.forest/2 (binary, `model.canopy`) and canopy.forest/1 (JSON, `model.json`); see
docs/model-format.md. Predictions are the same doubles as `canopy predict`.
"""

from .binary import MAGIC, read_binary
from .errors import ModelFormatError
from .forest import Forest
from .json_v1 import read_json
from .source import MODEL_FILES, open_model

__all__ = ["Forest", "ModelFormatError", "load", "MODEL_FILES"]
__version__ = "0.1.0"


def load(path_or_url) -> Forest:
    """Loads a Canopy model: a local path, `file:` URL or `s3://bucket/key` (pip install 'canopy-model[s3]';
    AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL honoured), naming a model file or a run folder."""
    source, stream = open_model(path_or_url)
    with stream:
        first = stream.read(1)
        if first == MAGIC[:1]:
            header, trees = read_binary(_Prefixed(first, stream), source)
            return Forest(header, trees, source, "canopy.forest/2")
        if first == b"{":
            header, trees = read_json(first + stream.read(), source)
            return Forest(header, trees, source, "canopy.forest/1")
    raise ModelFormatError(f"{source}: not a Canopy model (neither the binary canopy.forest/2 nor the JSON canopy.forest/1)")


class _Prefixed:
    """A stream with bytes already read put back in front."""

    def __init__(self, prefix: bytes, stream):
        self._prefix = prefix
        self._stream = stream

    def read(self, count: int) -> bytes:
        if self._prefix:
            head, self._prefix = self._prefix[:count], self._prefix[count:]
            return head + (self._stream.read(count - len(head)) if count > len(head) else b"")
        return self._stream.read(count)

    def readinto(self, buffer) -> int:
        if self._prefix:
            data = self.read(len(buffer))
            buffer[: len(data)] = data
            return len(data)
        readinto = getattr(self._stream, "readinto", None)
        if readinto is not None:
            return readinto(buffer)
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
