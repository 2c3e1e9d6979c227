# Why jobs wait (issue 13): the reconciler publishes JobsWaiting{reason} for every reason the
# `hangar` CLI states and OldestJobWaitSeconds{pool}, every run (rate: reconciler schedule,
# 5 minutes by default). Thresholds and what to do are in docs/operations.md ("Why jobs wait").
locals {
  # Reasons a waiting job can have (packages/core/src/read/wait-reason-types.ts), without
  # `unroutable`: an unroutable job's stream closes, so it is never counted as waiting.
  wait_reasons = [
    "awaiting-approval", "awaiting-scale-up", "pool-at-max", "gave-up", "not-queued-on-github",
    "capacity-unavailable", "launch-failing", "runner-requested", "launching", "runner-booting",
    "runner-idle", "starting", "runner-took-other-job", "runner-interrupted", "runner-ended",
  ]
  # An unroutable job's only series: JobsUnroutable{reason}, counted when the webhook marks it.
  unroutable_reasons        = ["no-matching-pool", "repository-not-allowed"]
  oldest_wait_alarm_seconds = 1800
  waiting_alarms = {
    # reason => [periods of 5 minutes in a row, description]
    "gave-up"              = [1, "Scale-up stopped retrying a job that waited past the queue limit on a full pool."]
    "capacity-unavailable" = [3, "Jobs have waited 15 minutes on launches failing for lack of capacity (instance types / subnets in `hangar waiting`)."]
    "launch-failing"       = [3, "Jobs have waited 15 minutes on launches failing for another reason than capacity (quota, launch template, permissions)."]
    "pool-at-max"          = [6, "Jobs have waited 30 minutes on a pool at its maximum."]
  }
  waiting_widgets = [
    { type = "metric", x = 0, y = 18, width = 12, height = 6, properties = { title = "Jobs waiting, by reason", region = local.region, stacked = true, view = "timeSeries", period = 300, metrics = concat([for reason in local.wait_reasons : [local.metric_namespace, "JobsWaiting", "reason", reason, "service", local.service_name, { stat = "Maximum", label = reason }]], [for reason in local.unroutable_reasons : [local.metric_namespace, "JobsUnroutable", "reason", reason, "service", local.service_name, { stat = "Sum", label = "unroutable (${reason})" }]]) } },
    { type = "metric", x = 12, y = 18, width = 12, height = 6, properties = { title = "Oldest waiting job, by pool (s)", region = local.region, view = "timeSeries", period = 300, metrics = [for id in sort(concat(keys(var.runner_configs), ["-"])) : [local.metric_namespace, "OldestJobWaitSeconds", "pool", id, "service", local.service_name, { stat = "Maximum", label = id }]] } },
  ]
}

resource "aws_cloudwatch_metric_alarm" "jobs_waiting" {
  for_each = local.waiting_alarms

  alarm_name          = "${var.prefix}-jobs-waiting-${each.key}"
  alarm_description   = "${each.value[1]} Run `hangar waiting` (docs/operations.md)."
  namespace           = local.metric_namespace
  metric_name         = "JobsWaiting"
  dimensions          = merge(local.metric_dimensions, { reason = each.key })
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = each.value[0]
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "oldest_wait" {
  for_each = var.runner_configs

  alarm_name          = "${var.prefix}-${each.key}-oldest-wait"
  alarm_description   = "A job has waited over ${local.oldest_wait_alarm_seconds} s for a runner of pool ${each.key}. Run `hangar pools` and `hangar waiting` (docs/operations.md)."
  namespace           = local.metric_namespace
  metric_name         = "OldestJobWaitSeconds"
  dimensions          = merge(local.metric_dimensions, { pool = each.key })
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  threshold           = local.oldest_wait_alarm_seconds
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "jobs_unroutable" {
  for_each = toset(local.unroutable_reasons)

  alarm_name          = "${var.prefix}-jobs-unroutable-${each.key}"
  alarm_description   = "A job asked for self-hosted labels no pool serves for its repository (or its repository is not allowed): it waits until GitHub cancels it. Run `hangar job <id>` (docs/operations.md)."
  namespace           = local.metric_namespace
  metric_name         = "JobsUnroutable"
  dimensions          = merge(local.metric_dimensions, { reason = each.key })
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
