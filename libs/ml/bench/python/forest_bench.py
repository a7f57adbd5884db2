"""The Python side of `npm run bench:forest`: makes the data set, times scikit-learn (n_jobs=2)
and LightGBM in random-forest mode on it, and saves the data as raw float64 files for the
JavaScript engines, so every engine trains and scores on the same rows.

Usage: forest_bench.py <sklearn|lightgbm> <regression|classification> <n_train> <n_test> <n_features> <n_trees> <dir>
"sklearn" makes and saves the data, then times scikit-learn; "lightgbm" reads the saved data and
times LightGBM (a separate process, so the caller can give it a time limit).
Prints a JSON object with seconds and held-out score (R² or accuracy).
"""

import json
import os
import sys
import time

import lightgbm
import numpy as np
from sklearn import datasets
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.metrics import accuracy_score, r2_score


def load(out_dir, name):
    return np.fromfile(os.path.join(out_dir, name + ".f64"), dtype=np.float64)


def main():
    engine, task, n_train, n_test, n_features, n_trees, out_dir = sys.argv[1:8]
    n_train, n_test, n_features, n_trees = int(n_train), int(n_test), int(n_features), int(n_trees)
    score = r2_score if task == "regression" else accuracy_score
    if engine == "lightgbm":
        x_train = load(out_dir, "x_train").reshape(n_train, n_features)
        x_test = load(out_dir, "x_test").reshape(n_test, n_features)
        y_train, y_test = load(out_dir, "y_train"), load(out_dir, "y_test")
        if task == "classification":
            y_train, y_test = y_train.astype(int), y_test.astype(int)
        params = dict(
            boosting_type="rf",
            n_estimators=n_trees,
            subsample=0.632,
            subsample_freq=1,
            colsample_bynode=1.0 if task == "regression" else float(int(np.sqrt(n_features))) / n_features,
            # Grown out like scikit-learn's trees; the histogram cache is capped or it takes gigabytes.
            num_leaves=min(131072, max(2, n_train // 2)),
            min_child_samples=1,
            min_child_weight=0.0,
            histogram_pool_size=512,
            n_jobs=2,
            random_state=0,
            verbose=-1,
        )
        booster = (lightgbm.LGBMRegressor if task == "regression" else lightgbm.LGBMClassifier)(**params)
        start = time.perf_counter()
        booster.fit(x_train, y_train)
        seconds = time.perf_counter() - start
        json.dump({"seconds": seconds, "score": float(score(y_test, booster.predict(x_test)))}, sys.stdout)
        return

    n = n_train + n_test
    if task == "regression":
        x, y = datasets.make_friedman1(n_samples=n, n_features=n_features, noise=1.0, random_state=0)
    else:
        x, y = datasets.make_classification(n_samples=n, n_features=n_features, n_informative=6, n_redundant=2, n_classes=3, random_state=0)
    x_train, y_train, x_test, y_test = x[:n_train], y[:n_train], x[n_train:], y[n_train:]
    os.makedirs(out_dir, exist_ok=True)
    for name, array in [("x_train", x_train), ("y_train", y_train), ("x_test", x_test), ("y_test", y_test)]:
        np.ascontiguousarray(array, dtype=np.float64).tofile(os.path.join(out_dir, name + ".f64"))

    forest = (RandomForestRegressor if task == "regression" else RandomForestClassifier)(n_estimators=n_trees, n_jobs=2, random_state=0)
    start = time.perf_counter()
    forest.fit(x_train, y_train)
    seconds = time.perf_counter() - start
    json.dump({"seconds": seconds, "score": float(score(y_test, forest.predict(x_test)))}, sys.stdout)


if __name__ == "__main__":
    main()
