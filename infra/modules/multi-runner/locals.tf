data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  partition  = data.aws_partition.current.partition

  # Marks everything this deployment launches; IAM conditions on terminate/stop use it, so
  # one deployment can never touch another deployment's (or anyone else's) instances.
  deployment_tag = "hangar:deployment"

  tags = merge(var.tags, { (local.deployment_tag) = var.prefix })

  # The eight Lambda functions of packages/runtime-lambda (HANDLERS in
  # src/config/environment.ts). Each ships as dist/lambda/<name>.zip with index.mjs
  # exporting `handler`. infra/test checks these keys against HANDLERS.
  handlers = {
    "webhook"         = { timeout = 10 }
    "scale-up"        = { timeout = 60 }
    "job-events"      = { timeout = 30 }
    "scale-down"      = { timeout = 120 }
    "pool"            = { timeout = 120 }
    "reconciler"      = { timeout = 300 }
    "instance-events" = { timeout = 60 }
    "binaries-syncer" = { timeout = 300 }
  }

  lambda_zip_dir = coalesce(var.lambda_zip_dir, "${path.module}/../../../dist/lambda")
  lambda_from_s3 = var.lambda_s3_bucket != null

  function_names   = { for name, h in local.handlers : name => "${var.prefix}-${name}" }
  service_name     = var.prefix
  metric_namespace = "Hangar"

  runner_secret_arn_pattern = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter${var.runner_secret_path}/*"

  queue_suffix = var.queues_fifo ? ".fifo" : ""

  # The functions load the Powertools tracer only when X-Ray tracing is configured (null = unset).
  trace_enabled = var.tracing_mode == null ? null : "true"

  # The Apps: the module's JSON parameter (github_apps), or the pairs of parameters the
  # operator created (github_app_parameters, github-app.tf); exactly one is set.
  github_access = {
    HANGAR_GITHUB_APPS_PARAMETER = local.github_app_external ? null : aws_ssm_parameter.github_apps[0].name
    HANGAR_GITHUB_APP_PARAMETERS = local.github_app_parameter_pairs
    HANGAR_GITHUB_API_URL        = var.github_api_url
    HANGAR_GITHUB_TLS_VERIFY     = tostring(var.github_tls_verify)
  }
  webhook_secret_parameter = local.github_app_external ? var.github_app_parameters.webhook_secret : aws_ssm_parameter.webhook_secret[0].name

  # The environment of each function, written out per handler so that infra/test can compare
  # it with ENVIRONMENT (requiredBy/optionalFor) in environment.ts: a name the runtime does not
  # read, or a required one missing, fails the tests. Null values are dropped (unset = default).
  handler_environment = {
    "webhook" = {
      HANGAR_TABLE_NAME               = aws_dynamodb_table.events.name
      HANGAR_POOLS_PARAMETER          = aws_ssm_parameter.pools.name
      HANGAR_SCALE_UP_QUEUE_URL       = aws_sqs_queue.scale_up.url
      HANGAR_JOB_EVENTS_QUEUE_URL     = aws_sqs_queue.job_events.url
      HANGAR_SCALE_UP_DELAY_SECONDS   = tostring(var.scale_up_delay_seconds)
      HANGAR_WEBHOOK_SECRET_PARAMETER = local.webhook_secret_parameter
      HANGAR_GITHUB_APPS_PARAMETER    = local.github_access.HANGAR_GITHUB_APPS_PARAMETER
      HANGAR_GITHUB_APP_PARAMETERS    = local.github_access.HANGAR_GITHUB_APP_PARAMETERS
      HANGAR_GITHUB_API_URL           = local.github_access.HANGAR_GITHUB_API_URL
      HANGAR_GITHUB_TLS_VERIFY        = local.github_access.HANGAR_GITHUB_TLS_VERIFY
      HANGAR_REPOSITORY_ALLOW_LIST    = join(",", var.repository_allow_list)
      HANGAR_JOB_RETRY_AFTER_MINUTES  = tostring(var.job_retry_after_minutes)
      HANGAR_EVENT_RETENTION_DAYS     = tostring(var.event_retention_days)
      POWERTOOLS_SERVICE_NAME         = local.service_name
      POWERTOOLS_LOG_LEVEL            = var.log_level
      POWERTOOLS_METRICS_NAMESPACE    = local.metric_namespace
      POWERTOOLS_TRACE_ENABLED        = local.trace_enabled
    }
    "scale-up" = {
      HANGAR_DEPLOYMENT                  = var.prefix
      HANGAR_TABLE_NAME                  = aws_dynamodb_table.events.name
      HANGAR_POOLS_PARAMETER             = aws_ssm_parameter.pools.name
      HANGAR_SCALE_UP_QUEUE_URL          = aws_sqs_queue.scale_up.url
      HANGAR_GITHUB_APPS_PARAMETER       = local.github_access.HANGAR_GITHUB_APPS_PARAMETER
      HANGAR_GITHUB_APP_PARAMETERS       = local.github_access.HANGAR_GITHUB_APP_PARAMETERS
      HANGAR_GITHUB_API_URL              = local.github_access.HANGAR_GITHUB_API_URL
      HANGAR_GITHUB_TLS_VERIFY           = local.github_access.HANGAR_GITHUB_TLS_VERIFY
      HANGAR_RUNNER_SECRET_PATH          = var.runner_secret_path
      HANGAR_RUNNER_ROLE_ID              = aws_iam_role.runner.unique_id
      HANGAR_RUNNER_TASK_ROLE_ID         = length(local.fargate_configs) > 0 ? aws_iam_role.runner_task[0].unique_id : null
      HANGAR_SSM_KMS_KEY_ID              = var.ssm_kms_key_arn
      HANGAR_REPOSITORY_ALLOW_LIST       = join(",", var.repository_allow_list)
      HANGAR_JOB_RETRY_AFTER_MINUTES     = tostring(var.job_retry_after_minutes)
      HANGAR_MAX_RUNNER_REQUESTS_PER_JOB = tostring(var.max_runner_requests_per_job)
      HANGAR_JOB_QUEUE_LIMIT_MINUTES     = tostring(var.job_queue_limit_minutes)
      HANGAR_EVENT_RETENTION_DAYS        = tostring(var.event_retention_days)
      POWERTOOLS_SERVICE_NAME            = local.service_name
      POWERTOOLS_LOG_LEVEL               = var.log_level
      POWERTOOLS_METRICS_NAMESPACE       = local.metric_namespace
      POWERTOOLS_TRACE_ENABLED           = local.trace_enabled
    }
    "job-events" = {
      HANGAR_DEPLOYMENT                  = var.prefix
      HANGAR_TABLE_NAME                  = aws_dynamodb_table.events.name
      HANGAR_POOLS_PARAMETER             = aws_ssm_parameter.pools.name
      HANGAR_SCALE_UP_QUEUE_URL          = aws_sqs_queue.scale_up.url
      HANGAR_GITHUB_APPS_PARAMETER       = local.github_access.HANGAR_GITHUB_APPS_PARAMETER
      HANGAR_GITHUB_APP_PARAMETERS       = local.github_access.HANGAR_GITHUB_APP_PARAMETERS
      HANGAR_GITHUB_API_URL              = local.github_access.HANGAR_GITHUB_API_URL
      HANGAR_GITHUB_TLS_VERIFY           = local.github_access.HANGAR_GITHUB_TLS_VERIFY
      HANGAR_REPOSITORY_ALLOW_LIST       = join(",", var.repository_allow_list)
      HANGAR_JOB_RETRY_AFTER_MINUTES     = tostring(var.job_retry_after_minutes)
      HANGAR_MAX_RUNNER_REQUESTS_PER_JOB = tostring(var.max_runner_requests_per_job)
      HANGAR_JOB_QUEUE_LIMIT_MINUTES     = tostring(var.job_queue_limit_minutes)
      HANGAR_EVENT_RETENTION_DAYS        = tostring(var.event_retention_days)
      HANGAR_RUNNER_SECRET_PATH          = var.runner_secret_path
      HANGAR_SSM_KMS_KEY_ID              = var.ssm_kms_key_arn
      POWERTOOLS_SERVICE_NAME            = local.service_name
      POWERTOOLS_LOG_LEVEL               = var.log_level
      POWERTOOLS_METRICS_NAMESPACE       = local.metric_namespace
      POWERTOOLS_TRACE_ENABLED           = local.trace_enabled
    }
    "scale-down" = {
      HANGAR_DEPLOYMENT                  = var.prefix
      HANGAR_TABLE_NAME                  = aws_dynamodb_table.events.name
      HANGAR_POOLS_PARAMETER             = aws_ssm_parameter.pools.name
      HANGAR_SCALE_UP_QUEUE_URL          = aws_sqs_queue.scale_up.url
      HANGAR_GITHUB_APPS_PARAMETER       = local.github_access.HANGAR_GITHUB_APPS_PARAMETER
      HANGAR_GITHUB_APP_PARAMETERS       = local.github_access.HANGAR_GITHUB_APP_PARAMETERS
      HANGAR_GITHUB_API_URL              = local.github_access.HANGAR_GITHUB_API_URL
      HANGAR_GITHUB_TLS_VERIFY           = local.github_access.HANGAR_GITHUB_TLS_VERIFY
      HANGAR_RUNNER_SECRET_PATH          = var.runner_secret_path
      HANGAR_SSM_KMS_KEY_ID              = var.ssm_kms_key_arn
      HANGAR_REPOSITORY_ALLOW_LIST       = join(",", var.repository_allow_list)
      HANGAR_JOB_RETRY_AFTER_MINUTES     = tostring(var.job_retry_after_minutes)
      HANGAR_MAX_RUNNER_REQUESTS_PER_JOB = tostring(var.max_runner_requests_per_job)
      HANGAR_JOB_QUEUE_LIMIT_MINUTES     = tostring(var.job_queue_limit_minutes)
      HANGAR_EVENT_RETENTION_DAYS        = tostring(var.event_retention_days)
      POWERTOOLS_SERVICE_NAME            = local.service_name
      POWERTOOLS_LOG_LEVEL               = var.log_level
      POWERTOOLS_METRICS_NAMESPACE       = local.metric_namespace
      POWERTOOLS_TRACE_ENABLED           = local.trace_enabled
    }
    "pool" = {
      HANGAR_DEPLOYMENT                  = var.prefix
      HANGAR_TABLE_NAME                  = aws_dynamodb_table.events.name
      HANGAR_POOLS_PARAMETER             = aws_ssm_parameter.pools.name
      HANGAR_SCALE_UP_QUEUE_URL          = aws_sqs_queue.scale_up.url
      HANGAR_GITHUB_APPS_PARAMETER       = local.github_access.HANGAR_GITHUB_APPS_PARAMETER
      HANGAR_GITHUB_APP_PARAMETERS       = local.github_access.HANGAR_GITHUB_APP_PARAMETERS
      HANGAR_GITHUB_API_URL              = local.github_access.HANGAR_GITHUB_API_URL
      HANGAR_GITHUB_TLS_VERIFY           = local.github_access.HANGAR_GITHUB_TLS_VERIFY
      HANGAR_RUNNER_SECRET_PATH          = var.runner_secret_path
      HANGAR_SSM_KMS_KEY_ID              = var.ssm_kms_key_arn
      HANGAR_REPOSITORY_ALLOW_LIST       = join(",", var.repository_allow_list)
      HANGAR_JOB_RETRY_AFTER_MINUTES     = tostring(var.job_retry_after_minutes)
      HANGAR_MAX_RUNNER_REQUESTS_PER_JOB = tostring(var.max_runner_requests_per_job)
      HANGAR_JOB_QUEUE_LIMIT_MINUTES     = tostring(var.job_queue_limit_minutes)
      HANGAR_EVENT_RETENTION_DAYS        = tostring(var.event_retention_days)
      POWERTOOLS_SERVICE_NAME            = local.service_name
      POWERTOOLS_LOG_LEVEL               = var.log_level
      POWERTOOLS_METRICS_NAMESPACE       = local.metric_namespace
      POWERTOOLS_TRACE_ENABLED           = local.trace_enabled
    }
    "reconciler" = {
      HANGAR_DEPLOYMENT                  = var.prefix
      HANGAR_TABLE_NAME                  = aws_dynamodb_table.events.name
      HANGAR_POOLS_PARAMETER             = aws_ssm_parameter.pools.name
      HANGAR_SCALE_UP_QUEUE_URL          = aws_sqs_queue.scale_up.url
      HANGAR_SCALE_UP_DELAY_SECONDS      = tostring(var.scale_up_delay_seconds)
      HANGAR_GITHUB_APPS_PARAMETER       = local.github_access.HANGAR_GITHUB_APPS_PARAMETER
      HANGAR_GITHUB_APP_PARAMETERS       = local.github_access.HANGAR_GITHUB_APP_PARAMETERS
      HANGAR_GITHUB_API_URL              = local.github_access.HANGAR_GITHUB_API_URL
      HANGAR_GITHUB_TLS_VERIFY           = local.github_access.HANGAR_GITHUB_TLS_VERIFY
      HANGAR_RUNNER_SECRET_PATH          = var.runner_secret_path
      HANGAR_SSM_KMS_KEY_ID              = var.ssm_kms_key_arn
      HANGAR_REPOSITORY_ALLOW_LIST       = join(",", var.repository_allow_list)
      HANGAR_JOB_RETRY_AFTER_MINUTES     = tostring(var.job_retry_after_minutes)
      HANGAR_MAX_RUNNER_REQUESTS_PER_JOB = tostring(var.max_runner_requests_per_job)
      HANGAR_JOB_QUEUE_LIMIT_MINUTES     = tostring(var.job_queue_limit_minutes)
      HANGAR_EVENT_RETENTION_DAYS        = tostring(var.event_retention_days)
      HANGAR_RECOVERY_MAX_GITHUB_CALLS   = tostring(var.recovery_max_github_calls)
      HANGAR_ORPHAN_GRACE_MINUTES        = tostring(var.orphan_grace_minutes)
      POWERTOOLS_SERVICE_NAME            = local.service_name
      POWERTOOLS_LOG_LEVEL               = var.log_level
      POWERTOOLS_METRICS_NAMESPACE       = local.metric_namespace
      POWERTOOLS_TRACE_ENABLED           = local.trace_enabled
    }
    "instance-events" = {
      HANGAR_DEPLOYMENT                  = var.prefix
      HANGAR_TABLE_NAME                  = aws_dynamodb_table.events.name
      HANGAR_POOLS_PARAMETER             = aws_ssm_parameter.pools.name
      HANGAR_SCALE_UP_QUEUE_URL          = aws_sqs_queue.scale_up.url
      HANGAR_GITHUB_APPS_PARAMETER       = local.github_access.HANGAR_GITHUB_APPS_PARAMETER
      HANGAR_GITHUB_APP_PARAMETERS       = local.github_access.HANGAR_GITHUB_APP_PARAMETERS
      HANGAR_GITHUB_API_URL              = local.github_access.HANGAR_GITHUB_API_URL
      HANGAR_GITHUB_TLS_VERIFY           = local.github_access.HANGAR_GITHUB_TLS_VERIFY
      HANGAR_RUNNER_SECRET_PATH          = var.runner_secret_path
      HANGAR_SSM_KMS_KEY_ID              = var.ssm_kms_key_arn
      HANGAR_REPOSITORY_ALLOW_LIST       = join(",", var.repository_allow_list)
      HANGAR_JOB_RETRY_AFTER_MINUTES     = tostring(var.job_retry_after_minutes)
      HANGAR_MAX_RUNNER_REQUESTS_PER_JOB = tostring(var.max_runner_requests_per_job)
      HANGAR_JOB_QUEUE_LIMIT_MINUTES     = tostring(var.job_queue_limit_minutes)
      HANGAR_EVENT_RETENTION_DAYS        = tostring(var.event_retention_days)
      POWERTOOLS_SERVICE_NAME            = local.service_name
      POWERTOOLS_LOG_LEVEL               = var.log_level
      POWERTOOLS_METRICS_NAMESPACE       = local.metric_namespace
      POWERTOOLS_TRACE_ENABLED           = local.trace_enabled
    }
    # No GitHub App: the mirror reads the public actions/runner releases anonymously.
    "binaries-syncer" = {
      HANGAR_BINARIES_BUCKET       = aws_s3_bucket.binaries.id
      HANGAR_BINARIES_PRERELEASE   = tostring(var.binaries_prerelease)
      HANGAR_BINARIES_PLATFORMS    = join(",", local.binaries_platforms)
      POWERTOOLS_SERVICE_NAME      = local.service_name
      POWERTOOLS_LOG_LEVEL         = var.log_level
      POWERTOOLS_METRICS_NAMESPACE = local.metric_namespace
      POWERTOOLS_TRACE_ENABLED     = local.trace_enabled
    }
  }
}
