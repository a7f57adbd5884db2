"""Reference numbers from scikit-learn / numpy for the TypeScript tests.

Reads a JSON list of requests on stdin ({"kind": ..., ...} each) and writes the list of answers
on stdout: one Python start (scikit-learn takes a while to import) answers a whole test.
"""

import json
import sys
import warnings

import numpy as np
from sklearn import metrics


def regression(request):
    y_true = np.asarray(request["yTrue"], dtype=float)
    y_pred = np.asarray(request["yPred"], dtype=float)
    mse = metrics.mean_squared_error(y_true, y_pred)
    return {
        "mae": metrics.mean_absolute_error(y_true, y_pred),
        "mse": mse,
        "rmse": metrics.root_mean_squared_error(y_true, y_pred),
        "r2": metrics.r2_score(y_true, y_pred),
    }


def classification(request):
    y_true = np.asarray(request["yTrue"], dtype=int)
    proba = np.asarray(request["proba"], dtype=float)
    k = proba.shape[1]
    y_pred = proba.argmax(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ill-defined F1 for absent classes is 0, as in the TS code
        return {
            "accuracy": metrics.accuracy_score(y_true, y_pred),
            "logLoss": metrics.log_loss(y_true, proba, labels=list(range(k))),
            "macroF1": metrics.f1_score(y_true, y_pred, average="macro"),
            "confusionMatrix": metrics.confusion_matrix(y_true, y_pred, labels=list(range(k))).tolist(),
        }


def summary(request):
    x = np.asarray(request["values"], dtype=float)
    return {
        "mean": float(np.mean(x)),
        "std": float(np.std(x)),
        "quartiles": [float(q) for q in np.quantile(x, [0.25, 0.5, 0.75])],
        "histogram": [int(c) for c in np.histogram(x, bins=10)[0]],
    }


def unique_sorted(request):
    return {"classes": [str(c) for c in np.unique(np.asarray(request["labels"]))]}


HANDLERS = {
    "regression": regression,
    "classification": classification,
    "summary": summary,
    "unique": unique_sorted,
}

if __name__ == "__main__":
    requests = json.load(sys.stdin)
    json.dump([HANDLERS[req["kind"]](req) for req in requests], sys.stdout)
