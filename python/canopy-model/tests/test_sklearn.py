"""to_sklearn(): scikit-learn's forest predicts what Canopy predicts for the input rounded to float32 (scikit-learn
compares float32 inputs with the float64 thresholds); it survives pickle round trips."""

import pickle

import numpy as np
import pytest
from conftest import parity_datasets
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

import canopy_model

CASES = [name for name, *_ in parity_datasets()]


def float32_rounded(frame):
    return frame.astype(np.float32).astype(np.float64)


@pytest.mark.parametrize("name", CASES)
def test_sklearn_forest_agrees_as_documented(trained, name):
    case = trained[name]
    forest = canopy_model.load(case.model_canopy)
    sk = forest.to_sklearn()
    assert isinstance(sk, RandomForestClassifier if case.task == "classification" else RandomForestRegressor)
    assert sk.n_features_in_ == forest.n_features_in_ and list(sk.feature_names_in_) == list(forest.feature_names_in_)
    assert len(sk.estimators_) == len(forest.trees)
    rounded = float32_rounded(case.frame)
    if case.task == "regression":
        assert np.array_equal(sk.predict(case.frame), forest.predict(rounded))
    else:
        assert list(sk.classes_) == list(forest.classes_)
        assert np.array_equal(sk.predict_proba(case.frame), forest.predict_proba(rounded))
        assert np.array_equal(sk.predict(case.frame), forest.predict(rounded))
    # Where rounding to float32 changes no comparison, scikit-learn gives Canopy's exact predictions.
    same = forest.predict(rounded) == forest.predict(case.frame)
    assert np.array_equal(sk.predict(case.frame)[same], forest.predict(case.frame)[same])
    np.testing.assert_allclose(sk.feature_importances_, forest.feature_importances_, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ["friedman1-missing", "synthetic-missing"])
def test_pickle_round_trip(trained, name):
    case = trained[name]
    sk = canopy_model.load(case.model_canopy).to_sklearn()
    again = pickle.loads(pickle.dumps(sk))
    assert type(again) is type(sk)
    assert np.array_equal(again.predict(case.frame), sk.predict(case.frame))
    if case.task == "classification":
        assert np.array_equal(again.predict_proba(case.frame), sk.predict_proba(case.frame))


def test_a_json_model_converts_too(trained):
    case = trained["wine"]
    v1 = canopy_model.load(case.model_json)
    assert np.array_equal(
        v1.to_sklearn().predict_proba(case.frame), canopy_model.load(case.model_canopy).to_sklearn().predict_proba(case.frame)
    )
