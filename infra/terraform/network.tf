# Inbound: the Airflow UI and the board from allowed_cidrs only, Valkey from the worker group only.
# No SSH anywhere: operators use SSM Session Manager (shell and port forwarding).
# Outbound: HTTPS (packages, git, npm, PyPI, S3, SSM) and, for workers, Valkey on the main host.
locals {
  ui_ports = {
    airflow = var.airflow_ui_port
    board   = var.board_port
  }

  ui_ingress = {
    for pair in setproduct(keys(local.ui_ports), var.allowed_cidrs) :
    "${pair[0]}-${pair[1]}" => { name = pair[0], port = local.ui_ports[pair[0]], cidr = pair[1] }
  }
}

resource "aws_security_group" "main" {
  name        = "${var.name}-main"
  description = "Canopy main host: Airflow, Valkey, board, workers"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-main" }
}

resource "aws_security_group" "worker" {
  name        = "${var.name}-worker"
  description = "Canopy worker hosts: may reach Valkey on the main host"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-worker" }
}

resource "aws_vpc_security_group_ingress_rule" "ui" {
  for_each = local.ui_ingress

  security_group_id = aws_security_group.main.id
  description       = "${each.value.name} UI from an allowed network"
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr
}

resource "aws_vpc_security_group_ingress_rule" "redis_from_workers" {
  security_group_id            = aws_security_group.main.id
  description                  = "Valkey from Canopy worker hosts"
  ip_protocol                  = "tcp"
  from_port                    = var.redis_port
  to_port                      = var.redis_port
  referenced_security_group_id = aws_security_group.worker.id
}

resource "aws_vpc_security_group_egress_rule" "https" {
  for_each = {
    main   = aws_security_group.main.id
    worker = aws_security_group.worker.id
  }

  security_group_id = each.value
  description       = "HTTPS: packages, git, npm, PyPI, S3, SSM"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "worker_to_redis" {
  security_group_id            = aws_security_group.worker.id
  description                  = "Valkey on the main host"
  ip_protocol                  = "tcp"
  from_port                    = var.redis_port
  to_port                      = var.redis_port
  referenced_security_group_id = aws_security_group.main.id
}
