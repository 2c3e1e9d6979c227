# One role per function, built from small capability documents. Who terminates follows core's
# use cases: retireRunner/completeTermination run in scale-down, job-events, reconciler and
# instance-events; only scale-up launches (pool enqueues to scale-up). No statement allows a `*`
# action, and every mutating action names resources (or, where EC2 needs wildcards for
# resources that do not exist yet, carries a tag or VPC condition). infra/test enforces both.
locals {
  lambda_capabilities = {
    "webhook"         = ["event_store", "pools_read", "webhook_secret_read", "github_apps_read", "scale_up_send", "job_events_send"]
    "scale-up"        = ["event_store", "pools_read", "github_apps_read", "scale_up_consume", "scale_up_send", "runner_secrets_write", "runner_secrets_cleanup", "ec2_describe", "ec2_launch", "fargate_launch"]
    "job-events"      = ["event_store", "pools_read", "github_apps_read", "job_events_consume", "scale_up_send", "runner_secrets_cleanup", "ec2_describe", "runner_terminate"]
    "scale-down"      = ["event_store", "pools_read", "github_apps_read", "scale_up_send", "runner_secrets_cleanup", "ec2_describe", "runner_terminate"]
    "pool"            = ["event_store", "pools_read", "github_apps_read", "scale_up_send", "runner_secrets_cleanup", "ec2_describe"]
    "reconciler"      = ["event_store", "pools_read", "github_apps_read", "scale_up_send", "runner_secrets_cleanup", "ec2_describe", "runner_terminate"]
    "instance-events" = ["event_store", "pools_read", "github_apps_read", "scale_up_send", "runner_secrets_cleanup", "ec2_describe", "runner_terminate"]
    "binaries-syncer" = ["binaries_write"]
  }

  capability_documents = {
    event_store            = data.aws_iam_policy_document.event_store.json
    pools_read             = data.aws_iam_policy_document.pools_read.json
    github_apps_read       = data.aws_iam_policy_document.github_apps_read.json
    webhook_secret_read    = data.aws_iam_policy_document.webhook_secret_read.json
    scale_up_send          = data.aws_iam_policy_document.scale_up_send.json
    job_events_send        = data.aws_iam_policy_document.job_events_send.json
    scale_up_consume       = data.aws_iam_policy_document.scale_up_consume.json
    job_events_consume     = data.aws_iam_policy_document.job_events_consume.json
    runner_secrets_write   = data.aws_iam_policy_document.runner_secrets_write.json
    runner_secrets_cleanup = data.aws_iam_policy_document.runner_secrets_cleanup.json
    ec2_describe           = data.aws_iam_policy_document.ec2_describe.json
    ec2_launch             = data.aws_iam_policy_document.ec2_launch.json
    fargate_launch         = data.aws_iam_policy_document.fargate_launch.json
    runner_terminate       = data.aws_iam_policy_document.runner_terminate.json
    binaries_write         = data.aws_iam_policy_document.binaries_write.json
  }

  ec2_arn            = "arn:${local.partition}:ec2:${local.region}:${local.account_id}"
  ssm_kms_statements = var.ssm_kms_key_arn == null ? [] : [var.ssm_kms_key_arn]
  sqs_kms_statements = var.sqs_kms_key_arn == null ? [] : [var.sqs_kms_key_arn]
  ddb_kms_statements = var.dynamodb_kms_key_arn == null ? [] : [var.dynamodb_kms_key_arn]
  s3_kms_statements  = var.s3_kms_key_arn == null ? [] : [var.s3_kms_key_arn]
  # ebs_kms_key_arn and any key a block_device_mappings entry names.
  ebs_kms_statements  = distinct(compact(concat([var.ebs_kms_key_arn], flatten([for id, m in module.pools_document.machines : [for v in m.volumes : v.kms_key_id]]))))
  launch_template_arn = [for id, lt in aws_launch_template.runner : lt.arn]
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  for_each = local.handlers

  name                 = "${var.prefix}-${each.key}"
  path                 = var.role_path
  permissions_boundary = var.permissions_boundary_arn
  assume_role_policy   = data.aws_iam_policy_document.lambda_assume.json
  tags                 = local.tags
}

data "aws_iam_policy_document" "lambda_logs" {
  for_each = local.handlers

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.lambda[each.key].arn}:*"]
  }
}

data "aws_iam_policy_document" "lambda" {
  for_each = local.handlers

  source_policy_documents = concat(
    [data.aws_iam_policy_document.lambda_logs[each.key].json],
    [for capability in local.lambda_capabilities[each.key] : local.capability_documents[capability]],
  )
}

resource "aws_iam_role_policy" "lambda" {
  for_each = local.handlers

  name   = "hangar-${each.key}"
  role   = aws_iam_role.lambda[each.key].id
  policy = data.aws_iam_policy_document.lambda[each.key].json
}

# ENIs for functions in a VPC. The AWS managed policy needs `*` for ec2:CreateNetworkInterface
# (the interface does not exist yet); it is attached only when lambda_subnet_ids is set.
resource "aws_iam_role_policy_attachment" "lambda_vpc" {
  for_each = length(var.lambda_subnet_ids) > 0 ? local.handlers : {}

  role       = aws_iam_role.lambda[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

# X-Ray: PutTraceSegments/PutTelemetryRecords support no resource-level permissions, so the AWS
# managed write policy is attached (only when tracing_mode is set) rather than an inline "*".
resource "aws_iam_role_policy_attachment" "lambda_xray" {
  for_each = var.tracing_mode == null ? {} : local.handlers

  role       = aws_iam_role.lambda[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"
}

data "aws_iam_policy_document" "event_store" {
  statement {
    sid = "AppendAndReadEvents"
    actions = [
      "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem",
      "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:BatchWriteItem",
    ]
    resources = [aws_dynamodb_table.events.arn, "${aws_dynamodb_table.events.arn}/index/*"]
  }
  dynamic "statement" {
    for_each = local.ddb_kms_statements
    content {
      sid       = "UseTableKey"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${local.region}.amazonaws.com"]
      }
    }
  }
}

data "aws_iam_policy_document" "pools_read" {
  statement {
    sid       = "ReadPools"
    actions   = ["ssm:GetParameter"]
    resources = [aws_ssm_parameter.pools.arn]
  }
}

data "aws_iam_policy_document" "scale_up_send" {
  statement {
    sid       = "SendScaleUpWork"
    actions   = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.scale_up.arn]
  }
  dynamic "statement" {
    for_each = local.sqs_kms_statements
    content {
      sid       = "EncryptScaleUpWork"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

data "aws_iam_policy_document" "job_events_send" {
  statement {
    sid       = "SendJobEvents"
    actions   = ["sqs:SendMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.job_events.arn]
  }
  dynamic "statement" {
    for_each = local.sqs_kms_statements
    content {
      sid       = "EncryptJobEvents"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

data "aws_iam_policy_document" "scale_up_consume" {
  statement {
    sid       = "ConsumeScaleUpWork"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.scale_up.arn]
  }
  dynamic "statement" {
    for_each = local.sqs_kms_statements
    content {
      sid       = "DecryptScaleUpWork"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

data "aws_iam_policy_document" "job_events_consume" {
  statement {
    sid       = "ConsumeJobEvents"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.job_events.arn]
  }
  dynamic "statement" {
    for_each = local.sqs_kms_statements
    content {
      sid       = "DecryptJobEvents"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

data "aws_iam_policy_document" "runner_secrets_write" {
  statement {
    sid       = "WriteRunnerJitConfigs"
    actions   = ["ssm:PutParameter", "ssm:AddTagsToResource", "ssm:GetParameter"]
    resources = [local.runner_secret_arn_pattern]
  }
  dynamic "statement" {
    for_each = local.ssm_kms_statements
    content {
      sid       = "EncryptRunnerJitConfigs"
      actions   = ["kms:Encrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.${local.region}.amazonaws.com"]
      }
    }
  }
}

data "aws_iam_policy_document" "runner_secrets_cleanup" {
  statement {
    sid       = "DeleteLeftoverJitConfigs"
    actions   = ["ssm:DeleteParameter", "ssm:DeleteParameters", "ssm:GetParametersByPath"]
    resources = [local.runner_secret_arn_pattern, "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter${var.runner_secret_path}"]
  }
}

# Reads only: EC2 Describe* calls support no resource-level permissions, so `*` it is.
# ecs:ListTasks + ecs:DescribeTasks list Fargate runners and find a task by its launch key.
data "aws_iam_policy_document" "ec2_describe" {
  statement {
    sid = "DescribeRunners"
    actions = [
      "ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:DescribeLaunchTemplates",
      "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeImages", "ec2:DescribeSubnets",
      "ec2:DescribeInstanceTypes", "ecs:DescribeTasks", "ecs:ListTasks",
    ]
    resources = ["*"]
  }
}
