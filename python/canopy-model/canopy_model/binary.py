"""Reads canopy.forest/2 (docs/model-format.md) from a binary stream, section by section, checking everything."""

import json
import struct
import zlib
from typing import BinaryIO

import numpy as np

from .errors import ModelFormatError
from .header import ModelHeader, check_header
from .tree import CompactTree, check_structure

MAGIC = b"CANOPY2\n"
FORMAT = "canopy.forest/2"
_TAGS = (b"HEAD", b"TREE", b"END_")
_MAX_SECTION_BYTES = 2**31
_PRELUDE = 16
_SINGLE_LEAF = 1


def _padding(length: int) -> int:
    return (8 - length % 8) % 8


def _read_exact(stream: BinaryIO, count: int) -> np.ndarray:
    """`count` bytes into a fresh (8-byte aligned) numpy buffer; shorter when the stream ends first."""
    out = np.empty(count, dtype=np.uint8)
    view = memoryview(out)
    filled = 0
    readinto = getattr(stream, "readinto", None)
    while filled < count:
        if readinto is not None:
            got = readinto(view[filled:])
        else:
            chunk = stream.read(count - filled)
            got = len(chunk)
            view[filled : filled + got] = chunk
        if not got:
            return out[:filled]
        filled += got
    return out


class _Sections:
    def __init__(self, stream: BinaryIO, source: str):
        self.stream = stream
        self.source = source
        self.index = 0

    def next(self, describe) -> tuple[bytes, np.ndarray]:
        """The next section's tag and payload (CRC, padding and reserved word checked); (b"", empty) at the end."""
        head = _read_exact(self.stream, 16).tobytes()
        if not head:
            return b"", np.empty(0, np.uint8)
        if len(head) < 16:
            raise ModelFormatError(f"{self.source}: the file ends inside a section header after section {self.index} (truncated)")
        tag, _flags, length = struct.unpack("<4sIQ", head)
        if tag not in _TAGS:
            raise ModelFormatError(f"{self.source}: section {self.index + 1} has an unknown tag {tag!r} (the file is damaged)")
        where = f"{self.source}, {describe(tag)}"
        if length > _MAX_SECTION_BYTES:
            raise ModelFormatError(f"{where}: a section of {length} bytes cannot be right (the file is damaged)")
        body = _read_exact(self.stream, length + _padding(length) + 8)
        if body.size < length + _padding(length) + 8:
            raise ModelFormatError(f"{where}: the file ends inside this section (truncated)")
        payload = body[:length]
        if body[length : length + _padding(length)].any():
            raise ModelFormatError(f"{where}: non-zero padding (the file is damaged)")
        crc, reserved = struct.unpack("<II", body[-8:].tobytes())
        if reserved != 0:
            raise ModelFormatError(f"{where}: non-zero reserved word (the file is damaged)")
        actual = zlib.crc32(payload)
        if crc != actual:
            raise ModelFormatError(f"{where}: checksum mismatch (CRC-32 {actual:08x}, stored {crc:08x}): the file is damaged")
        self.index += 1
        return tag, payload


def _decode_header(payload: np.ndarray, where: str) -> tuple[ModelHeader, int, bool]:
    try:
        raw = json.loads(payload.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ModelFormatError(f"{where}: not JSON ({error})") from None
    header = check_header(raw, FORMAT, where)
    index_bytes, node_stats = raw.get("featureIndexBytes"), raw.get("nodeStats")
    if index_bytes not in (2, 4) or isinstance(index_bytes, bool):
        raise ModelFormatError(f"{where}: featureIndexBytes must be 2 or 4")
    if index_bytes == 2 and len(header.feature_names) > 0xFFFF:
        raise ModelFormatError(f"{where}: too many features for 2-byte indexes")
    if not isinstance(node_stats, bool):
        raise ModelFormatError(f"{where}: nodeStats must be true or false")
    return header, index_bytes, node_stats


def _decode_tree(payload: np.ndarray, header: ModelHeader, index_bytes: int, node_stats: bool, where: str) -> CompactTree:
    if payload.size < _PRELUDE:
        raise ModelFormatError(f"{where}: the section is too short")
    tree_index, n, leaves, flags = struct.unpack("<IIII", payload[:_PRELUDE].tobytes())
    if n < 1 or leaves < 1 or leaves > n:
        raise ModelFormatError(f"{where}: {n} nodes and {leaves} leaves cannot be a tree")
    if flags & ~_SINGLE_LEAF:
        raise ModelFormatError(f"{where}: unknown flags {flags}")
    classification = header.task == "classification"
    k, f = header.value_width, len(header.feature_names)
    sizes = [
        ("split", "<f8", n),
        ("leaf_values", "<f8", leaves * k if classification else 0),
        ("importances", "<f8", f),
        ("weight", "<f8", n if node_stats else 0),
        ("impurity", "<f8", n if node_stats else 0),
        ("right", "<i4", n),
        ("feature", "<u2" if index_bytes == 2 else "<u4", n),
        ("missing", "u1", (n + 7) >> 3),
    ]
    total = _PRELUDE + sum(np.dtype(t).itemsize * count for _, t, count in sizes)
    if total != payload.size:
        raise ModelFormatError(f"{where}: {payload.size} bytes, but {n} nodes and {leaves} leaves need {total}")
    arrays, at = {}, _PRELUDE
    for name, dtype, count in sizes:
        arrays[name] = np.frombuffer(payload, dtype=dtype, count=count, offset=at)
        at += np.dtype(dtype).itemsize * count
    missing_left = np.unpackbits(arrays["missing"], bitorder="little")[:n].astype(bool)
    tree = CompactTree(
        tree_index=tree_index,
        node_count=n,
        leaf_count=leaves,
        single_leaf=bool(flags & _SINGLE_LEAF),
        split=arrays["split"],
        leaf_values=arrays["leaf_values"].reshape(leaves, k) if classification else None,
        importances=arrays["importances"],
        weight=arrays["weight"] if node_stats else None,
        impurity=arrays["impurity"] if node_stats else None,
        right=arrays["right"],
        feature=arrays["feature"],
        missing_left=missing_left,
    )
    check_structure(tree, f, classification, where)
    return tree


def read_binary(stream: BinaryIO, source: str) -> tuple[ModelHeader, list[CompactTree]]:
    """The header and trees of a canopy.forest/2 stream; errors name `source` and the section (`tree 17`)."""
    magic = _read_exact(stream, len(MAGIC)).tobytes()
    if len(magic) < len(MAGIC) and MAGIC.startswith(magic) and magic:
        raise ModelFormatError(f"{source}: the file ends after {len(magic)} bytes (truncated)")
    if magic != MAGIC:
        raise ModelFormatError(f'{source}: not a canopy.forest/2 model (it does not start with the bytes "CANOPY2\\n")')
    sections = _Sections(stream, source)
    tag, payload = sections.next(lambda t: "header")
    if not tag:
        raise ModelFormatError(f"{source}: the file ends after its first 8 bytes (truncated)")
    if tag != b"HEAD":
        raise ModelFormatError(f"{source}: the first section is {tag.decode()}, expected the header")
    header, index_bytes, node_stats = _decode_header(payload, f"{source}, header")
    trees: list[CompactTree] = []
    index = header.tree_start
    while True:
        tag, payload = sections.next(lambda t, index=index: "header" if t == b"HEAD" else "end" if t == b"END_" else f"tree {index}")
        if not tag:
            raise ModelFormatError(
                f"{source}: the file ends after {index - header.tree_start} of {header.tree_end - header.tree_start} trees, "
                "without its end section (truncated)"
            )
        if tag == b"END_":
            count = struct.unpack("<I", payload[:4].tobytes())[0] if payload.size >= 4 else -1
            expected = header.tree_end - header.tree_start
            if index != header.tree_end or count != expected:
                raise ModelFormatError(
                    f"{source}, end: {index - header.tree_start} trees read, the end says {count}, the header {expected}"
                )
            if _read_exact(stream, 1).size:
                raise ModelFormatError(f"{source}: bytes follow the end section (the file is damaged)")
            return header, trees
        where = f"{source}, tree {index}"
        if tag != b"TREE":
            raise ModelFormatError(f"{where}: a {tag.decode()} section where a tree was expected")
        if index >= header.tree_end:
            raise ModelFormatError(f"{where}: more trees than the header's [{header.tree_start}, {header.tree_end})")
        tree = _decode_tree(payload, header, index_bytes, node_stats, where)
        if tree.tree_index != index:
            raise ModelFormatError(f"{where}: the section holds tree {tree.tree_index}")
        trees.append(tree)
        index += 1
