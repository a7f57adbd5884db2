"""Mean decrease in impurity, with the same floating-point operations in the same order as libs/ml/src/model/importances.ts."""

from collections.abc import Iterable

import numpy as np


def tree_importances(
    feature: np.ndarray, is_leaf: np.ndarray, right: np.ndarray, weight: np.ndarray, impurity: np.ndarray, n_features: int
) -> np.ndarray | None:
    """One tree's normalised impurity decrease per feature; None for a single leaf (it takes no part in the mean)."""
    if feature.size <= 1:
        return None
    nodes = np.flatnonzero(~is_leaf)
    left, r = nodes + 1, right[nodes]
    decrease = weight[nodes] * impurity[nodes] - weight[left] * impurity[left] - weight[r] * impurity[r]
    per_tree = np.zeros(n_features)
    np.add.at(per_tree, feature[nodes], decrease)  # unbuffered, in node order: the TypeScript loop's sums
    total = 0.0
    for value in per_tree.tolist():
        total += value
    if total > 0:
        per_tree /= total
    else:
        per_tree[:] = 0
    return per_tree


def mean_importances(per_tree: Iterable[np.ndarray | None], n_features: int) -> np.ndarray:
    mean = np.zeros(n_features)
    counted = 0
    for tree in per_tree:
        if tree is None:
            continue
        mean += tree
        counted += 1
    if counted == 0:
        return mean
    total = 0.0
    for value in mean.tolist():
        total += value / counted
    if total > 0:
        mean = mean / counted / total
    return mean
