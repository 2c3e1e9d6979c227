# Scale-up work and job events. Standard queues by default; FIFO on request (the producers
# then set MessageGroupId and MessageDeduplicationId, so content-based dedup stays off).
# Visibility timeout is six times the consumer's timeout, as AWS advises for Lambda triggers.
resource "aws_sqs_queue" "scale_up_dlq" {
  name                              = "${var.prefix}-scale-up-dlq${local.queue_suffix}"
  fifo_queue                        = var.queues_fifo
  message_retention_seconds         = var.dlq_retention_seconds
  sqs_managed_sse_enabled           = var.sqs_kms_key_arn == null
  kms_master_key_id                 = var.sqs_kms_key_arn
  kms_data_key_reuse_period_seconds = var.sqs_kms_key_arn == null ? null : 300
  tags                              = local.tags
}

resource "aws_sqs_queue" "scale_up" {
  name                              = "${var.prefix}-scale-up${local.queue_suffix}"
  fifo_queue                        = var.queues_fifo
  content_based_deduplication       = var.queues_fifo ? false : null
  visibility_timeout_seconds        = 6 * lookup(var.lambda_timeouts, "scale-up", local.handlers["scale-up"].timeout)
  sqs_managed_sse_enabled           = var.sqs_kms_key_arn == null
  kms_master_key_id                 = var.sqs_kms_key_arn
  kms_data_key_reuse_period_seconds = var.sqs_kms_key_arn == null ? null : 300
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.scale_up_dlq.arn
    maxReceiveCount     = var.queue_max_receive_count
  })
  tags = local.tags

  lifecycle {
    # SQS FIFO queues take no per-message DelaySeconds, and a queue-wide delay would also hold
    # back pool top-ups and retries: with a delay every queued webhook would fail. The runtime
    # refuses the same combination when it loads (runtime-lambda config/setting-conflicts.ts).
    precondition {
      condition     = !(var.queues_fifo && var.scale_up_delay_seconds > 0)
      error_message = "queues_fifo = true cannot be combined with scale_up_delay_seconds = ${var.scale_up_delay_seconds}: SQS FIFO queues cannot delay single messages, so every queued job would fail to enqueue. Set scale_up_delay_seconds = 0, or queues_fifo = false to keep the delay."
    }
  }
}

resource "aws_sqs_queue" "job_events_dlq" {
  name                              = "${var.prefix}-job-events-dlq${local.queue_suffix}"
  fifo_queue                        = var.queues_fifo
  message_retention_seconds         = var.dlq_retention_seconds
  sqs_managed_sse_enabled           = var.sqs_kms_key_arn == null
  kms_master_key_id                 = var.sqs_kms_key_arn
  kms_data_key_reuse_period_seconds = var.sqs_kms_key_arn == null ? null : 300
  tags                              = local.tags
}

resource "aws_sqs_queue" "job_events" {
  name                              = "${var.prefix}-job-events${local.queue_suffix}"
  fifo_queue                        = var.queues_fifo
  content_based_deduplication       = var.queues_fifo ? false : null
  visibility_timeout_seconds        = 6 * lookup(var.lambda_timeouts, "job-events", local.handlers["job-events"].timeout)
  sqs_managed_sse_enabled           = var.sqs_kms_key_arn == null
  kms_master_key_id                 = var.sqs_kms_key_arn
  kms_data_key_reuse_period_seconds = var.sqs_kms_key_arn == null ? null : 300
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.job_events_dlq.arn
    maxReceiveCount     = var.queue_max_receive_count
  })
  tags = local.tags
}

# Only the dead-letter queues' own source queues may redrive into them.
resource "aws_sqs_queue_redrive_allow_policy" "scale_up_dlq" {
  queue_url = aws_sqs_queue.scale_up_dlq.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.scale_up.arn]
  })
}

resource "aws_sqs_queue_redrive_allow_policy" "job_events_dlq" {
  queue_url = aws_sqs_queue.job_events_dlq.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.job_events.arn]
  })
}

locals {
  # A runner waits for its secret longer than a crashed scale-up's message stays invisible:
  # the redelivery resumes the launch, finds the same machine and writes the secret in time.
  runner_secret_wait_seconds = 2 * aws_sqs_queue.scale_up.visibility_timeout_seconds + 60
}
