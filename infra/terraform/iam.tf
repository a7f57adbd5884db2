# The hosts' only identity: an instance profile. No IAM user, no access keys.
# It reads the data prefix, writes the models prefix, reads its own SSM parameters, and
# registers with Systems Manager for Session Manager and port forwarding. Nothing else.
resource "aws_iam_role" "host" {
  name                 = "${var.name}-host"
  description          = "Canopy hosts (main and workers)"
  assume_role_policy   = data.aws_iam_policy_document.host_assume.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "host_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_instance_profile" "host" {
  name = "${var.name}-host"
  role = aws_iam_role.host.name
}

resource "aws_iam_role_policy_attachment" "ssm_core" {
  role       = aws_iam_role.host.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_role_policy" "host" {
  name   = "${var.name}-host"
  role   = aws_iam_role.host.id
  policy = data.aws_iam_policy_document.host.json
}

data "aws_iam_policy_document" "host" {
  statement {
    sid       = "ListDataAndModelsOnly"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.canopy.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [local.data_prefix, "${local.data_prefix}*", local.models_prefix, "${local.models_prefix}*"]
    }
  }

  statement {
    sid       = "ReadData"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.canopy.arn}/${local.data_prefix}*"]
  }

  statement {
    sid       = "ReadWriteModels"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.canopy.arn}/${local.models_prefix}*"]
  }

  # Only partial forests are ever deleted (after a run merged them); published models are not.
  statement {
    sid       = "CleanRunStaging"
    actions   = ["s3:DeleteObject"]
    resources = ["${aws_s3_bucket.canopy.arn}/${local.staging_prefix}*"]
  }

  # `--force` re-publishes an hour by deleting its manifest first (the folder is unpublished while its
  # artifacts are rewritten); versioning keeps the old manifest recoverable.
  statement {
    sid       = "UnpublishForForcedRerun"
    actions   = ["s3:DeleteObject"]
    resources = ["${aws_s3_bucket.canopy.arn}/${local.models_prefix}*/manifest.json"]
  }

  statement {
    sid       = "ReadOwnParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = ["arn:${local.partition}:ssm:${var.region}:${local.account_id}:parameter${local.ssm_path}/*"]
  }

  # The CloudWatch agent ships scraped metrics as embedded-metric-format log events to one log group.
  statement {
    sid       = "ShipMetricsToOwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
    resources = [aws_cloudwatch_log_group.metrics.arn, "${aws_cloudwatch_log_group.metrics.arn}:log-stream:*"]
  }

  # The stack key encrypts the bucket (SSE-KMS) and the SecureStrings; usable only through those services.
  statement {
    sid       = "UseStackKeyThroughS3AndSsm"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.canopy.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com", "ssm.${var.region}.amazonaws.com"]
    }
  }
}
