# ---------------------------------------------------------------------------------------------
# Naming, tags, network
# ---------------------------------------------------------------------------------------------
variable "prefix" {
  description = "Prefix of every resource name (Lambda functions, queues, table, roles)."
  type        = string
  default     = "hangar"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,31}$", var.prefix))
    error_message = "prefix must start with a letter and use letters, digits and dashes, at most 32 characters."
  }
}

variable "tags" {
  description = "Tags added to every resource that supports them."
  type        = map(string)
  default     = {}
}

variable "vpc_id" {
  description = "VPC of the runners (their security group is created here)."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets the runners launch in (a configuration may override them), at most one per Availability Zone: several zones give CreateFleet more capacity pools, but two subnets of one zone make it refuse the fleet (InvalidFleetConfig, duplicate instance pools)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0
    error_message = "subnet_ids needs at least one subnet."
  }
}

# ---------------------------------------------------------------------------------------------
# GitHub
# ---------------------------------------------------------------------------------------------
# github_apps, webhook_secret and github_app_parameters: github-app.tf.

variable "github_api_url" {
  description = "GitHub API base URL; for GitHub Enterprise Server use https://HOST/api/v3."
  type        = string
  default     = "https://api.github.com"

  validation {
    condition     = can(regex("^https?://", var.github_api_url))
    error_message = "github_api_url must be an http(s) URL."
  }
}

variable "github_tls_verify" {
  description = "Verify the GitHub Enterprise Server TLS certificate. Turn off only for a GHES with a private CA you cannot install."
  type        = bool
  default     = true
}

variable "repository_allow_list" {
  description = "Repositories (owner/repo) whose jobs may use the runners; empty allows all."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.repository_allow_list : can(regex("^[^/\\s,]+/[^/\\s,]+$", r))])
    error_message = "Each repository_allow_list entry must be owner/repo."
  }
}

# ---------------------------------------------------------------------------------------------
# Webhook and Lambda artifacts
# ---------------------------------------------------------------------------------------------
variable "webhook_endpoint_type" {
  description = "How GitHub reaches the webhook: api-gateway (HTTP API, route POST /webhook) or function-url (Lambda function URL, no API Gateway)."
  type        = string
  default     = "api-gateway"

  validation {
    condition     = contains(["api-gateway", "function-url"], var.webhook_endpoint_type)
    error_message = "webhook_endpoint_type must be api-gateway or function-url."
  }
}

variable "lambda_zip_dir" {
  description = "Directory with the Lambda bundles <handler>.zip (pnpm build output). Ignored when lambda_s3_bucket is set. Null means dist/lambda at the repository root."
  type        = string
  default     = null
}

variable "lambda_s3_bucket" {
  description = "S3 bucket holding the Lambda bundles; when set, lambda_s3_keys gives each bundle's key."
  type        = string
  default     = null
}

variable "lambda_s3_keys" {
  description = "S3 key of each handler's bundle (webhook, scale-up, job-events, scale-down, pool, reconciler, instance-events, binaries-syncer). Missing handlers default to lambda/<handler>.zip."
  type        = map(string)
  default     = {}
}

variable "lambda_s3_object_versions" {
  description = "S3 object version of each handler's bundle, so a new upload under the same key is deployed."
  type        = map(string)
  default     = {}
}

variable "lambda_architecture" {
  description = "CPU architecture of the Lambda functions: arm64 or x86_64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.lambda_architecture)
    error_message = "lambda_architecture must be arm64 or x86_64."
  }
}

variable "lambda_runtime" {
  description = "Lambda runtime of the functions: a Node.js runtime Lambda supports today (nodejs24.x, the default, or nodejs22.x). The bundles run on both."
  type        = string
  default     = "nodejs24.x"

  # Keep in step with packages/runtime-lambda/lambda-runtime.json (infra/test/lambdas.spec.ts).
  # nodejs20.x is deprecated since 2026-04-30 and Lambda refuses new functions on it.
  validation {
    condition     = contains(["nodejs22.x", "nodejs24.x"], var.lambda_runtime)
    error_message = "lambda_runtime must be nodejs24.x or nodejs22.x (Node.js runtimes Lambda still supports; nodejs20.x and older are deprecated)."
  }
}

variable "lambda_memory_size" {
  description = "Memory (MB) of each Lambda function."
  type        = number
  default     = 512

  validation {
    condition     = var.lambda_memory_size >= 128 && var.lambda_memory_size <= 10240
    error_message = "lambda_memory_size must be from 128 to 10240 MB."
  }
}

variable "lambda_memory_sizes" {
  description = "Memory (MB) per handler (webhook, scale-up, job-events, scale-down, pool, reconciler, instance-events, binaries-syncer); unset handlers use lambda_memory_size."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for name, mb in var.lambda_memory_sizes : contains(["webhook", "scale-up", "job-events", "scale-down", "pool", "reconciler", "instance-events", "binaries-syncer"], name) && mb >= 128 && mb <= 10240 && floor(mb) == mb])
    error_message = "lambda_memory_sizes keys must be handler names (webhook, scale-up, job-events, scale-down, pool, reconciler, instance-events, binaries-syncer) and values whole MB from 128 to 10240."
  }
}

variable "tracing_mode" {
  description = "AWS X-Ray tracing of the Lambda functions: Active (sample and trace every function), PassThrough (trace only requests an upstream service sampled) or null (no tracing configuration). When set, the control-plane functions run the Powertools tracer (AWS SDK and GitHub calls as subsegments) and may write to X-Ray; the webhook is traced by Lambda alone (its invocation segment), because the tracer and the X-Ray SDK would put its zip over the 200 KB cold-start budget."
  type        = string
  default     = null

  validation {
    condition     = var.tracing_mode == null ? true : contains(["Active", "PassThrough"], var.tracing_mode)
    error_message = "tracing_mode must be Active, PassThrough or null."
  }
}

variable "lambda_timeouts" {
  description = "Timeout (seconds) per handler; unset handlers use the module's defaults (webhook 10, scale-up 60, others 60-300)."
  type        = map(number)
  default     = {}
}

variable "lambda_subnet_ids" {
  description = "Run the Lambda functions in these subnets (they then need a NAT or VPC endpoints for GitHub, SQS, DynamoDB, SSM, EC2). Empty keeps them outside a VPC."
  type        = list(string)
  default     = []
}

variable "lambda_security_group_ids" {
  description = "Security groups of the Lambda functions when lambda_subnet_ids is set."
  type        = list(string)
  default     = []
}

variable "log_level" {
  description = "Log level of the Lambda functions: DEBUG, INFO, WARN or ERROR."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "log_retention_days" {
  description = "Retention of the Lambda and runner CloudWatch log groups."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

# ---------------------------------------------------------------------------------------------
# Scaling behaviour (rendered into the Lambda environment, see environment.ts)
# ---------------------------------------------------------------------------------------------
variable "scale_up_delay_seconds" {
  description = "Delay before a queued job is served, so a job an idle runner picks up needs no new one."
  type        = number
  default     = 0

  validation {
    condition     = var.scale_up_delay_seconds >= 0 && var.scale_up_delay_seconds <= 900 && floor(var.scale_up_delay_seconds) == var.scale_up_delay_seconds
    error_message = "scale_up_delay_seconds must be a whole number from 0 to 900 (the SQS limit)."
  }
}

variable "job_retry_after_minutes" {
  description = "A queued job without a working runner for this long gets a runner again."
  type        = number
  default     = 10

  validation {
    condition     = var.job_retry_after_minutes >= 1
    error_message = "job_retry_after_minutes must be at least 1."
  }
}

variable "max_runner_requests_per_job" {
  description = "Runner requests per job before the reconciler gives up on it."
  type        = number
  default     = 3

  validation {
    condition     = var.max_runner_requests_per_job >= 1
    error_message = "max_runner_requests_per_job must be at least 1."
  }
}

variable "job_queue_limit_minutes" {
  description = "Jobs queued longer than this are left alone (GitHub cancels them after 24 h)."
  type        = number
  default     = 1440

  validation {
    condition     = var.job_queue_limit_minutes >= 1
    error_message = "job_queue_limit_minutes must be at least 1."
  }
}

variable "event_retention_days" {
  description = "Days an ended job or runner stream is kept before DynamoDB TTL removes it."
  type        = number
  default     = 30

  validation {
    condition     = var.event_retention_days >= 1
    error_message = "event_retention_days must be at least 1."
  }
}

variable "recovery_max_github_calls" {
  description = "GitHub API calls the reconciler may spend per run on redelivering failed webhooks."
  type        = number
  default     = 20

  validation {
    condition     = var.recovery_max_github_calls >= 0
    error_message = "recovery_max_github_calls must be >= 0."
  }
}

variable "orphan_grace_minutes" {
  description = "An instance whose runner is unknown or ended is terminated after this long."
  type        = number
  default     = 10

  validation {
    condition     = var.orphan_grace_minutes >= 1
    error_message = "orphan_grace_minutes must be at least 1."
  }
}

variable "runner_secret_path" {
  description = "SSM path under which each runner finds its JIT config (<path>/<runner id>.<random suffix>). A runner role may read and delete only the one parameter below it that is tagged with its own identity."
  type        = string
  default     = "/hangar/runners"

  validation {
    condition     = can(regex("^(/[a-zA-Z0-9_.-]+)+$", var.runner_secret_path))
    error_message = "runner_secret_path must start with / and must not end with /."
  }
}

# ---------------------------------------------------------------------------------------------
# Queues and schedules
# ---------------------------------------------------------------------------------------------
variable "queues_fifo" {
  description = "Use FIFO queues (.fifo names, content-based deduplication off: the producers set the deduplication id)."
  type        = bool
  default     = false
}

variable "queue_max_receive_count" {
  description = "Receives of a message before it moves to the dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.queue_max_receive_count >= 1 && var.queue_max_receive_count <= 1000
    error_message = "queue_max_receive_count must be from 1 to 1000."
  }
}

variable "dlq_retention_seconds" {
  description = "How long dead-lettered messages are kept for inspection and redrive."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dlq_retention_seconds >= 60 && var.dlq_retention_seconds <= 1209600
    error_message = "dlq_retention_seconds must be from 60 to 1209600 (14 days)."
  }
}

variable "schedule_timezone" {
  description = "Time zone of the EventBridge Scheduler schedules (IANA name)."
  type        = string
  default     = "UTC"
}

variable "scale_down_schedule" {
  description = "EventBridge Scheduler expression of the scale-down run."
  type        = string
  default     = "rate(1 minute)"
}

variable "pool_schedule" {
  description = "EventBridge Scheduler expression of the pool top-up run."
  type        = string
  default     = "rate(1 minute)"
}

variable "reconciler_schedule" {
  description = "EventBridge Scheduler expression of the reconciler run."
  type        = string
  default     = "rate(5 minutes)"
}

variable "binaries_sync_schedule" {
  description = "EventBridge Scheduler expression of the runner binaries mirror."
  type        = string
  default     = "rate(1 hour)"
}

variable "binaries_sync_on_apply" {
  description = "Invoke the binaries syncer once when the deployment is applied (again when the bucket, binaries_prerelease or the OS and architectures of runner_configs change), so the first runners find the runner binaries without waiting for binaries_sync_schedule. The apply fails if the mirror fails (e.g. the functions cannot reach GitHub); turn off for deployments that cannot reach GitHub at apply time."
  type        = bool
  default     = true
}

variable "binaries_prerelease" {
  description = "Mirror prerelease versions of actions/runner too."
  type        = bool
  default     = false
}

variable "enable_rebalance_events" {
  description = "Also send EC2 Instance Rebalance Recommendations to the instance-events function (earlier than the 2-minute spot warning)."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------------------------
# Encryption (seed 002: customer-managed keys everywhere, AWS managed keys by default)
# ---------------------------------------------------------------------------------------------
variable "sqs_kms_key_arn" {
  description = "Customer-managed KMS key for the SQS queues; null uses SQS-managed encryption (SSE-SQS)."
  type        = string
  default     = null
}

variable "logs_kms_key_arn" {
  description = "Customer-managed KMS key for the CloudWatch log groups (its key policy must allow logs.<region>.amazonaws.com)."
  type        = string
  default     = null
}

variable "ssm_kms_key_arn" {
  description = "Customer-managed KMS key for the SSM SecureStrings (App keys, webhook secret, runner JIT configs); null uses alias/aws/ssm."
  type        = string
  default     = null
}

variable "dynamodb_kms_key_arn" {
  description = "Customer-managed KMS key for the event store table; null uses the AWS owned key."
  type        = string
  default     = null
}

variable "s3_kms_key_arn" {
  description = "Customer-managed KMS key for the binaries bucket; null uses SSE-S3."
  type        = string
  default     = null
}

# ---------------------------------------------------------------------------------------------
# IAM
# ---------------------------------------------------------------------------------------------
variable "role_path" {
  description = "Path of every IAM role the module creates."
  type        = string
  default     = "/hangar/"

  validation {
    condition     = can(regex("^/([a-zA-Z0-9+=,.@_-]+/)*$", var.role_path))
    error_message = "role_path must start and end with /."
  }
}

variable "instance_profile_path" {
  description = "Path of the runner instance profiles."
  type        = string
  default     = "/hangar/"

  validation {
    condition     = can(regex("^/([a-zA-Z0-9+=,.@_-]+/)*$", var.instance_profile_path))
    error_message = "instance_profile_path must start and end with /."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary attached to every IAM role the module creates."
  type        = string
  default     = null
}

variable "runner_extra_policy_arns" {
  description = "Managed policies attached to the runner instance and task roles (for what your jobs need, e.g. ECR pulls)."
  type        = list(string)
  default     = []
}

# ---------------------------------------------------------------------------------------------
# Runners
# ---------------------------------------------------------------------------------------------
variable "runner_egress_cidr_blocks" {
  description = "Where runners may connect to (GitHub, package registries). The security group allows no inbound traffic."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "runner_security_group_ids" {
  description = "Extra security groups for the runners, next to the one the module creates."
  type        = list(string)
  default     = []
}

variable "enable_ssm_session_manager" {
  description = "Attach AmazonSSMManagedInstanceCore to EC2 runners so operators can open a Session Manager shell."
  type        = bool
  default     = false
}

# ---------------------------------------------------------------------------------------------
# Observability
# ---------------------------------------------------------------------------------------------
variable "alarm_actions" {
  description = "ARNs (SNS topics) notified when an alarm fires or recovers."
  type        = list(string)
  default     = []
}

variable "queue_to_online_alarm_seconds" {
  description = "Alarm when the p90 time from job queued to runner online exceeds this."
  type        = number
  default     = 300
}

variable "rate_limit_alarm_threshold" {
  description = "Alarm when the lowest GitHub rate limit remaining drops below this."
  type        = number
  default     = 500
}

variable "create_dashboard" {
  description = "Create the CloudWatch dashboard."
  type        = bool
  default     = true
}
variable "runner_configs" {
  description = "Runner configurations keyed by pool id (lowercase letters, digits and dashes): labels, matching, level, limits, schedules, capacity and the EC2 or Fargate settings of each. Validated in modules/pools-document, which renders them into the pools JSON. instance_types is a preference order only under allocation_strategy capacity-optimized-prioritized (spot) and on_demand_allocation_strategy prioritized; the defaults (price-capacity-optimized, lowest-price) choose by price and capacity and ignore the order."
  type = map(object({
    labels                        = list(string)
    owner                         = string
    matching_mode                 = optional(string, "subset")
    priority                      = optional(number, 999)
    level                         = optional(string, "org")
    runner_group                  = optional(string)
    name_prefix                   = optional(string, "")
    ephemeral                     = optional(bool, true)
    max_runners                   = optional(number, -1)
    minimum_running_time_minutes  = optional(number, 5)
    boot_time_minutes             = optional(number, 5)
    job_queued_check              = optional(bool, true)
    idle_windows                  = optional(list(object({ cron = string, time_zone = optional(string), idle_count = number, eviction_strategy = optional(string) })), [])
    pool_schedules                = optional(list(object({ cron = string, time_zone = optional(string), size = number })), [])
    capacity_type                 = optional(string, "spot")
    on_demand_failover_for        = optional(list(string), [])
    max_launch_attempts           = optional(number, 3)
    compute                       = optional(string, "ec2")
    os                            = optional(string, "linux")
    architecture                  = optional(string, "x64")
    instance_types                = optional(list(string))
    allocation_strategy           = optional(string, "price-capacity-optimized")
    on_demand_allocation_strategy = optional(string, "lowest-price")
    spot_max_price                = optional(string)
    ami                           = optional(object({ owners = list(string), name_filters = list(string) }))
    ami_ssm_parameter             = optional(string)
    prebuilt_image                = optional(bool, false)
    root_volume_size_gb           = optional(number, 30)
    runner_user                   = optional(string)
    extra_tags                    = optional(map(string), {})
    subnet_ids                    = optional(list(string))
    fargate                       = optional(object({ image = optional(string), task_definition = optional(string), container_name = optional(string, "runner"), cpu = optional(number, 1024), memory = optional(number, 2048), capacity_provider = optional(string, "FARGATE"), assign_public_ip = optional(bool, false), environment = optional(map(string), {}), secrets = optional(map(string), {}), ephemeral_storage_gb = optional(number), volumes = optional(list(object({ name = string, container_path = string, read_only = optional(bool, false), efs = optional(object({ file_system_id = string, root_directory = optional(string), access_point_id = optional(string), transit_encryption = optional(string, "ENABLED") })) })), []) }))
    key_name                      = optional(string)
    associate_public_ipv4_address = optional(bool)
    block_device_mappings         = optional(list(object({ device_name = optional(string), volume_type = optional(string, "gp3"), volume_size = optional(number), iops = optional(number), throughput = optional(number), encrypted = optional(bool, true), kms_key_id = optional(string), snapshot_id = optional(string), delete_on_termination = optional(bool, true) })), [])
    metadata_options              = optional(object({ http_tokens = optional(string, "required"), http_put_response_hop_limit = optional(number, 1) }), {})
    runner_as_root                = optional(bool, false)
    runner_disable_default_labels = optional(bool, false)
    enable_jit_config             = optional(bool, true)
    enable_userdata               = optional(bool, true)
    userdata_template             = optional(string)
    userdata_pre_install          = optional(string, "")
    userdata_post_install         = optional(string, "")
    runner_hook_job_started       = optional(string, "")
    runner_hook_job_completed     = optional(string, "")
    install_docker                = optional(bool, true)
    enable_cloudwatch_agent       = optional(bool, true)
    runner_log_files              = optional(list(object({ file_path = string, log_stream_name = string })), [])
    cloudwatch_config             = optional(string)
  }))

}

variable "table_deletion_protection" {
  description = "Protect the event store table from deletion (turn off before destroying the deployment)."
  type        = bool
  default     = true
}

variable "ebs_kms_key_arn" {
  description = "Customer-managed KMS key for the runners' root volumes; null uses the account's default EBS key."
  type        = string
  default     = null
}
