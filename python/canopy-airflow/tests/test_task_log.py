from canopy_airflow.task_log import enqueue_line, format_metric, metrics_text, outcome_line


def test_metrics_are_rounded_for_reading():
    assert format_metric(43.25599999999999) == "43.26"
    assert format_metric(0.46461234) == "0.4646"
    assert format_metric(2806.1149) == "2806"
    assert format_metric(100) == "100"
    assert metrics_text({"task": "regression", "mae": 42.0412, "r2": 0.46461}) == "mae=42.04 r2=0.4646"


def test_the_outcome_line_says_what_happened_and_why():
    trained = outcome_line(
        "2026030405", {"status": "completed", "result": {"modelUrl": "s3://b/m/model.canopy", "metrics": {"r2": 0.9037123}}}
    )
    assert trained == "Canopy run 2026030405: TRAINED - model s3://b/m/model.canopy; r2=0.9037"
    failed = outcome_line("2026030405", {"status": "failed", "failedReason": 'line 3, column 2 "b": "x" is not a number'})
    assert failed == 'Canopy run 2026030405: FAILED - line 3, column 2 "b": "x" is not a number'


def test_enqueueing_names_no_state_the_run_may_leave():
    assert enqueue_line("2026030405", "added", "run-2026030405", "active") == (
        "Canopy run 2026030405: enqueued as job run-2026030405 (waiting for a worker)"
    )
    assert "active" not in enqueue_line("2026030405", "added", "run-2026030405", "active")
    assert enqueue_line("2026030405", "existing", "run-2026030405", "completed").endswith("(completed); nothing added")
    # A replaced job is named by the state it had, not the new job's (which is waiting).
    replaced = enqueue_line("2026030405", "replaced", "run-2026030405", "waiting", "completed")
    assert replaced.endswith("(the hour's completed job was removed)")


def test_a_reused_hour_says_so_instead_of_trained():
    result = {"modelUrl": "s3://b/m/model.canopy", "reused": True, "metrics": {}}
    reused = outcome_line("2026030405", {"status": "completed", "result": result})
    assert reused.startswith(
        "Canopy run 2026030405: REUSED (already published from the same inputs and settings) - model s3://b/m/model.canopy"
    )


def test_a_finished_run_is_not_described_with_its_last_phase():
    from canopy_airflow.run_queue import RunStatus

    def status(state):
        return RunStatus("2026030405", "run-2026030405", state, {"phase": "publishing"}, 100, 100, None, None)

    assert status("completed").describe() == "run 2026030405 (run-2026030405) is completed, 100/100 trees grown"
    assert status("active").describe() == "run 2026030405 (run-2026030405) is active, publishing, 100/100 trees grown"


def test_a_huge_failure_reason_is_one_line_under_1000_characters():
    reason = "data.csv line 2: " + "x" * (1 << 20) + "\nsecond line"
    line = outcome_line("2026030405", {"status": "failed", "failedReason": reason, "permanent": True})
    assert "\n" not in line
    assert len(line) < 1100
    assert line.startswith("Canopy run 2026030405: FAILED (permanent: data or settings, no retry) - data.csv line 2: xxx")
    assert line.endswith(f"… ({len(reason):,} characters in all)")
