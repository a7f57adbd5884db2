"""Reads canopy.forest/1 (the JSON model) into the same compact trees as canopy.forest/2, as the TypeScript reader does."""

import json
from typing import Any

import numpy as np

from .errors import ModelFormatError
from .header import ModelHeader, check_header
from .importances import tree_importances
from .tree import CompactTree, check_structure

FORMAT = "canopy.forest/1"


def _numbers(raw: dict, name: str, length: int, where: str, allow_null: bool = False) -> np.ndarray:
    values = raw.get(name)
    if not isinstance(values, list) or len(values) != length:
        raise ModelFormatError(f"{where}: {name} must be an array of {length} numbers")
    if allow_null:
        values = [np.inf if v is None else v for v in values]
    try:
        out = np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ModelFormatError(f"{where}: {name} holds something that is not a number") from None
    if out.shape != (length,) or not np.isfinite(out[~np.isposinf(out)] if allow_null else out).all():
        raise ModelFormatError(f"{where}: {name} holds something that is not a finite number")
    return out


def _tree(raw: Any, index: int, header: ModelHeader, where: str) -> CompactTree:
    if not isinstance(raw, dict):
        raise ModelFormatError(f"{where} must be an object")
    n = raw.get("nodeCount")
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ModelFormatError(f"{where}: nodeCount must be an integer >= 1")
    k = header.value_width
    feature = _numbers(raw, "feature", n, where)
    threshold = _numbers(raw, "threshold", n, where, allow_null=True)
    missing = _numbers(raw, "missingLeft", n, where)
    left = _numbers(raw, "left", n, where)
    right = _numbers(raw, "right", n, where)
    value = _numbers(raw, "value", n * k, where).reshape(n, k)
    weight = _numbers(raw, "weight", n, where)
    impurity = _numbers(raw, "impurity", n, where)
    leaf = feature == -1
    interior = np.flatnonzero(~leaf)
    if ((left[leaf] != -1) | (right[leaf] != -1)).any():
        node = int(np.flatnonzero(leaf & ((left != -1) | (right != -1)))[0])
        raise ModelFormatError(f"{where}, node {node}: a leaf (feature -1) must have children -1")
    if (left[interior] != interior + 1).any():
        node = int(interior[np.argmax(left[interior] != interior + 1)])
        raise ModelFormatError(f"{where}, node {node}: nodes are not in depth-first pre-order")
    if not np.isin(missing, (0, 1)).all() or (feature != np.floor(feature)).any() or (feature < -1).any():
        raise ModelFormatError(f"{where}: feature must hold whole numbers >= -1 and missingLeft 0 or 1")
    leaf_nodes = np.flatnonzero(leaf)
    split = np.where(leaf, 0.0, threshold)
    if header.task == "regression":
        split[leaf_nodes] = value[leaf_nodes, 0]
        leaf_values = None
    else:
        split[leaf_nodes] = np.arange(leaf_nodes.size, dtype=np.float64)
        leaf_values = np.ascontiguousarray(value[leaf_nodes])
    feature_index = np.where(leaf, 0, feature).astype(np.int64)
    n_features = len(header.feature_names)
    if (feature_index >= n_features).any():
        node = int(np.argmax(feature_index >= n_features))
        raise ModelFormatError(f"{where}, node {node}: feature {feature_index[node]} is not in [0, {n_features})")
    importances = tree_importances(feature_index, leaf, right.astype(np.int64), weight, impurity, n_features)
    stats = bool(weight.any())  # `canopy export --format json` of a model without node statistics writes zeros
    tree = CompactTree(
        tree_index=index,
        node_count=n,
        leaf_count=int(leaf_nodes.size),
        single_leaf=importances is None,
        split=split,
        leaf_values=leaf_values,
        importances=np.zeros(n_features) if importances is None else importances,
        weight=weight if stats else None,
        impurity=impurity if stats else None,
        right=np.where(leaf, -1, right).astype(np.int32),
        feature=feature_index.astype(np.uint32),
        missing_left=(missing == 1) & ~leaf,
    )
    check_structure(tree, n_features, header.task == "classification", where)
    return tree


def read_json(data: bytes, source: str) -> tuple[ModelHeader, list[CompactTree]]:
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ModelFormatError(f"{source}: model is not valid JSON: {error}") from None
    header = check_header(raw, FORMAT, source)
    trees = raw.get("trees")
    count = header.tree_end - header.tree_start
    if not isinstance(trees, list) or len(trees) != count:
        raise ModelFormatError(f"{source}: model must hold {count} trees ({header.tree_start} … {header.tree_end - 1})")
    out = []
    for i, tree in enumerate(trees):
        index = header.tree_start + i
        out.append(_tree(tree, index, header, f"{source}, tree {index}"))
    return header, out
