"""The hour rule, job ids and run requests (python/canopy-airflow/canopy_airflow/contract.py) against
docs/contracts.md and contracts/run-request.schema.json."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

import jsonschema
import pytest
from repo_root import ROOT

from canopy_airflow.contract import (
    RunRequestError,
    build_run_request,
    grow_job_id,
    hour_of_dag_run,
    run_date_iso,
    run_folder,
    run_hour,
    run_id,
    train_job_id,
    validate_run_request,
)

UTC = UTC
SCHEMA = json.loads((ROOT / "contracts" / "run-request.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_the_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize(
    ("value", "folder", "rid"),
    [
        ("2026-03-04T05:00:00+00:00", "2026/03/04/05", "2026030405"),
        ("2026-03-04T07:30+02:00", "2026/03/04/05", "2026030405"),
        ("2026-03-04T05:59:59.999Z", "2026/03/04/05", "2026030405"),
        ("2026-03-04T00:15:00-01:00", "2026/03/04/01", "2026030401"),
        ("2026-12-31T23:30:00-02:00", "2027/01/01/01", "2027010101"),
        (datetime(2026, 3, 4, 5, 42, tzinfo=timezone(timedelta(hours=-3))), "2026/03/04/08", "2026030408"),
    ],
)
def test_the_hour_is_utc_floored(value, folder, rid):
    hour = run_hour(value)
    assert run_folder(hour) == folder
    assert run_id(hour) == rid
    assert hour.tzinfo == UTC and hour.minute == hour.second == hour.microsecond == 0


def test_a_timestamp_that_is_not_iso_is_refused_by_name():
    with pytest.raises(RunRequestError, match="yesterday"):
        run_hour("yesterday")


def test_logical_date_gives_the_hour():
    logical = datetime(2026, 3, 4, 5, tzinfo=UTC)
    context = {"logical_date": logical, "dag_run": SimpleNamespace(run_after=logical + timedelta(hours=1))}
    assert run_folder(hour_of_dag_run(context)) == "2026/03/04/05"


def test_manual_run_without_logical_date_uses_run_after_floored():
    context = {"logical_date": None, "dag_run": SimpleNamespace(run_after=datetime(2026, 3, 4, 5, 47, 12, tzinfo=UTC))}
    assert run_folder(hour_of_dag_run(context)) == "2026/03/04/05"
    assert run_folder(hour_of_dag_run({"dag_run": SimpleNamespace(run_after=datetime(2026, 3, 4, 23, 59, tzinfo=UTC))})) == "2026/03/04/23"


def test_job_ids_follow_the_contract():
    assert train_job_id("2026030405") == "run-2026030405"
    assert grow_job_id("2026030405", 3, 4) == "run-2026030405-shard-03"
    assert grow_job_id("2026030405", 7, 101) == "run-2026030405-shard-007"
    with pytest.raises(RunRequestError, match="2026-03-04"):
        train_job_id("2026-03-04")


def test_minimal_request_matches_the_schema():
    request = build_run_request(run_hour("2026-03-04T05:10Z"), data="s3://b/d.csv", target="y", out="s3://b/models")
    assert request == {"version": 1, "runDate": "2026-03-04T05:00:00Z", "data": "s3://b/d.csv", "target": "y", "out": "s3://b/models"}
    assert list(VALIDATOR.iter_errors(request)) == []


def test_full_request_matches_the_schema():
    params = {
        "nEstimators": 100,
        "maxFeatures": "sqrt",
        "maxDepth": 8,
        "minSamplesSplit": 2,
        "minSamplesLeaf": 1,
        "bootstrap": True,
        "maxSamples": 0.5,
        "seed": 0,
    }
    options = {"task": "classification", "features": ["a", "b"], "testSize": 0.25, "treesPerShard": 10, "force": True}
    request = build_run_request(run_hour("2026-03-04T05:00Z"), data="file:/d.csv", target="y", out="/tmp/m", params=params, options=options)
    assert request["params"] == params and request["treesPerShard"] == 10 and request["force"] is True
    assert list(VALIDATOR.iter_errors(request)) == []


def test_the_documented_example_matches_the_schema():
    doc = (ROOT / "docs" / "contracts.md").read_text()
    example = doc.split("Run request (`train` job data):")[1].split("```json")[1].split("```")[0]
    assert list(VALIDATOR.iter_errors(json.loads(example))) == []


BASE = {"version": 1, "runDate": "2026-03-04T05:00:00Z", "data": "s3://b/d.csv", "target": "y", "out": "s3://b/m"}

# Every field's bounds, types and patterns are checked against the TypeScript side by the generated documents of
# libs/pipeline/test/contract-conformance.test.ts; these are the builder's own duties.


def test_the_builder_passes_params_and_options_as_given_and_the_schema_names_the_field():
    with pytest.raises(RunRequestError, match=r"^params\.nEstimator is not a known field$"):
        build_run_request(run_hour(BASE["runDate"]), data="d", target="y", out="m", params={"nEstimator": 10})
    with pytest.raises(RunRequestError, match=r"^shards is not a known field$"):
        build_run_request(run_hour(BASE["runDate"]), data="d", target="y", out="m", options={"shards": 4})
    with pytest.raises(RunRequestError, match=r"^testSize: '0\.2' is not of type 'number', 'null'$"):
        build_run_request(run_hour(BASE["runDate"]), data="d", target="y", out="m", options={"testSize": "0.2"})
    with pytest.raises(RunRequestError, match="cannot set runDate"):
        build_run_request(run_hour(BASE["runDate"]), data="d", target="y", out="m", options={"runDate": "2020-01-01T00Z"})


def test_settings_from_variables_are_trimmed_and_blank_ones_refused_by_name():
    request = build_run_request(run_hour(BASE["runDate"]), data=" s3://b/d.csv\n", target="y ", out="s3://b/m")
    assert (request["data"], request["target"]) == ("s3://b/d.csv", "y")
    with pytest.raises(RunRequestError, match="^target"):
        build_run_request(run_hour(BASE["runDate"]), data="d", target="  ", out="m")


def test_a_run_date_that_matches_the_pattern_but_is_no_real_hour_is_refused():
    with pytest.raises(RunRequestError, match="^runDate: .*2026-02-30"):
        validate_run_request({**BASE, "runDate": "2026-02-30T05:00:00Z"})


@pytest.mark.parametrize("run_date", ["2026-03-04", "04/03/2026 05:00", "2026-03-04T5:00Z", ""])
def test_the_schema_refuses_run_dates_that_are_not_timestamps(run_date):
    assert list(VALIDATOR.iter_errors({**BASE, "runDate": run_date}))


def test_run_date_iso_is_the_hour_in_utc():
    assert run_date_iso(run_hour("2026-03-04T07:30+02:00")) == "2026-03-04T05:00:00Z"


@pytest.mark.parametrize(("field", "value"), [("data", "iris.csv"), ("data", "file:data/iris.csv"), ("out", "models")])
def test_relative_paths_are_refused_like_the_workers_do(field, value):
    with pytest.raises(RunRequestError, match=rf"{field} \"{re.escape(value)}\" is a relative path"):
        validate_run_request({**BASE, field: value})
