"""Writes the bench's training data (make_friedman1) as CSV and a scikit-learn forest fitted on it as a pickle.

Usage: fit_sklearn.py ROWS TREES SEED CSV_PATH PICKLE_PATH
"""

import pickle
import sys
import time

import numpy as np
from sklearn.datasets import make_friedman1
from sklearn.ensemble import RandomForestRegressor

rows, trees, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
csv_path, pickle_path = sys.argv[4], sys.argv[5]
X, y = make_friedman1(n_samples=rows, n_features=10, noise=1.0, random_state=seed)
header = ",".join([f"x{i}" for i in range(10)] + ["y"])
np.savetxt(csv_path, np.column_stack([X, y]), delimiter=",", header=header, comments="", fmt="%.17g")
started = time.perf_counter()
model = RandomForestRegressor(n_estimators=trees, random_state=seed, n_jobs=1)
model.fit(X, y)
with open(pickle_path, "wb") as handle:
    pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
print(f"{time.perf_counter() - started:.2f}")
