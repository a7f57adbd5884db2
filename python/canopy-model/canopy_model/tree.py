"""One tree in the compact layout of canopy.forest/2 (docs/model-format.md, "TREE"), and its structure checks.

Nodes are in depth-first pre-order: an interior node's left child is the next node, `right` is -1 at a leaf.
Every check is vectorised (a model has millions of nodes; a Python loop per node would take seconds).
"""

from dataclasses import dataclass

import numpy as np

from .errors import ModelFormatError


@dataclass(frozen=True)
class CompactTree:
    tree_index: int
    node_count: int
    leaf_count: int
    single_leaf: bool
    #: interior: threshold (left when x <= it); leaf: the value (regression) or the leaf ordinal (classification)
    split: np.ndarray
    #: classification: (leaf_count, n_classes) class probabilities; regression: None
    leaf_values: np.ndarray | None
    #: this tree's normalised mean decrease in impurity per feature
    importances: np.ndarray
    weight: np.ndarray | None
    impurity: np.ndarray | None
    right: np.ndarray
    feature: np.ndarray
    #: per node: a missing value goes left
    missing_left: np.ndarray


def pending_slots(is_leaf: np.ndarray) -> np.ndarray:
    """h[i] = subtrees still to be read before node i (h[0] = 1); h[n] = 0 for a whole tree in pre-order."""
    steps = np.where(is_leaf, -1, 1).astype(np.int64)
    h = np.empty(is_leaf.size + 1, dtype=np.int64)
    h[0] = 1
    np.cumsum(steps, out=h[1:])
    h[1:] += 1
    return h


def next_equal(h: np.ndarray, start: np.ndarray, value: np.ndarray) -> np.ndarray:
    """For each i: the first j > start[i] with h[j] == value[i], or -1 (one sort, no per-node loop)."""
    n = h.size
    keys = h * n + np.arange(n, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    at = np.searchsorted(sorted_keys, value * n + start + 1)
    found = np.full(start.size, -1, dtype=np.int64)
    inside = at < n
    hit = np.zeros(start.size, dtype=bool)
    hit[inside] = sorted_keys[at[inside]] // n == value[inside]
    found[hit] = order[at[hit]]
    return found


def subtree_ends(right: np.ndarray) -> np.ndarray:
    """end[i]: one past the last node of node i's subtree (subtrees are contiguous in pre-order)."""
    h = pending_slots(right < 0)
    nodes = np.arange(right.size, dtype=np.int64)
    return next_equal(h, nodes, h[:-1] - 1)


def check_structure(tree: CompactTree, n_features: int, classification: bool, where: str) -> None:
    """The nodes form one tree in depth-first pre-order with links and indexes in range (as the TypeScript reader)."""
    n = tree.node_count
    right = tree.right.astype(np.int64)
    is_leaf = right == -1
    h = pending_slots(is_leaf)
    bad = np.flatnonzero(h[1:n] <= 0)
    if bad.size or h[n] != 0:
        node = int(bad[0]) if bad.size else n - 1
        raise ModelFormatError(f"{where}, node {node}: the nodes are not a tree in depth-first pre-order")
    interior = np.flatnonzero(~is_leaf)
    expected = next_equal(h, interior, h[interior])
    wrong = np.flatnonzero(right[interior] != expected)
    if wrong.size:
        node = int(interior[wrong[0]])
        raise ModelFormatError(f"{where}, node {node}: right child {int(right[node])} is not the end of its left subtree")
    leaves = np.flatnonzero(is_leaf)
    if leaves.size != tree.leaf_count:
        raise ModelFormatError(f"{where}: {leaves.size} leaves reached from the root, the section says {tree.leaf_count}")
    if interior.size and int(tree.feature[interior].max()) >= n_features:
        node = int(interior[np.argmax(tree.feature[interior] >= n_features)])
        raise ModelFormatError(f"{where}, node {node}: feature {int(tree.feature[node])} is not in [0, {n_features})")
    if np.isnan(tree.split[interior]).any():
        node = int(interior[np.argmax(np.isnan(tree.split[interior]))])
        raise ModelFormatError(f"{where}, node {node}: the threshold is NaN")
    if tree.missing_left[leaves].any():
        node = int(leaves[np.argmax(tree.missing_left[leaves])])
        raise ModelFormatError(f"{where}, node {node}: a leaf has a missing-value direction")
    if classification:
        ordinal = tree.split[leaves]
        off = np.flatnonzero(ordinal != np.arange(leaves.size))
        if off.size:
            node = int(leaves[off[0]])
            raise ModelFormatError(f"{where}, node {node}: leaf ordinal {ordinal[off[0]]}, expected {int(off[0])}")
    elif not np.isfinite(tree.split[leaves]).all():
        node = int(leaves[np.argmax(~np.isfinite(tree.split[leaves]))])
        raise ModelFormatError(f"{where}, node {node}: leaf value {tree.split[node]}")
