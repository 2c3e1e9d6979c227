# What a runner may do: read and delete its own JIT config, fetch the runner binaries, ship its
# logs, and terminate itself. Nothing else (jobs get more only through runner_extra_policy_arns).
#
# "Its own" is enforced by IAM, for the EC2 instance role and the Fargate task role alike:
# scale-up tags each secret `hangar:principal = <role unique id>:<session name>`, and a role
# session's aws:userid is exactly that, with the instance id as the session name of an
# instance profile and the task id as the session name of an ECS task role. So a job on one
# runner cannot read or delete another runner's secret, even knowing its name (which is
# unguessable anyway), and cannot re-tag one to itself (no ssm:AddTagsToResource, no
# ssm:PutParameter). infra/test/runner-secrets-iam.spec.ts evaluates these documents offline.
locals {
  # Must equal SECRET_PRINCIPAL_TAG in packages/adapter-aws (checked by infra/test).
  runner_secret_principal_tag = "hangar:principal"
  runner_secret_path_arn      = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter${var.runner_secret_path}"
}

data "aws_iam_policy_document" "runner_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "runner_secrets" {
  statement {
    sid       = "ReadAndDeleteOwnJitConfig"
    actions   = ["ssm:GetParameter", "ssm:DeleteParameter"]
    resources = [local.runner_secret_arn_pattern]
    # An untagged parameter has no value to compare, so the condition fails: denied.
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/${local.runner_secret_principal_tag}"
      values   = ["$${aws:userid}"]
    }
  }
  # AmazonSSMManagedInstanceCore (enable_ssm_session_manager) allows ssm:GetParameter(s) on "*",
  # and runner_extra_policy_arns may allow more: these denies hold whatever else is attached.
  statement {
    sid       = "DenyOtherRunnersSecrets"
    effect    = "Deny"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory", "ssm:DeleteParameter", "ssm:DeleteParameters"]
    resources = [local.runner_secret_arn_pattern]
    condition {
      test     = "StringNotEquals"
      variable = "aws:ResourceTag/${local.runner_secret_principal_tag}"
      values   = ["$${aws:userid}"]
    }
  }
  # No listing, writing or (re-)tagging below the runner path: a job cannot find other runners'
  # secret names, re-bind their secrets to itself, or plant one.
  statement {
    sid       = "DenyRunnerSecretWritesAndListing"
    effect    = "Deny"
    actions   = ["ssm:PutParameter", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", "ssm:LabelParameterVersion", "ssm:UnlabelParameterVersion", "ssm:GetParametersByPath"]
    resources = [local.runner_secret_arn_pattern, local.runner_secret_path_arn]
  }
  # Hangar's own configuration (GitHub App private keys, webhook secret, pools) is never a
  # runner's, nor the operator's own App parameters (github_app_parameters).
  statement {
    sid       = "DenyHangarConfiguration"
    effect    = "Deny"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory", "ssm:GetParametersByPath"]
    resources = concat(["arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter${local.ssm_prefix}/*", "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter${local.ssm_prefix}"], values(local.github_app_parameter_arns))
  }
  dynamic "statement" {
    for_each = local.ssm_kms_statements
    content {
      sid       = "DecryptJitConfig"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.${local.region}.amazonaws.com"]
      }
      # Parameter Store encrypts with the context PARAMETER_ARN = the parameter's ARN: the
      # key decrypts runner secrets for this role, never another SecureString it protects.
      condition {
        test     = "StringLike"
        variable = "kms:EncryptionContext:PARAMETER_ARN"
        values   = [local.runner_secret_arn_pattern]
      }
    }
  }
}

data "aws_iam_policy_document" "runner" {
  source_policy_documents = [data.aws_iam_policy_document.runner_secrets.json]

  statement {
    sid       = "DownloadRunnerBinaries"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.binaries.arn}/*"]
  }

  statement {
    sid       = "ShipRunnerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = [aws_cloudwatch_log_group.runner.arn, "${aws_cloudwatch_log_group.runner.arn}:*"]
  }

  # Backup for the OS shutdown (instance_initiated_shutdown_behavior = terminate): the policy
  # variable resolves to the calling instance's own ARN, so no other instance matches.
  statement {
    sid       = "TerminateSelf"
    actions   = ["ec2:TerminateInstances"]
    resources = ["$${ec2:SourceInstanceARN}"]
    condition {
      test     = "StringEquals"
      variable = "ec2:ResourceTag/${local.deployment_tag}"
      values   = [var.prefix]
    }
  }

  dynamic "statement" {
    for_each = local.s3_kms_statements
    content {
      sid       = "DecryptRunnerBinaries"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role" "runner" {
  name                 = "${var.prefix}-runner"
  path                 = var.role_path
  permissions_boundary = var.permissions_boundary_arn
  assume_role_policy   = data.aws_iam_policy_document.runner_assume.json
  tags                 = local.tags
}

resource "aws_iam_role_policy" "runner" {
  name   = "hangar-runner"
  role   = aws_iam_role.runner.id
  policy = data.aws_iam_policy_document.runner.json
}

resource "aws_iam_role_policy_attachment" "runner_extra" {
  for_each = toset(var.runner_extra_policy_arns)

  role       = aws_iam_role.runner.name
  policy_arn = each.value
}

resource "aws_iam_role_policy_attachment" "runner_session_manager" {
  count = var.enable_ssm_session_manager ? 1 : 0

  role       = aws_iam_role.runner.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "runner" {
  name = "${var.prefix}-runner"
  path = var.instance_profile_path
  role = aws_iam_role.runner.name
  tags = local.tags
}

# Fargate: the task role is what the runner container uses; the execution role is what ECS
# uses to pull the image and write the container's logs.
data "aws_iam_policy_document" "task_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "runner_task" {
  source_policy_documents = [data.aws_iam_policy_document.runner_secrets.json]

  statement {
    sid       = "DownloadRunnerBinaries"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.binaries.arn}/*"]
  }
}

resource "aws_iam_role" "runner_task" {
  count = length(local.fargate_configs) > 0 ? 1 : 0

  name                 = "${var.prefix}-runner-task"
  path                 = var.role_path
  permissions_boundary = var.permissions_boundary_arn
  assume_role_policy   = data.aws_iam_policy_document.task_assume.json
  tags                 = local.tags
}

resource "aws_iam_role_policy" "runner_task" {
  count = length(local.fargate_configs) > 0 ? 1 : 0

  name   = "hangar-runner-task"
  role   = aws_iam_role.runner_task[0].id
  policy = data.aws_iam_policy_document.runner_task.json
}

resource "aws_iam_role_policy_attachment" "runner_task_extra" {
  for_each = length(local.fargate_configs) > 0 ? toset(var.runner_extra_policy_arns) : toset([])

  role       = aws_iam_role.runner_task[0].name
  policy_arn = each.value
}

data "aws_iam_policy_document" "runner_task_execution" {
  # GetAuthorizationToken is account-wide by design (no resource-level permissions); it reads.
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  # Only the repositories of the configured images (runners-fargate.tf); none for public ones.
  dynamic "statement" {
    for_each = length(local.runner_image_repository_arns) > 0 ? [1] : []
    content {
      sid       = "PullRunnerImages"
      actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
      resources = local.runner_image_repository_arns
    }
  }
  statement {
    sid       = "WriteRunnerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.runner.arn}:*"]
  }
  # fargate.secrets of the generated task definitions, injected by ECS with this role.
  dynamic "statement" {
    for_each = length([for arn in local.fargate_secret_arns : arn if strcontains(arn, ":ssm:")]) > 0 ? [1] : []
    content {
      sid       = "ReadRunnerTaskParameters"
      actions   = ["ssm:GetParameters"]
      resources = [for arn in local.fargate_secret_arns : arn if strcontains(arn, ":ssm:")]
    }
  }
  dynamic "statement" {
    for_each = length([for arn in local.fargate_secret_arns : arn if strcontains(arn, ":secretsmanager:")]) > 0 ? [1] : []
    content {
      sid       = "ReadRunnerTaskSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [for arn in local.fargate_secret_arns : arn if strcontains(arn, ":secretsmanager:")]
    }
  }
}

resource "aws_iam_role" "runner_task_execution" {
  count = length(local.fargate_configs) > 0 ? 1 : 0

  name                 = "${var.prefix}-runner-task-execution"
  path                 = var.role_path
  permissions_boundary = var.permissions_boundary_arn
  assume_role_policy   = data.aws_iam_policy_document.task_assume.json
  tags                 = local.tags
}

resource "aws_iam_role_policy" "runner_task_execution" {
  count = length(local.fargate_configs) > 0 ? 1 : 0

  name   = "hangar-runner-task-execution"
  role   = aws_iam_role.runner_task_execution[0].id
  policy = data.aws_iam_policy_document.runner_task_execution.json
}
