# One customer-managed key for the stack's data at rest: the bucket and the SSM secrets.
# The hosts may use it only through S3 and SSM (kms:ViaService in iam.tf).
resource "aws_kms_key" "canopy" {
  description             = "${var.name}: bucket objects and SSM secrets"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms_key.json
}

resource "aws_kms_alias" "canopy" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.canopy.key_id
}

data "aws_iam_policy_document" "kms_key" {
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" means this key only; this is AWS's default key policy, delegating to IAM in this account.
  #checkov:skip=CKV_AWS_356:A key policy's Resource "*" means this key only, not every resource.
  #checkov:skip=CKV_AWS_109:Only the account root may manage the key (AWS's default key policy); without it the key could become unmanageable.
  # The account administers the key through IAM (the default key policy); no other principal is named.
  statement {
    sid       = "AccountAdministersThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # CloudWatch Logs encrypts the metrics log group with this key, for that log group only.
  statement {
    sid       = "LogsEncryptsTheMetricsLogGroup"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:${local.metrics_log_group}"]
    }
  }
}
