"""How often to_sklearn()'s predictions differ from Canopy's on the parity data sets (docs/python-model.md).

Trains every parity data set with the real `canopy train` as the tests do, then compares `forest.predict` with
`forest.to_sklearn().predict` on all rows. Run: .venvs/model/bin/python python/canopy-model/bench/sklearn_mismatch.py
"""

import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest import train_parity_cases

import canopy_model


def main():
    print("| data set | task | rows | predictions that differ | share | rows whose probabilities differ |")
    print("|---|---|---:|---:|---:|---:|")
    total = differ = 0
    with tempfile.TemporaryDirectory() as work:
        for name, case in train_parity_cases(Path(work)).items():
            forest = canopy_model.load(case.model_canopy)
            sk = forest.to_sklearn()
            ours, theirs = forest.predict(case.frame), sk.predict(case.frame)
            n = int(np.sum(ours != theirs))
            proba = "—"
            if case.task == "classification":
                proba = str(int(np.sum((forest.predict_proba(case.frame) != sk.predict_proba(case.frame)).any(axis=1))))
            print(f"| {name} | {case.task} | {len(ours)} | {n} | {n / len(ours):.1%} | {proba} |")
            total, differ = total + len(ours), differ + n
    print(f"| all | | {total} | {differ} | {differ / total:.1%} | |")


if __name__ == "__main__":
    main()
