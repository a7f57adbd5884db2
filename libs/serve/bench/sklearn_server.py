"""The Python reference of npm run bench:serve: a fitted scikit-learn forest behind uvicorn.

Same contract as `canopy serve`: POST /predict with {"rows": [{feature: value, ...}, ...]} (null = missing)
answers {"predictions": [...]}; GET /healthz. Usage: sklearn_server.py MODEL.pickle PORT
"""

import json
import pickle
import sys

import numpy as np
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

with open(sys.argv[1], "rb") as handle:
    MODEL = pickle.load(handle)
# Fitted on the bench's CSV columns x0 … x{n-1}, in order.
FEATURES = [f"x{i}" for i in range(MODEL.n_features_in_)]


async def predict(request: Request) -> Response:
    body = json.loads(await request.body())
    rows = body["rows"] if isinstance(body, dict) else body
    matrix = np.array([[np.nan if row.get(name) is None else row[name] for name in FEATURES] for row in rows], dtype=np.float64)
    return JSONResponse({"predictions": MODEL.predict(matrix).tolist()})


async def healthz(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/predict", predict, methods=["POST"]), Route("/healthz", healthz)])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
