"""Forest.to_sklearn(): the same trees as a fitted scikit-learn forest (scikit-learn imported only here).

Each estimator's `tree_` is filled through `Tree.__setstate__({max_depth, node_count, nodes, values})`, the state
scikit-learn pickles. Leaves carry Canopy's leaf values, so the sums are the same; scikit-learn casts X to float32
before comparing with the (float64) thresholds, so an input within float32 rounding of a threshold can go the other
way (docs/python-model.md measures how often).
Interior nodes need values, sample counts and impurities that canopy.forest/2 does not keep by default: with node
statistics (every canopy.forest/1 model) they are the real ones; without, `n_node_samples` counts the leaves below a
node, values are the plain mean of those leaves, and impurities are chosen so that scikit-learn's
`feature_importances_` gives Canopy's importances.
"""

import numpy as np

from .tree import subtree_ends

_TREE_LEAF = -1
_TREE_UNDEFINED = -2


def _depths(right: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Depth of every node: the interior nodes j with j < i < end[j]."""
    n = right.size
    interior = np.flatnonzero(right >= 0)
    marks = np.zeros(n + 1, dtype=np.int64)
    np.add.at(marks, interior + 1, 1)
    np.add.at(marks, ends[interior], -1)
    return np.cumsum(marks)[:n]


def _subtree_sums(per_node: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per node, the sum of `per_node` (rows: nodes) over its subtree, by prefix sums (subtrees are contiguous)."""
    prefix = np.concatenate([np.zeros((1,) + per_node.shape[1:]), np.cumsum(per_node, axis=0)])
    return prefix[ends] - prefix[np.arange(per_node.shape[0])]


def _tree_state(tree, forest, node_dtype):
    n = tree.node_count
    right = tree.right.astype(np.int64)
    leaf = right < 0
    ends = subtree_ends(right)
    width = forest.header.value_width
    nodes = np.zeros(n, dtype=node_dtype)
    nodes["left_child"] = np.where(leaf, _TREE_LEAF, np.arange(n) + 1)
    nodes["right_child"] = np.where(leaf, _TREE_LEAF, right)
    nodes["feature"] = np.where(leaf, _TREE_UNDEFINED, tree.feature.astype(np.int64))
    nodes["threshold"] = np.where(leaf, float(_TREE_UNDEFINED), tree.split)
    nodes["missing_go_to_left"] = tree.missing_left.astype(np.uint8)
    leaf_rows = np.zeros((n, width))
    if tree.leaf_values is None:
        leaf_rows[leaf, 0] = tree.split[leaf]
    else:
        leaf_rows[leaf] = tree.leaf_values
    if tree.weight is not None:
        weight, impurity = tree.weight, tree.impurity
        weighted = _subtree_sums(leaf_rows * weight[:, None] * leaf[:, None], ends)
        values = weighted / _subtree_sums((weight * leaf)[:, None], ends)
        samples = np.maximum(np.rint(weight), 1).astype(np.int64)
    else:
        counts = _subtree_sums(leaf[:, None].astype(np.float64), ends)
        values = _subtree_sums(leaf_rows, ends) / counts
        weight = counts[:, 0]
        samples = weight.astype(np.int64)
        # weight·impurity of a node = the importance its subtree's splits account for: scikit-learn's decrease at each
        # split is then exactly the share of the tree's importance given to that split.
        interior = np.flatnonzero(~leaf)
        share = np.zeros(n)
        if interior.size:
            used = np.bincount(tree.feature[interior], minlength=forest.n_features_in_)
            share[interior] = tree.importances[tree.feature[interior]] / used[tree.feature[interior]]
        impurity = _subtree_sums(share[:, None], ends)[:, 0] / weight
    values[leaf] = leaf_rows[leaf]
    nodes["impurity"] = impurity
    nodes["n_node_samples"] = samples
    nodes["weighted_n_node_samples"] = weight
    max_depth = int(_depths(right, ends).max()) if n > 1 else 0
    return {"max_depth": max_depth, "node_count": n, "nodes": nodes, "values": values.reshape(n, 1, width).copy()}


def _constructor_params(params: dict, classification: bool) -> dict:
    max_features = params.get("maxFeatures")
    if max_features is None:
        max_features = "sqrt" if classification else 1.0
    return {
        "n_estimators": int(params.get("nEstimators", 100)),
        "max_features": max_features,
        "max_depth": params.get("maxDepth"),
        "min_samples_split": params.get("minSamplesSplit", 2),
        "min_samples_leaf": params.get("minSamplesLeaf", 1),
        "bootstrap": bool(params.get("bootstrap", True)),
        "max_samples": params.get("maxSamples"),
        "random_state": params.get("seed"),
    }


def to_sklearn(forest):
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
    from sklearn.tree._tree import NODE_DTYPE, Tree

    classification = forest.task == "classification"
    params = _constructor_params(forest.params, classification)
    Forest = RandomForestClassifier if classification else RandomForestRegressor
    Estimator = DecisionTreeClassifier if classification else DecisionTreeRegressor
    model = Forest(**params)
    model.n_estimators = len(forest.trees)
    n_features = forest.n_features_in_
    width = forest.header.value_width
    n_classes = np.array([width], dtype=np.intp)
    estimator_params = {name: params[name] for name in ("max_features", "max_depth", "min_samples_split", "min_samples_leaf")}
    estimators = []
    for tree in forest.trees:
        estimator = Estimator(**estimator_params, random_state=None)
        sk_tree = Tree(n_features, n_classes, 1)
        sk_tree.__setstate__(_tree_state(tree, forest, NODE_DTYPE))
        estimator.tree_ = sk_tree
        estimator.n_features_in_ = n_features
        estimator.feature_names_in_ = forest.feature_names_in_.copy()
        estimator.n_outputs_ = 1
        estimator.max_features_ = _resolved_max_features(params["max_features"], n_features)
        if classification:
            estimator.classes_ = forest.classes_.copy()
            estimator.n_classes_ = width
        estimators.append(estimator)
    model.estimator_ = Estimator(**estimator_params)
    model.estimators_ = estimators
    model.n_features_in_ = n_features
    model.feature_names_in_ = forest.feature_names_in_.copy()
    model.n_outputs_ = 1
    if classification:
        model.classes_ = forest.classes_.copy()
        model.n_classes_ = width
    return model


def _resolved_max_features(max_features, n_features: int) -> int:
    if max_features == "sqrt":
        return max(1, int(np.sqrt(n_features)))
    if max_features == "log2":
        return max(1, int(np.log2(n_features)))
    if isinstance(max_features, float):
        return max(1, int(max_features * n_features))
    return int(max_features)
