# The main host (Airflow, PostgreSQL, Valkey, board, workers) and an optional auto-scaling group of
# extra worker hosts. Amazon Linux 2023, IMDSv2 only, encrypted root volumes, no SSH key: operators
# use SSM Session Manager. Both run the same bootstrap through cloud-init.
data "aws_ssm_parameter" "al2023" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${var.architecture}"
}

locals {
  ami_id       = data.aws_ssm_parameter.al2023.insecure_value
  worker_group = var.worker_hosts.max > 0

  host_settings = {
    name                 = var.name
    region               = var.region
    ssm_path             = local.ssm_path
    repository_url       = var.repository_url
    repository_branch    = var.repository_branch
    deploy_interval      = var.deploy_interval
    workers_per_host     = var.workers_per_host
    redis_port           = var.redis_port
    bucket               = aws_s3_bucket.canopy.id
    data_prefix          = local.data_prefix
    models_root          = trimsuffix(local.models_prefix, "/")
    worker_command       = var.worker_command
    board_command        = var.board_command
    board_port           = var.board_port
    metrics_base_port    = var.metrics_base_port
    cloudwatch_agent_ssm = aws_ssm_parameter.cloudwatch_agent.name
    airflow_ui_port      = var.airflow_ui_port
    airflow_requirements = var.airflow_requirements
  }

  bootstrap_scripts = {
    bootstrap_sh  = base64gzip(file("${path.module}/../bootstrap/bootstrap.sh"))
    host_setup_sh = base64gzip(file("${path.module}/../bootstrap/host-setup.sh"))
  }

  # Workers on the main host reach Valkey on loopback; worker hosts through the main host's private address.
  main_user_data = templatefile("${path.module}/templates/cloud-init.yaml.tftpl", merge(local.bootstrap_scripts, {
    role       = "main"
    canopy_env = base64gzip(templatefile("${path.module}/templates/canopy.env.tftpl", merge(local.host_settings, { role = "main", redis_host = "127.0.0.1" })))
  }))

  worker_user_data = templatefile("${path.module}/templates/cloud-init.yaml.tftpl", merge(local.bootstrap_scripts, {
    role       = "worker"
    canopy_env = base64gzip(templatefile("${path.module}/templates/canopy.env.tftpl", merge(local.host_settings, { role = "worker", redis_host = aws_instance.main.private_ip })))
  }))

  metadata_options = {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }
}

resource "aws_instance" "main" {
  ami                         = local.ami_id
  instance_type               = var.main_instance_type
  subnet_id                   = var.subnet_id
  vpc_security_group_ids      = [aws_security_group.main.id]
  iam_instance_profile        = aws_iam_instance_profile.host.name
  associate_public_ip_address = var.associate_public_ip_address
  user_data_base64            = base64gzip(local.main_user_data)
  monitoring                  = true
  ebs_optimized               = true

  metadata_options {
    http_endpoint               = local.metadata_options.http_endpoint
    http_tokens                 = local.metadata_options.http_tokens
    http_put_response_hop_limit = local.metadata_options.http_put_response_hop_limit
    instance_metadata_tags      = local.metadata_options.instance_metadata_tags
  }

  root_block_device {
    encrypted             = true
    volume_type           = "gp3"
    volume_size           = var.root_volume_size
    delete_on_termination = true
  }

  tags = { Name = "${var.name}-main" }

  # The main host holds the Airflow database and the queue: a new AMI release or an edited bootstrap
  # must not replace it. Deployments go through the deploy timer, not through user data.
  lifecycle {
    ignore_changes = [ami, user_data_base64]
  }

  # Secrets and permissions must exist before the first boot reads them.
  depends_on = [aws_ssm_parameter.secret, aws_iam_role_policy.host, aws_iam_role_policy_attachment.ssm_core]
}

resource "aws_launch_template" "worker" {
  count = local.worker_group ? 1 : 0

  name_prefix            = "${var.name}-worker-"
  description            = "Canopy worker host: ${var.workers_per_host} workers"
  image_id               = local.ami_id
  instance_type          = var.worker_instance_type
  user_data              = base64gzip(local.worker_user_data)
  ebs_optimized          = true
  update_default_version = true

  iam_instance_profile {
    arn = aws_iam_instance_profile.host.arn
  }

  network_interfaces {
    security_groups             = [aws_security_group.worker.id]
    associate_public_ip_address = var.associate_public_ip_address
    delete_on_termination       = true
  }

  metadata_options {
    http_endpoint               = local.metadata_options.http_endpoint
    http_tokens                 = local.metadata_options.http_tokens
    http_put_response_hop_limit = local.metadata_options.http_put_response_hop_limit
    instance_metadata_tags      = local.metadata_options.instance_metadata_tags
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      encrypted             = true
      volume_type           = "gp3"
      volume_size           = var.root_volume_size
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = true
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "${var.name}-worker" }
  }

  depends_on = [aws_ssm_parameter.secret, aws_iam_role_policy.host, aws_iam_role_policy_attachment.ssm_core]
}

resource "aws_autoscaling_group" "worker" {
  count = local.worker_group ? 1 : 0

  name_prefix         = "${var.name}-worker-"
  min_size            = var.worker_hosts.min
  desired_capacity    = var.worker_hosts.desired
  max_size            = var.worker_hosts.max
  vpc_zone_identifier = local.worker_subnet_ids
  health_check_type   = "EC2"

  launch_template {
    id      = aws_launch_template.worker[0].id
    version = aws_launch_template.worker[0].latest_version
  }

  # A new launch template (AMI, bootstrap) rolls through the hosts; workers stop gracefully (systemd).
  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = 50
    }
  }

  tag {
    key                 = "Name"
    value               = "${var.name}-worker"
    propagate_at_launch = true
  }
}
