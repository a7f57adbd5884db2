# The bucket: training data under data/, published models under models/, run staging under models/_staging/.
resource "aws_s3_bucket" "canopy" {
  #checkov:skip=CKV_AWS_18:Access logging needs a second bucket to receive the logs; the instance role's narrow policy and CloudTrail (account level) cover auditing here.
  #checkov:skip=CKV_AWS_144:Cross-region replication doubles cost; every published model can be retrained from its data for its hour.
  #checkov:skip=CKV2_AWS_62:No consumer of S3 event notifications: runs report through BullMQ, not S3 events.
  bucket        = local.bucket_name
  force_destroy = var.bucket_force_destroy
}

resource "aws_s3_bucket_public_access_block" "canopy" {
  bucket = aws_s3_bucket.canopy.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "canopy" {
  bucket = aws_s3_bucket.canopy.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "canopy" {
  bucket = aws_s3_bucket.canopy.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "canopy" {
  bucket = aws_s3_bucket.canopy.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.canopy.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "canopy" {
  bucket = aws_s3_bucket.canopy.id

  # Partial forests of runs that crashed before publishing: never read again once the run is over.
  rule {
    id     = "expire-run-staging"
    status = "Enabled"

    filter {
      prefix = local.staging_prefix
    }

    expiration {
      days = var.staging_expiration_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # Versioning keeps overwritten objects (a --force republish, a replaced data file) for a while, not forever.
  rule {
    id     = "expire-old-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.canopy]
}

resource "aws_s3_bucket_policy" "canopy" {
  bucket = aws_s3_bucket.canopy.id
  policy = data.aws_iam_policy_document.bucket.json

  depends_on = [aws_s3_bucket_public_access_block.canopy]
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.canopy.arn, "${aws_s3_bucket.canopy.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

# Empty marker objects so the two prefixes exist (and show in the console) from the start.
resource "aws_s3_object" "prefix" {
  for_each = toset([local.data_prefix, local.models_prefix])

  bucket       = aws_s3_bucket.canopy.id
  key          = each.value
  content      = ""
  content_type = "application/x-directory"

  depends_on = [aws_s3_bucket_server_side_encryption_configuration.canopy]
}
