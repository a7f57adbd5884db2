provider "aws" {
  region = var.region

  default_tags {
    tags = merge(var.tags, {
      Project   = "canopy"
      Stack     = var.name
      ManagedBy = "terraform"
    })
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  bucket_name = coalesce(var.bucket_name, "${var.name}-${local.account_id}-${var.region}")

  # Object prefixes, always "something/": the IAM policy and the lifecycle rule depend on it.
  data_prefix    = var.data_prefix
  models_prefix  = var.models_prefix
  staging_prefix = "${var.models_prefix}_staging/"
  # The models root as runs, the board and the model-age metric name it (no trailing slash).
  models_url = "s3://${aws_s3_bucket.canopy.id}/${trimsuffix(var.models_prefix, "/")}"

  # Every SSM parameter of this stack lives under one path, so the instance policy can name it exactly.
  ssm_path = "/${var.name}"

  worker_subnet_ids = length(var.worker_subnet_ids) > 0 ? var.worker_subnet_ids : [var.subnet_id]
}
