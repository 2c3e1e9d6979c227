# Alarms on what operators act on. The runtime publishes its metrics (Powertools EMF) in the
# `Hangar` namespace with the dimension service = POWERTOOLS_SERVICE_NAME.
locals {
  metric_dimensions = { service = local.service_name }
  dead_letter_queues = {
    scale-up   = aws_sqs_queue.scale_up_dlq.name
    job-events = aws_sqs_queue.job_events_dlq.name
  }
}

resource "aws_cloudwatch_metric_alarm" "dlq_depth" {
  for_each = local.dead_letter_queues

  alarm_name          = "${var.prefix}-${each.key}-dlq-not-empty"
  alarm_description   = "Messages in the ${each.key} dead-letter queue: inspect them, fix the cause, then redrive (docs/operations.md)."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "launch_failures" {
  alarm_name          = "${var.prefix}-runner-launch-failures"
  alarm_description   = "Runner launches failed in 3 of the last 3 periods (capacity, quota or launch template problems)."
  namespace           = local.metric_namespace
  metric_name         = "RunnerLaunchFailed"
  dimensions          = local.metric_dimensions
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 3
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}

# A reconciler step that keeps failing (the other steps still run): e.g. the App lost Actions
# write, so interrupted jobs cannot be re-run. One failed run is noise; two 15-minute periods in a
# row with failures (the reconciler runs every 5 minutes by default) is a standing problem.
resource "aws_cloudwatch_metric_alarm" "reconcile_step_failed" {
  alarm_name          = "${var.prefix}-reconciler-step-failed"
  alarm_description   = "A reconciler step failed in 2 consecutive 15-minute periods; the other steps still ran. The reconciler log line 'Reconciler step failed' names the step and error (docs/operations.md)."
  namespace           = local.metric_namespace
  metric_name         = "ReconcileStepFailed"
  dimensions          = local.metric_dimensions
  statistic           = "Sum"
  period              = 900
  evaluation_periods  = 2
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "queue_to_online" {
  alarm_name          = "${var.prefix}-queue-to-online-latency"
  alarm_description   = "p90 time from job queued to runner online is above ${var.queue_to_online_alarm_seconds} s."
  namespace           = local.metric_namespace
  metric_name         = "QueueToOnlineSeconds"
  dimensions          = local.metric_dimensions
  extended_statistic  = "p90"
  period              = 300
  evaluation_periods  = 3
  threshold           = var.queue_to_online_alarm_seconds
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "github_rate_limit" {
  alarm_name          = "${var.prefix}-github-rate-limit-low"
  alarm_description   = "GitHub App rate limit remaining is below ${var.rate_limit_alarm_threshold}; add an App to github_apps or lower scale-down frequency."
  namespace           = local.metric_namespace
  metric_name         = "GitHubRateLimitRemaining"
  dimensions          = local.metric_dimensions
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.rate_limit_alarm_threshold
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "lambda_errors" {
  for_each = local.handlers

  alarm_name          = "${var.prefix}-${each.key}-errors"
  alarm_description   = "The ${each.key} function failed invocations (see its log group)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.handler[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 2
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}

locals {
  hangar_metric = { for name in ["RunnersRequested", "RunnerLaunchFailed", "ScaleUpRejected", "VersionConflicts"] : name => [local.metric_namespace, name, "service", local.service_name, { stat = "Sum" }] }
  dashboard_widgets = [
    { type = "metric", x = 0, y = 0, width = 12, height = 6, properties = { title = "Runners requested / launch failures / rejected", region = local.region, metrics = [local.hangar_metric["RunnersRequested"], local.hangar_metric["RunnerLaunchFailed"], local.hangar_metric["ScaleUpRejected"]], period = 300 } },
    { type = "metric", x = 12, y = 0, width = 12, height = 6, properties = { title = "Queue to online (s)", region = local.region, metrics = [[local.metric_namespace, "QueueToOnlineSeconds", "service", local.service_name, { stat = "p50" }], [local.metric_namespace, "QueueToOnlineSeconds", "service", local.service_name, { stat = "p90" }]], period = 300 } },
    { type = "metric", x = 0, y = 6, width = 12, height = 6, properties = { title = "GitHub rate limit remaining", region = local.region, metrics = [[local.metric_namespace, "GitHubRateLimitRemaining", "service", local.service_name, { stat = "Minimum" }]], period = 300 } },
    { type = "metric", x = 12, y = 6, width = 12, height = 6, properties = { title = "Version conflicts (concurrent writers)", region = local.region, metrics = [local.hangar_metric["VersionConflicts"]], period = 300 } },
    { type = "metric", x = 0, y = 12, width = 12, height = 6, properties = { title = "Queue depth", region = local.region, metrics = [for name in [aws_sqs_queue.scale_up.name, aws_sqs_queue.job_events.name, aws_sqs_queue.scale_up_dlq.name, aws_sqs_queue.job_events_dlq.name] : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", name, { stat = "Maximum" }]], period = 60 } },
    { type = "metric", x = 12, y = 12, width = 12, height = 6, properties = { title = "Lambda errors", region = local.region, metrics = [for name, fn in aws_lambda_function.handler : ["AWS/Lambda", "Errors", "FunctionName", fn.function_name, { stat = "Sum" }]], period = 300 } },
  ]
}

resource "aws_cloudwatch_dashboard" "hangar" {
  count = var.create_dashboard ? 1 : 0

  dashboard_name = var.prefix
  dashboard_body = jsonencode({ widgets = concat(local.dashboard_widgets, local.waiting_widgets) })
}

# One alarm per pool: the runtime publishes PoolPolicyFailed with the pool id as a dimension
# (next to service) when scale-down or top-up failed for that pool. The run goes on for the
# other pools and succeeds, so the Lambda Errors alarm does not see it.
resource "aws_cloudwatch_metric_alarm" "pool_policy_failed" {
  for_each = var.runner_configs

  alarm_name          = "${var.prefix}-${each.key}-pool-policy-failed"
  alarm_description   = "Scale-down or top-up failed for pool ${each.key} while the other pools carried on: see the 'Pool policy failed' log lines of the scale-down and pool functions (docs/operations.md)."
  namespace           = local.metric_namespace
  metric_name         = "PoolPolicyFailed"
  dimensions          = merge(local.metric_dimensions, { pool = each.key })
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}
