# Periodic functions run from EventBridge Scheduler (time-zone aware, no rule quota).
locals {
  schedules = {
    "scale-down"      = var.scale_down_schedule
    "pool"            = var.pool_schedule
    "reconciler"      = var.reconciler_schedule
    "binaries-syncer" = var.binaries_sync_schedule
  }
}

data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "InvokeScheduledFunctions"
    actions   = ["lambda:InvokeFunction"]
    resources = [for name, expression in local.schedules : aws_lambda_function.handler[name].arn]
  }
}

resource "aws_iam_role" "scheduler" {
  name                 = "${var.prefix}-scheduler"
  path                 = var.role_path
  permissions_boundary = var.permissions_boundary_arn
  assume_role_policy   = data.aws_iam_policy_document.scheduler_assume.json
  tags                 = local.tags
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "invoke-scheduled-functions"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

resource "aws_scheduler_schedule_group" "hangar" {
  name = var.prefix
  tags = local.tags
}

resource "aws_scheduler_schedule" "handler" {
  for_each = local.schedules

  name                         = "${var.prefix}-${each.key}"
  group_name                   = aws_scheduler_schedule_group.hangar.name
  schedule_expression          = each.value
  schedule_expression_timezone = var.schedule_timezone

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.handler[each.key].arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({ source = "hangar.schedule", schedule = each.key })

    retry_policy {
      maximum_retry_attempts       = 0
      maximum_event_age_in_seconds = 60
    }
  }
}

# Machine facts for the instance-events function: EC2 state changes, spot interruption
# warnings, (optionally) rebalance recommendations, and stopped Fargate tasks of our cluster.
# EC2 events carry no tags, so every instance of the account arrives here; the function
# ignores instances it did not launch.
locals {
  instance_event_rules = merge(
    {
      state-change = {
        source = "aws.ec2", detail_type = "EC2 Instance State-change Notification", detail = null
      }
      spot-interruption = {
        source = "aws.ec2", detail_type = "EC2 Spot Instance Interruption Warning", detail = null
      }
    },
    var.enable_rebalance_events ? {
      rebalance = {
        source = "aws.ec2", detail_type = "EC2 Instance Rebalance Recommendation", detail = null
      }
    } : {},
    length(local.fargate_configs) > 0 ? {
      task-stopped = {
        source      = "aws.ecs"
        detail_type = "ECS Task State Change"
        detail      = { clusterArn = [aws_ecs_cluster.runners[0].arn], lastStatus = ["STOPPED"] }
      }
    } : {},
  )
  instance_event_types = { for key, rule in local.instance_event_rules : key => rule.detail_type }
}

resource "aws_cloudwatch_event_rule" "instance_events" {
  for_each = local.instance_event_types

  name        = "${var.prefix}-${local.instance_event_rules[each.key].source == "aws.ecs" ? "ecs" : "ec2"}-${each.key}"
  description = "Hangar: ${each.value} to the instance-events function"
  event_pattern = jsonencode(merge(
    {
      source        = [local.instance_event_rules[each.key].source]
      "detail-type" = [each.value]
    },
    local.instance_event_rules[each.key].detail == null ? {} : { detail = local.instance_event_rules[each.key].detail },
  ))
  tags = local.tags
}

resource "aws_cloudwatch_event_target" "instance_events" {
  for_each = local.instance_event_types

  rule = aws_cloudwatch_event_rule.instance_events[each.key].name
  arn  = aws_lambda_function.handler["instance-events"].arn

  retry_policy {
    maximum_retry_attempts       = 4
    maximum_event_age_in_seconds = 600
  }
}

resource "aws_lambda_permission" "instance_events" {
  for_each = local.instance_event_types

  statement_id  = "AllowEventBridge-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.handler["instance-events"].function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.instance_events[each.key].arn
}
