"""Checks an ONNX file with onnx.checker and runs it with onnxruntime (CPU), for the libs/onnx tests.

Usage: run_onnx.py MODEL.onnx INPUT.f64 N_ROWS N_FEATURES
INPUT.f64 holds the rows as little-endian float64, row-major (NaN = missing). Prints one JSON object:
the graph's inputs and outputs (name, element type, shape) and every output's values.
"""

import json
import sys

import numpy as np
import onnx
import onnxruntime


def describe(values):
    return [
        {
            "name": v.name,
            "elemType": onnx.TensorProto.DataType.Name(v.type.tensor_type.elem_type),
            "dims": [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim],
        }
        for v in values
    ]


def main(model_path, input_path, n_rows, n_features):
    onnx.checker.check_model(model_path, full_check=True)
    model = onnx.load(model_path)
    x = np.fromfile(input_path, dtype="<f8").reshape(int(n_rows), int(n_features))
    session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    results = session.run(names, {"X": x})
    print(
        json.dumps(
            {
                "inputs": describe(model.graph.input),
                "outputs": describe(model.graph.output),
                "metadata": {p.key: p.value for p in model.metadata_props},
                "values": {name: result.tolist() for name, result in zip(names, results)},
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
