# Mirror of the actions/runner release, filled by the binaries-syncer function and read by
# the runners at boot (no download from GitHub on every launch).

locals {
  # The builds the runners boot from (actions-runner-<os>-<arch> in the bucket; a Fargate task
  # whose image has no runner downloads linux-<arch>): the syncer mirrors only these, not the
  # release's six.
  binaries_platforms = sort(distinct([for c in var.runner_configs : "${c.os == "windows" ? "win" : c.os}-${c.architecture}"]))
}

resource "aws_s3_bucket" "binaries" {
  bucket_prefix = "${lower(var.prefix)}-runner-binaries-"
  force_destroy = true
  tags          = local.tags
}

resource "aws_s3_bucket_ownership_controls" "binaries" {
  bucket = aws_s3_bucket.binaries.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "binaries" {
  bucket                  = aws_s3_bucket.binaries.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "binaries" {
  bucket = aws_s3_bucket.binaries.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "binaries" {
  bucket = aws_s3_bucket.binaries.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.s3_kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.s3_kms_key_arn
    }
    bucket_key_enabled = var.s3_kms_key_arn != null
  }
}

# Old runner versions are only needed while instances that booted with them still run.
resource "aws_s3_bucket_lifecycle_configuration" "binaries" {
  bucket = aws_s3_bucket.binaries.id

  rule {
    id     = "expire-old-runner-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

data "aws_iam_policy_document" "binaries_bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject"]
    resources = [aws_s3_bucket.binaries.arn, "${aws_s3_bucket.binaries.arn}/*"]
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

resource "aws_s3_bucket_policy" "binaries" {
  bucket     = aws_s3_bucket.binaries.id
  policy     = data.aws_iam_policy_document.binaries_bucket.json
  depends_on = [aws_s3_bucket_public_access_block.binaries]
}
