"""onnxruntime (Python) timing for bench:onnx: session load, predict of the given rows, peak RSS, and the predictions.

Usage: ort_predict.py MODEL.onnx INPUT.f64 N_ROWS N_FEATURES PREDICTIONS_OUT.f64
Prints one JSON line: loadSeconds, predictSeconds, peakRssBytes.
"""

import json
import resource
import sys
import time

import numpy as np
import onnxruntime


def main(model_path, input_path, n_rows, n_features, out_path):
    x = np.fromfile(input_path, dtype="<f8").reshape(int(n_rows), int(n_features))
    started = time.perf_counter()
    session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    loaded = time.perf_counter()
    (prediction,) = session.run(["prediction"], {"X": x})
    predicted = time.perf_counter()
    prediction.astype("<f8").tofile(out_path)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"loadSeconds": loaded - started, "predictSeconds": predicted - loaded, "peakRssBytes": peak_kib * 1024}))


if __name__ == "__main__":
    main(*sys.argv[1:])
