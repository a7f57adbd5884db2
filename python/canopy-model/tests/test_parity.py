"""canopy_model predicts exactly what `canopy predict` writes, on every parity data set, from either model format."""

import numpy as np
import pytest
from conftest import parity_datasets

import canopy_model

CASES = [name for name, *_ in parity_datasets()]


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("fmt", ["model.canopy", "model.json"])
def test_predictions_equal_canopy_predict(trained, name, fmt):
    case = trained[name]
    forest = canopy_model.load(case.model_canopy if fmt == "model.canopy" else case.model_json)
    assert forest.stored_as == ("canopy.forest/2" if fmt == "model.canopy" else "canopy.forest/1")
    rows = case.cli_rows
    assert len(rows) == len(case.x)
    # The CLI echoes the features it read: the same doubles we wrote (NaN as an empty cell).
    echoed = np.array([[float(r[n]) if r[n] != "" else np.nan for n in case.names] for r in rows])
    np.testing.assert_array_equal(echoed, case.x)
    if case.task == "regression":
        expected = np.array([float(r["prediction"]) for r in rows])
        got = forest.predict(case.frame)
        assert got.dtype == np.float64
        assert np.array_equal(got, expected), f"{name}: {np.sum(got != expected)} of {len(got)} predictions differ"
        np.testing.assert_array_equal(forest.predict(case.x), expected)  # a numpy array in model column order
    else:
        labels = np.array([r["prediction"] for r in rows], dtype=object)
        proba = np.array([[float(r[f"proba_{c}"]) for c in forest.classes_] for r in rows])
        assert np.array_equal(forest.predict(case.frame), labels)
        assert np.array_equal(forest.predict_proba(case.frame), proba)


@pytest.mark.parametrize("name", CASES)
def test_both_formats_give_the_same_forest(trained, name):
    case = trained[name]
    v1, v2 = canopy_model.load(case.model_json), canopy_model.load(case.model_canopy)
    for attribute in ("feature_names_in_", "n_features_in_", "classes_", "task", "target_name"):
        assert np.array_equal(np.asarray(getattr(v1, attribute), dtype=object), np.asarray(getattr(v2, attribute), dtype=object))
    # The JSON export of a model without node statistics writes weights and impurities 0: no importances, as in Canopy.
    assert abs(v2.feature_importances_.sum() - 1) < 1e-12
    assert not v1.feature_importances_.any() and v1.trees[0].weight is None
    assert len(v1.trees) == len(v2.trees) == v1.params["nEstimators"]


def test_a_run_folder_loads_its_model(trained):
    case = trained["petrol"]
    forest = canopy_model.load(case.run_folder)
    assert forest.source == str(case.model_canopy) and forest.stored_as == "canopy.forest/2"
    assert np.array_equal(forest.predict(case.frame), canopy_model.load(forest.source).predict(case.frame))
    assert canopy_model.load(f"file:{case.model_json}").n_features_in_ == len(case.names)


def test_the_model_file_names_are_the_contract():
    """A run folder's model names come from contracts/run-layout.json (the package cannot read it when installed)."""
    import json

    from conftest import ROOT

    layout = json.loads((ROOT / "contracts" / "run-layout.json").read_text())
    assert (layout["artifacts"]["model"], layout["legacyModel"]) == canopy_model.MODEL_FILES
