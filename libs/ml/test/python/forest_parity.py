"""Data, folds and scikit-learn scores for the forest parity tests (libs/ml/test/forest-parity.test.ts).

Writes one JSON object on stdout: {"datasets": [...]}, each with the data (columns, NaN as null),
the folds (train/test row indices) and scikit-learn's score on each fold, so the TypeScript side
trains Canopy on exactly the same rows. Everything is seeded; the data sets ship with scikit-learn
(no download) or are generated.
"""

import csv
import json
import os
import sys

import numpy as np
from sklearn import datasets
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import RepeatedKFold, RepeatedStratifiedKFold

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


def petrol():
    with open(os.path.join(ROOT, "data", "petrol_consumption.csv"), newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], np.array(rows[1:], dtype=float)
    target = header.index("Petrol_Consumption")
    features = [i for i in range(len(header)) if i != target]
    return [header[i] for i in features], body[:, features], body[:, target]


def blank_cells(x, fraction, seed):
    x = x.copy()
    mask = np.random.default_rng(seed).random(x.shape) < fraction
    x[mask] = np.nan
    return x


def case(name, task, names, x, y, n_splits, n_repeats, n_estimators, classes=None):
    if task == "regression":
        folds = RepeatedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=0).split(x)
    else:
        folds = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats, random_state=0).split(x, y)
    out_folds = []
    for i, (train, test) in enumerate(folds):
        if task == "regression":
            model = RandomForestRegressor(n_estimators=n_estimators, random_state=i, n_jobs=2)
            score = r2_score(y[test], model.fit(x[train], y[train]).predict(x[test]))
        else:
            model = RandomForestClassifier(n_estimators=n_estimators, random_state=i, n_jobs=2)
            score = accuracy_score(y[test], model.fit(x[train], y[train]).predict(x[test]))
        out_folds.append({"train": train.tolist(), "test": test.tolist(), "sklearn": float(score)})
    columns = [[None if np.isnan(v) else float(v) for v in x[:, j]] for j in range(x.shape[1])]
    return {
        "name": name,
        "task": task,
        "featureNames": list(names),
        "columns": columns,
        "target": [float(v) for v in y],
        "classes": classes,
        "nEstimators": n_estimators,
        "folds": out_folds,
    }


def main():
    out = []
    names, x, y = petrol()
    out.append(case("petrol", "regression", names, x, y, 2, 5, 200))

    d = datasets.load_diabetes()
    out.append(case("diabetes", "regression", d.feature_names, d.data, d.target, 5, 1, 100))

    x, y = datasets.make_friedman1(n_samples=1000, n_features=10, noise=1.0, random_state=0)
    f_names = [f"x{i}" for i in range(10)]
    out.append(case("friedman1", "regression", f_names, x, y, 5, 1, 100))
    out.append(case("friedman1-missing", "regression", f_names, blank_cells(x, 0.1, 1), y, 5, 1, 100))

    for loader, name in [(datasets.load_breast_cancer, "breast_cancer"), (datasets.load_wine, "wine")]:
        d = loader()
        classes = [str(c) for c in range(len(d.target_names))]
        out.append(case(name, "classification", list(d.feature_names), d.data, d.target, 5, 3, 100, classes))

    x, y = datasets.make_classification(n_samples=1000, n_features=10, n_informative=5, n_redundant=2, n_classes=3, random_state=0)
    classes = ["0", "1", "2"]
    s_names = [f"f{i}" for i in range(10)]
    out.append(case("synthetic", "classification", s_names, x, y, 5, 1, 100, classes))
    out.append(case("synthetic-missing", "classification", s_names, blank_cells(x, 0.1, 2), y, 5, 1, 100, classes))

    json.dump({"datasets": out}, sys.stdout)


def single_tree():
    """One unbootstrapped tree on all petrol rows and features: its top splits must equal Canopy's."""
    names, x, y = petrol()
    model = RandomForestRegressor(n_estimators=1, bootstrap=False, max_features=None, random_state=0).fit(x, y)
    tree = model.estimators_[0].tree_
    nodes = []
    for node in range(tree.node_count):
        nodes.append(
            {
                "feature": int(tree.feature[node]),
                "threshold": float(tree.threshold[node]),
                "left": int(tree.children_left[node]),
                "right": int(tree.children_right[node]),
                "value": float(tree.value[node][0][0]),
                "samples": int(tree.n_node_samples[node]),
            }
        )
    json.dump({"featureNames": names, "nodes": nodes, "importances": model.feature_importances_.tolist()}, sys.stdout)


if __name__ == "__main__":
    single_tree() if sys.argv[1:] == ["single-tree"] else main()
