"""A loaded Canopy forest: prediction with numpy, the same doubles as `canopy predict` (libs/ml/src/model)."""

from collections.abc import Sequence

import numpy as np

from .header import ModelHeader
from .importances import mean_importances
from .tree import CompactTree


def _is_dataframe(X) -> bool:
    return hasattr(X, "columns") and hasattr(X, "to_numpy") and hasattr(X, "iloc")


class Forest:
    """A Canopy random forest (either format), ready to predict.

    `predict(X)` / `predict_proba(X)` take a pandas DataFrame (the model's columns matched by name; other columns are
    ignored) or a 2-D array whose columns are in `feature_names_in_` order. NaN (or a pandas missing value) is a
    missing value, sent where each split learned to send it.
    """

    def __init__(self, header: ModelHeader, trees: Sequence[CompactTree], source: str, stored_as: str):
        self.header = header
        self.trees: list[CompactTree] = list(trees)
        self.source = source
        #: "canopy.forest/2" (model.canopy) or "canopy.forest/1" (model.json)
        self.stored_as = stored_as
        self.task: str = header.task
        self.target_name: str = header.target_name
        self.params = dict(header.params)
        self.feature_names_in_ = np.array(header.feature_names, dtype=object)
        self.n_features_in_ = len(header.feature_names)
        self.classes_: np.ndarray | None = None if header.classes is None else np.array(header.classes, dtype=object)
        self.n_classes_ = None if header.classes is None else len(header.classes)
        self._importances: np.ndarray | None = None

    def __repr__(self) -> str:
        return (
            f"<canopy_model.Forest {self.task}, {len(self.trees)} trees, {self.n_features_in_} features, "
            f"target {self.target_name!r}, from {self.source}>"
        )

    @property
    def n_estimators(self) -> int:
        return len(self.trees)

    @property
    def feature_importances_(self) -> np.ndarray:
        """Mean decrease in impurity per feature (scikit-learn's meaning), single-leaf trees left out."""
        if self._importances is None:
            self._importances = mean_importances((None if t.single_leaf else t.importances for t in self.trees), self.n_features_in_)
        return self._importances.copy()

    def _matrix(self, X) -> np.ndarray:
        """X as a C-contiguous float64 (rows, model features) matrix, columns in the model's order."""
        names = self.header.feature_names
        if _is_dataframe(X):
            columns = [str(c) for c in X.columns]
            present = set(columns)
            missing = [name for name in names if name not in present]
            if missing:
                raise ValueError(
                    f"the input has no column {', '.join(repr(m) for m in missing)}, which the model needs "
                    f"(model features: {', '.join(names)})"
                )
            if len(present) != len(columns):
                duplicated = sorted({c for c in columns if columns.count(c) > 1} & set(names))
                if duplicated:
                    raise ValueError(f"the input has more than one column named {', '.join(repr(d) for d in duplicated)}")
            position = {c: i for i, c in enumerate(columns)}
            frame = X.iloc[:, [position[name] for name in names]]
            try:
                matrix = frame.to_numpy(dtype=np.float64, na_value=np.nan)
            except (TypeError, ValueError) as error:
                bad = [
                    n
                    for n, dtype in zip(names, frame.dtypes)
                    if not (dtype.kind in "biuf" or str(dtype).lower() in ("float64", "int64", "boolean"))
                ]
                raise ValueError(f"columns {', '.join(map(repr, bad)) or '?'} are not numeric ({error})") from None
        else:
            try:
                matrix = np.asarray(X, dtype=np.float64)
            except (TypeError, ValueError) as error:
                raise ValueError(f"the input is not numeric ({error})") from None
            if matrix.ndim != 2:
                raise ValueError(f"the input must be 2-D (rows × {self.n_features_in_} features), got shape {matrix.shape}")
            if matrix.shape[1] != self.n_features_in_:
                raise ValueError(
                    f"the input has {matrix.shape[1]} columns, the model needs {self.n_features_in_} "
                    f"({', '.join(names)}); pass a DataFrame to match columns by name"
                )
        return np.ascontiguousarray(matrix, dtype=np.float64)

    def _leaves(self, tree: CompactTree, flat: np.ndarray, n_rows: int, width: int, has_nan: bool) -> np.ndarray:
        """The leaf each row ends in: all rows walk the tree together, one level per step; finished rows drop out."""
        split, right, feature = tree.split, tree.right, tree.feature
        leaf_of = np.empty(n_rows, dtype=np.intp)
        if right[0] < 0:
            leaf_of[:] = 0
            return leaf_of
        rows = np.arange(n_rows, dtype=np.intp)
        node = np.zeros(n_rows, dtype=np.intp)
        node_right = np.full(n_rows, right[0], dtype=np.intp)
        base = rows * width
        while rows.size:
            x = flat[base + feature[node]]
            go_left = x <= split[node]
            if has_nan:
                go_left |= np.isnan(x) & tree.missing_left[node]
            node = np.where(go_left, node + 1, node_right)
            node_right = right[node]  # the next level's right children, and -1 where the row has reached a leaf
            done = node_right < 0
            if done.any():
                leaf_of[rows[done]] = node[done]
                keep = ~done
                rows, node, node_right, base = rows[keep], node[keep], node_right[keep], base[keep]
        return leaf_of

    def _average(self, X) -> np.ndarray:
        """Tree-averaged leaf values, (rows, width): summed in tree order, then divided by the tree count (as Canopy)."""
        matrix = self._matrix(X)
        n_rows = matrix.shape[0]
        width = self.header.value_width
        sums = np.zeros((n_rows, width)) if self.task == "classification" else np.zeros(n_rows)
        if n_rows == 0:
            return sums
        flat = matrix.ravel()
        has_nan = bool(np.isnan(flat).any())
        for tree in self.trees:
            leaves = self._leaves(tree, flat, n_rows, self.n_features_in_, has_nan)
            if tree.leaf_values is None:
                sums += tree.split[leaves]
            else:
                sums += tree.leaf_values[tree.split[leaves].astype(np.intp)]
        sums /= len(self.trees)
        return sums

    def predict(self, X) -> np.ndarray:
        """Regression: the mean of the trees' predictions. Classification: the labels of the most probable class
        (probabilities averaged over trees; the first class wins a tie)."""
        averaged = self._average(X)
        if self.task == "regression":
            return averaged
        return self.classes_[np.argmax(averaged, axis=1)] if averaged.shape[0] else np.array([], dtype=object)

    def predict_proba(self, X) -> np.ndarray:
        """Classification: (rows, classes) probabilities averaged over trees, columns in `classes_` order."""
        if self.task != "classification":
            raise ValueError("predict_proba needs a classification model; this one is a regression model")
        return self._average(X)

    def to_sklearn(self):
        """A fitted scikit-learn RandomForestRegressor / RandomForestClassifier with these trees (needs scikit-learn)."""
        from .sklearn_export import to_sklearn

        return to_sklearn(self)
