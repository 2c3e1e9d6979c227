# GitHub Enterprise Server with seed 002's hardening: customer-managed KMS keys for SQS, logs,
# SSM, DynamoDB, S3 and EBS, a permissions boundary and role paths, Lambdas inside the VPC,
# FIFO queues, Lambda bundles from S3 and a prebuilt runner AMI found through SSM.
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "logs_key" {
  statement {
    sid = "AccountAdministersKey"
    actions = [
      "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation",
      "kms:ListResourceTags", "kms:TagResource", "kms:UntagResource", "kms:UpdateKeyDescription", "kms:EnableKey",
      "kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:ListGrants", "kms:RevokeGrant",
    ]
    resources = ["arn:aws:kms:${var.aws_region}:${data.aws_caller_identity.current.account_id}:key/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  # No kms:DescribeKey here (AWS's sample policy lists it): DescribeKey carries no encryption
  # context, so under this condition it could never be allowed (infra/test/iam-data.spec.ts).
  statement {
    sid = "CloudWatchLogsUseKey"
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:aws:logs:${var.aws_region}:${data.aws_caller_identity.current.account_id}:log-group:*"]
    }
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey"]
    resources = ["arn:aws:kms:${var.aws_region}:${data.aws_caller_identity.current.account_id}:key/*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${var.aws_region}.amazonaws.com"]
    }
  }
}

# The key of everything but the logs. The account (IAM) administers and uses it: the module's
# roles get their KMS permissions from IAM, each limited by kms:ViaService. Spot runners'
# encrypted root volumes also need the EC2 Spot service-linked role to use the key (AWS EC2
# guide, "Service-linked role for Spot Instance requests"); that role must exist before this
# policy names it: `aws iam create-service-linked-role --aws-service-name spot.amazonaws.com`
# once per account (an "already exists" answer is fine).
locals {
  key_arns          = "arn:aws:kms:${var.aws_region}:${data.aws_caller_identity.current.account_id}:key/*"
  spot_service_role = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot"
}

data "aws_iam_policy_document" "hangar_key" {
  statement {
    sid = "AccountAdministersAndUsesKeyThroughIam"
    actions = [
      "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation",
      "kms:ListResourceTags", "kms:TagResource", "kms:UntagResource", "kms:UpdateKeyDescription", "kms:EnableKey",
      "kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:ListGrants", "kms:RevokeGrant",
      "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext", "kms:CreateGrant",
    ]
    resources = [local.key_arns]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  statement {
    sid = "SpotServiceLinkedRoleUsesKey"
    actions = [
      "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
      "kms:ReEncryptFrom", "kms:ReEncryptTo",
    ]
    resources = [local.key_arns]
    principals {
      type        = "AWS"
      identifiers = [local.spot_service_role]
    }
  }
  statement {
    sid       = "SpotServiceLinkedRoleGrantsKeyToEbs"
    actions   = ["kms:CreateGrant"]
    resources = [local.key_arns]
    principals {
      type        = "AWS"
      identifiers = [local.spot_service_role]
    }
    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}

resource "aws_kms_key" "hangar" {
  description         = "Hangar: SQS, SSM, DynamoDB, S3 and EBS"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.hangar_key.json
}

resource "aws_kms_key" "logs" {
  description         = "Hangar: CloudWatch Logs"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.logs_key.json
}

locals {
  pools = jsondecode(file("${path.module}/pools.json"))
}

module "hangar" {
  source = "../../modules/multi-runner"

  prefix         = "hangar-ghes"
  runner_configs = local.pools

  vpc_id     = var.vpc_id
  subnet_ids = var.subnet_ids
  github_apps = [{
    app_id      = var.github_app_id
    private_key = file(var.github_app_private_key_path)
  }]

  github_api_url    = var.ghes_api_url
  github_tls_verify = true

  sqs_kms_key_arn      = aws_kms_key.hangar.arn
  ssm_kms_key_arn      = aws_kms_key.hangar.arn
  dynamodb_kms_key_arn = aws_kms_key.hangar.arn
  s3_kms_key_arn       = aws_kms_key.hangar.arn
  ebs_kms_key_arn      = aws_kms_key.hangar.arn
  logs_kms_key_arn     = aws_kms_key.logs.arn

  permissions_boundary_arn = var.permissions_boundary_arn
  role_path                = "/ci/hangar/"
  instance_profile_path    = "/ci/hangar/"

  lambda_subnet_ids         = var.subnet_ids
  lambda_security_group_ids = var.lambda_security_group_ids
  lambda_s3_bucket          = var.lambda_artifacts_bucket

  queues_fifo        = true
  log_retention_days = 365
  runner_secret_path = "/ci/hangar/runners"
}
