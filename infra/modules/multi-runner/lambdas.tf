resource "aws_cloudwatch_log_group" "lambda" {
  for_each = local.handlers

  name              = "/aws/lambda/${local.function_names[each.key]}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
  tags              = local.tags
}

resource "aws_lambda_function" "handler" {
  for_each = local.handlers

  function_name = local.function_names[each.key]
  description   = "Hangar ${each.key}"
  role          = aws_iam_role.lambda[each.key].arn
  runtime       = var.lambda_runtime
  handler       = "index.handler"
  architectures = [var.lambda_architecture]
  memory_size   = lookup(var.lambda_memory_sizes, each.key, var.lambda_memory_size)
  timeout       = lookup(var.lambda_timeouts, each.key, each.value.timeout)

  # Either the local bundle dist/lambda/<handler>.zip or the same name in S3. The unselected
  # branch of a conditional is not evaluated, so a missing local zip is fine with S3.
  filename          = local.lambda_from_s3 ? null : "${local.lambda_zip_dir}/${each.key}.zip"
  source_code_hash  = local.lambda_from_s3 ? null : filebase64sha256("${local.lambda_zip_dir}/${each.key}.zip")
  s3_bucket         = var.lambda_s3_bucket
  s3_key            = local.lambda_from_s3 ? lookup(var.lambda_s3_keys, each.key, "lambda/${each.key}.zip") : null
  s3_object_version = local.lambda_from_s3 ? lookup(var.lambda_s3_object_versions, each.key, null) : null

  environment {
    variables = { for name, value in local.handler_environment[each.key] : name => value if value != null }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.lambda[each.key].name
  }

  dynamic "tracing_config" {
    for_each = var.tracing_mode == null ? [] : [var.tracing_mode]
    content {
      mode = tracing_config.value
    }
  }

  dynamic "vpc_config" {
    for_each = length(var.lambda_subnet_ids) > 0 ? [1] : []
    content {
      subnet_ids         = var.lambda_subnet_ids
      security_group_ids = var.lambda_security_group_ids
    }
  }

  tags = local.tags
}

# SQS triggers. Partial batch responses: one bad record is retried alone, never the batch.
resource "aws_lambda_event_source_mapping" "scale_up" {
  event_source_arn                   = aws_sqs_queue.scale_up.arn
  function_name                      = aws_lambda_function.handler["scale-up"].arn
  batch_size                         = 10
  maximum_batching_window_in_seconds = var.queues_fifo ? null : 1
  function_response_types            = ["ReportBatchItemFailures"]
}

resource "aws_lambda_event_source_mapping" "job_events" {
  event_source_arn                   = aws_sqs_queue.job_events.arn
  function_name                      = aws_lambda_function.handler["job-events"].arn
  batch_size                         = 10
  maximum_batching_window_in_seconds = var.queues_fifo ? null : 1
  function_response_types            = ["ReportBatchItemFailures"]
}

# The first runners need the runner binaries before binaries_sync_schedule first fires: the
# mirror runs once when the deployment is applied, and again when what it mirrors into or
# which releases and builds it takes changes. A failed sync (GitHub unreachable, a checksum refused) fails
# the apply with the function's error rather than leaving the first boots to fail later.
resource "aws_lambda_invocation" "binaries_sync" {
  count = var.binaries_sync_on_apply ? 1 : 0

  function_name = aws_lambda_function.handler["binaries-syncer"].function_name
  input         = jsonencode({ id = "terraform-apply" })

  triggers = {
    bucket     = aws_s3_bucket.binaries.id
    prerelease = tostring(var.binaries_prerelease)
    # A new OS or architecture among the runner configurations needs its build before it boots.
    platforms = join(",", local.binaries_platforms)
  }

  # The function's permissions and the bucket's settings must exist before it runs.
  depends_on = [
    aws_iam_role_policy.lambda,
    aws_s3_bucket_policy.binaries,
    aws_s3_bucket_server_side_encryption_configuration.binaries,
  ]
}
