"""Fixtures: the parity data sets of libs/ml/test/python/forest_parity.py, trained and predicted by the real `canopy`
CLI (apps/worker/bin/canopy.js; built by the Nx test target's dependency on worker:build)."""

import csv
import importlib.util
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn import datasets

ROOT = Path(__file__).resolve().parents[3]
CANOPY = ROOT / "apps" / "worker" / "bin" / "canopy.js"
TREES = 30


def _parity_module():
    spec = importlib.util.spec_from_file_location("forest_parity", ROOT / "libs" / "ml" / "test" / "python" / "forest_parity.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parity_datasets():
    """(name, task, feature names, X, y) of every parity data set, as forest_parity.py builds them."""
    parity = _parity_module()
    out = []
    names, x, y = parity.petrol()
    out.append(("petrol", "regression", names, x, y))
    d = datasets.load_diabetes()
    out.append(("diabetes", "regression", list(d.feature_names), d.data, d.target))
    x, y = datasets.make_friedman1(n_samples=1000, n_features=10, noise=1.0, random_state=0)
    f_names = [f"x{i}" for i in range(10)]
    out.append(("friedman1", "regression", f_names, x, y))
    out.append(("friedman1-missing", "regression", f_names, parity.blank_cells(x, 0.1, 1), y))
    for loader, name in [(datasets.load_breast_cancer, "breast_cancer"), (datasets.load_wine, "wine")]:
        d = loader()
        out.append((name, "classification", list(d.feature_names), d.data, d.target))
    x, y = datasets.make_classification(n_samples=1000, n_features=10, n_informative=5, n_redundant=2, n_classes=3, random_state=0)
    s_names = [f"f{i}" for i in range(10)]
    out.append(("synthetic", "classification", s_names, x, y))
    out.append(("synthetic-missing", "classification", s_names, parity.blank_cells(x, 0.1, 2), y))
    return out


def canopy(*args: str) -> str:
    result = subprocess.run(["node", str(CANOPY), *args], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, f"canopy {' '.join(args)} failed: {result.stderr}"
    return result.stdout


def read_predictions(path: Path):
    """The CLI's output columns, numbers parsed with float() (shortest round-trip text gives back the same doubles)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return rows


class TrainedCase:
    def __init__(self, name, task, names, x, y, folder: Path):
        self.name, self.task, self.names = name, task, names
        self.x = x
        self.frame = pd.DataFrame(x, columns=names)
        self.run_folder = folder
        self.model_canopy = folder / "model.canopy"
        self.model_json = folder.parent / "exported-model.json"
        self.cli_rows = None


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    return train_parity_cases(tmp_path_factory.mktemp("parity"))


def train_parity_cases(base: Path):
    """Every parity data set trained with `canopy train` (70 % of the rows; its model.canopy, and the canopy.forest/1 JSON
    of `canopy export --format json`), predicted with `canopy predict` on all rows."""
    cases = {}
    for name, task, names, x, y in parity_datasets():
        work = base / name
        work.mkdir()
        order = np.random.default_rng(0).permutation(len(y))
        train = order[: int(0.7 * len(y))]
        frame = pd.DataFrame(x, columns=names)
        target = y if task == "regression" else y.astype(int)
        frame.iloc[train].assign(target=target[train]).to_csv(work / "train.csv", index=False)
        frame.to_csv(work / "all.csv", index=False)
        canopy(
            "train",
            "--data",
            str(work / "train.csv"),
            "--target",
            "target",
            "--task",
            task,
            "--trees",
            str(TREES),
            "--out",
            str(work / "runs"),
            "--run-date",
            "2026-01-01T00",
            "--seed",
            "7",
        )
        folder = work / "runs" / "2026" / "01" / "01" / "00"
        case = TrainedCase(name, task, names, x, y, folder)
        assert case.model_canopy.exists(), f"canopy train wrote no {case.model_canopy}"
        # canopy.forest/1, as runs published before canopy.forest/2 hold it.
        canopy("export", "--model", str(folder), "--format", "json", "--out", str(case.model_json))
        canopy("predict", "--model", str(folder), "--data", str(work / "all.csv"), "--out", str(work / "predicted.csv"))
        case.cli_rows = read_predictions(work / "predicted.csv")
        cases[name] = case
    return cases
