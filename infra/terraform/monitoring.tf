# Operator signals. The CloudWatch agent on every host scrapes the Prometheus endpoints on loopback
# (the board: model age per output root and the queue by state; each worker: jobs, durations,
# failures) and ships them as embedded metric format logs into the Canopy namespace. An alarm fires
# when no model has been promoted for model_age_alarm_hours; optionally the worker group scales on
# the number of waiting jobs.
locals {
  metrics_namespace = "Canopy"
  metrics_log_group = "/canopy/${var.name}/metrics"

  # The agent's own configuration; the scrape targets are written on each host by
  # bootstrap/prometheus-targets.sh (the board only runs on the main host, workers number per host).
  cloudwatch_agent_config = {
    agent = { metrics_collection_interval = 60, run_as_user = "cwagent" }
    logs = {
      force_flush_interval = 15
      metrics_collected = {
        prometheus = {
          log_group_name         = local.metrics_log_group
          prometheus_config_path = "/opt/aws/amazon-cloudwatch-agent/etc/canopy-prometheus.yaml"
          emf_processor = {
            metric_declaration_dedup = true
            metric_namespace         = local.metrics_namespace
            metric_declaration = [
              {
                source_labels    = ["job"]
                label_matcher    = "^canopy-board$"
                dimensions       = [["root"]]
                metric_selectors = ["^canopy_model_age_seconds$"]
              },
              {
                source_labels    = ["job"]
                label_matcher    = "^canopy-board$"
                dimensions       = [["state"]]
                metric_selectors = ["^canopy_queue_jobs$"]
              },
              {
                source_labels    = ["job"]
                label_matcher    = "^canopy-worker$"
                dimensions       = [["job_name", "outcome"], ["job_name", "kind"]]
                metric_selectors = ["^canopy_jobs_total$", "^canopy_job_failures_total$"]
              },
            ]
          }
        }
      }
    }
  }
}

resource "aws_cloudwatch_log_group" "metrics" {
  #checkov:skip=CKV_AWS_338:These log events only carry scraped metrics into CloudWatch (embedded metric format); the metrics keep their own retention, a year of transport logs would only cost.
  name              = local.metrics_log_group
  retention_in_days = var.metrics_retention_days
  kms_key_id        = aws_kms_key.canopy.arn
}

resource "aws_ssm_parameter" "cloudwatch_agent" {
  #checkov:skip=CKV2_AWS_34:The agent configuration holds no secret (log group, namespace, metric names); SecureString would only add a KMS call per boot.
  name        = "${local.ssm_path}/cloudwatch-agent"
  description = "CloudWatch agent configuration of the Canopy hosts"
  type        = "String"
  value       = jsonencode(local.cloudwatch_agent_config)
}

resource "aws_cloudwatch_metric_alarm" "no_model_promoted" {
  alarm_name          = "${var.name}-no-model-promoted"
  alarm_description   = "No model was promoted to latest.json for ${var.model_age_alarm_hours} hours (training failing, gated out or not scheduled), or the board stopped reporting."
  namespace           = local.metrics_namespace
  metric_name         = "canopy_model_age_seconds"
  dimensions          = { root = local.models_url }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.model_age_alarm_hours * 3600
  treat_missing_data  = "breaching"
  alarm_actions       = var.alarm_topic_arns
  ok_actions          = var.alarm_topic_arns
}

resource "aws_autoscaling_policy" "waiting_jobs" {
  count = local.worker_group && var.scale_workers_on_waiting_jobs ? 1 : 0

  name                   = "${var.name}-waiting-jobs"
  autoscaling_group_name = aws_autoscaling_group.worker[0].name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    target_value     = var.waiting_jobs_per_worker_host
    disable_scale_in = false

    customized_metric_specification {
      namespace   = local.metrics_namespace
      metric_name = "canopy_queue_jobs"
      statistic   = "Average"

      metric_dimension {
        name  = "state"
        value = "waiting"
      }
    }
  }
}
