"""Damaged files and wrong inputs fail with messages naming the file, the section and what is wrong."""

import struct

import numpy as np
import pytest

import canopy_model
from canopy_model import ModelFormatError


@pytest.fixture(scope="module")
def v2_bytes(trained):
    case = trained["friedman1-missing"]
    return case, case.model_canopy.read_bytes()


def section_offsets(data: bytes):
    """(tag, start of section, payload length) of every section."""
    out, at = [], 8
    while at < len(data):
        tag, _flags, length = struct.unpack_from("<4sIQ", data, at)
        out.append((tag, at, length))
        at += 16 + length + (8 - length % 8) % 8 + 8
    return out


def write(tmp_path, data: bytes):
    path = tmp_path / "model.canopy"
    path.write_bytes(data)
    return path


def test_a_flipped_byte_names_the_tree(v2_bytes, tmp_path):
    _, data = v2_bytes
    tag, start, length = section_offsets(data)[4]
    assert tag == b"TREE"
    damaged = bytearray(data)
    damaged[start + 16 + length // 2] ^= 0x40
    path = write(tmp_path, bytes(damaged))
    with pytest.raises(ModelFormatError, match=rf"{path}, tree 3: checksum mismatch"):
        canopy_model.load(path)


def test_a_truncated_file_says_so(v2_bytes, tmp_path):
    _, data = v2_bytes
    for cut, message in [(len(data) - 16, "end"), (len(data) // 2, "truncated"), (5, "truncated")]:
        path = write(tmp_path, data[:cut])
        with pytest.raises(ModelFormatError, match=message):
            canopy_model.load(path)


def test_a_damaged_header_is_named(v2_bytes, tmp_path):
    _, data = v2_bytes
    damaged = bytearray(data)
    damaged[8 + 16 + 3] ^= 0x01  # inside the HEAD payload
    with pytest.raises(ModelFormatError, match="header: checksum mismatch"):
        canopy_model.load(write(tmp_path, bytes(damaged)))


def test_a_bad_link_with_a_good_checksum_is_caught(v2_bytes, tmp_path):
    """A writer bug, not a transmission error: the CRC matches, the structure check names the node."""
    import zlib

    _, data = v2_bytes
    tag, start, length = section_offsets(data)[1]
    payload = bytearray(data[start + 16 : start + 16 + length])
    n = struct.unpack_from("<I", payload, 4)[0]
    right_at = len(payload) - ((n + 7) >> 3) - 2 * n - 4 * n
    struct.pack_into("<i", payload, right_at, n + 5)  # the root's right child beyond the tree
    padded = length + (8 - length % 8) % 8
    damaged = bytearray(data)
    damaged[start + 16 : start + 16 + length] = payload
    struct.pack_into("<I", damaged, start + 16 + padded, zlib.crc32(payload))
    with pytest.raises(ModelFormatError, match=r"tree 0, node 0: right child"):
        canopy_model.load(write(tmp_path, bytes(damaged)))


def test_not_a_model(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ModelFormatError, match="not a Canopy model"):
        canopy_model.load(path)
    with pytest.raises(FileNotFoundError, match="no model in this run folder"):
        canopy_model.load(tmp_path)


def test_a_damaged_json_model_names_the_tree(trained, tmp_path):
    text = trained["petrol"].model_json.read_text()
    path = tmp_path / "model.json"
    path.write_text(text.replace('"right":[', '"right":[99,', 1))
    with pytest.raises(ModelFormatError, match="tree 0: right must be an array"):
        canopy_model.load(path)


def test_input_columns_are_matched_by_name(trained):
    case = trained["friedman1"]
    forest = canopy_model.load(case.model_canopy)
    shuffled = case.frame[case.names[::-1]].assign(extra="id")
    assert np.array_equal(forest.predict(shuffled), forest.predict(case.frame))
    with pytest.raises(ValueError, match="no column 'x3', which the model needs"):
        forest.predict(case.frame.drop(columns=["x3"]))
    with pytest.raises(ValueError, match="has 9 columns, the model needs 10"):
        forest.predict(case.x[:, :9])
    with pytest.raises(ValueError, match="needs a classification model"):
        forest.predict_proba(case.frame)


def test_pandas_missing_values_are_missing(trained):
    case = trained["friedman1-missing"]
    forest = canopy_model.load(case.model_canopy)
    nullable = case.frame.astype("Float64")  # pd.NA, not NaN
    assert np.array_equal(forest.predict(nullable), forest.predict(case.x))
