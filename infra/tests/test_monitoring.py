"""Operator signals in infra/: the metrics the hosts expose, what the CloudWatch agent ships, the alarm and scaling."""

from __future__ import annotations

import re
import subprocess

import yaml
from conftest import INFRA, TERRAFORM, Config

TARGETS = INFRA / "bootstrap" / "prometheus-targets.sh"
UNITS = TERRAFORM / "templates" / "systemd"


def scrape_config(role: str, workers: int, base: int) -> dict:
    out = subprocess.run(["bash", str(TARGETS), role, str(workers), str(base)], check=True, capture_output=True, text=True)
    return yaml.safe_load(out.stdout)


def targets_of(config: dict) -> dict[str, list[str]]:
    return {job["job_name"]: [t for group in job["static_configs"] for t in group["targets"]] for job in config["scrape_configs"]}


def unit_port_expression(unit: str) -> str:
    [exec_start] = [line for line in (UNITS / unit).read_text().splitlines() if line.startswith("ExecStart=")]
    match = re.search(r"CANOPY_METRICS_PORT=(.+?) exec ", exec_start)
    assert match, f"{unit} sets no CANOPY_METRICS_PORT"
    return match.group(1)


def port_of(expression: str, base: int, instance: int) -> int:
    """Evaluates the unit's shell expression the way systemd + sh would for instance N."""
    script = f'CANOPY_METRICS_BASE_PORT={base}; echo "{expression.replace("$$", "$").replace("%i", str(instance))}"'
    return int(subprocess.run(["sh", "-c", script], check=True, capture_output=True, text=True).stdout)


def test_scrape_targets_are_exactly_the_ports_the_units_listen_on() -> None:
    base = 9400
    worker_expression = unit_port_expression("canopy-worker@.service")
    board_expression = unit_port_expression("canopy-board.service")
    for role, workers in (("main", 2), ("worker", 3), ("main", 0)):
        targets = targets_of(scrape_config(role, workers, base))
        expected_workers = [f"127.0.0.1:{port_of(worker_expression, base, i)}" for i in range(1, workers + 1)]
        assert targets.get("canopy-worker", []) == expected_workers
        if role == "main":
            assert targets["canopy-board"] == [f"127.0.0.1:{port_of(board_expression, base, 0)}"]
        else:
            assert "canopy-board" not in targets
    assert len({port_of(worker_expression, base, i) for i in range(1, 10)} | {port_of(board_expression, base, 0)}) == 10


def test_the_targets_script_refuses_bad_arguments() -> None:
    for args in (["both", "2", "9400"], ["main", "two", "9400"]):
        result = subprocess.run(["bash", str(TARGETS), *args], capture_output=True, text=True)
        assert result.returncode == 2 and "prometheus-targets.sh:" in result.stderr


def test_the_agent_ships_the_named_series_into_the_canopy_namespace(config: Config) -> None:
    agent = config.locals["cloudwatch_agent_config"]
    prometheus = agent["logs"]["metrics_collected"]["prometheus"]
    assert prometheus["log_group_name"] == "${local.metrics_log_group}"
    emf = prometheus["emf_processor"]
    assert emf["metric_namespace"] == "${local.metrics_namespace}"
    selectors = {s for declaration in emf["metric_declaration"] for s in declaration["metric_selectors"]}
    assert selectors == {"^canopy_model_age_seconds$", "^canopy_queue_jobs$", "^canopy_jobs_total$", "^canopy_job_failures_total$"}
    parameter = config.resource("aws_ssm_parameter", "cloudwatch_agent")
    assert parameter["name"] == "${local.ssm_path}/cloudwatch-agent", "the hosts may read only their own SSM path"
    assert parameter["value"] == "${jsonencode(local.cloudwatch_agent_config)}"


def test_an_alarm_fires_when_no_model_was_promoted_for_the_configured_hours(config: Config) -> None:
    alarm = config.resource("aws_cloudwatch_metric_alarm", "no_model_promoted")
    assert alarm["metric_name"] == "canopy_model_age_seconds"
    assert alarm["namespace"] == "${local.metrics_namespace}"
    assert alarm["threshold"] == "${var.model_age_alarm_hours * 3600}"
    assert alarm["comparison_operator"] == "GreaterThanThreshold"
    assert alarm["treat_missing_data"] == "breaching", "a board that stopped reporting must alarm too"
    assert alarm["dimensions"] == {"root": "${local.models_url}"}
    assert config.locals["models_url"].startswith("s3://${aws_s3_bucket.canopy.id}/")
    assert alarm["alarm_actions"] == "${var.alarm_topic_arns}"


def test_scaling_on_waiting_jobs_is_optional_and_tracks_the_waiting_state(config: Config) -> None:
    policy = config.resource("aws_autoscaling_policy", "waiting_jobs")
    assert policy["count"] == "${local.worker_group && var.scale_workers_on_waiting_jobs ? 1 : 0}"
    assert config.variables()["scale_workers_on_waiting_jobs"]["default"] is False
    tracking = policy["target_tracking_configuration"][0]
    metric = tracking["customized_metric_specification"][0]
    assert metric["metric_name"] == "canopy_queue_jobs"
    assert metric["metric_dimension"][0] == {"name": "state", "value": "waiting"}


def test_the_metrics_log_group_is_encrypted_with_the_stack_key_which_logs_may_use_for_it_alone(config: Config) -> None:
    group = config.resource("aws_cloudwatch_log_group", "metrics")
    assert group["kms_key_id"] == "${aws_kms_key.canopy.arn}"
    statements = {s["sid"]: s for s in config.data("aws_iam_policy_document", "kms_key")["statement"]}
    logs = statements["LogsEncryptsTheMetricsLogGroup"]
    assert logs["principals"][0]["identifiers"] == ["logs.${var.region}.amazonaws.com"]
    [condition] = logs["condition"]
    assert condition["variable"] == "kms:EncryptionContext:aws:logs:arn"
    assert condition["values"][0].endswith(":log-group:${local.metrics_log_group}")
