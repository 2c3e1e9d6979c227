variable "configurations" {
  description = "Runner configurations keyed by pool id (lowercase letters, digits and dashes). Same type as multi-runner's runner_configs; infra/test keeps the two identical. instance_types is a preference order only under allocation_strategy capacity-optimized-prioritized (spot) and on_demand_allocation_strategy prioritized; the defaults (price-capacity-optimized, lowest-price) choose by price and capacity and ignore the order."
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

  validation {
    condition     = length(var.configurations) > 0 && alltrue([for id, c in var.configurations : can(regex("^[a-z0-9][a-z0-9-]{0,39}$", id))])
    error_message = "runner_configs needs at least one entry, and each key (the pool id) must be lowercase letters, digits and dashes, at most 40 characters."
  }
  validation {
    condition     = alltrue([for c in var.configurations : length(c.labels) > 0 && contains(["exact", "subset", "loose"], c.matching_mode)])
    error_message = "Each runner configuration needs at least one label, and matching_mode must be exact, subset or loose."
  }
  validation {
    condition     = alltrue([for c in var.configurations : contains(["org", "repo"], c.level) && contains(["spot", "on-demand"], c.capacity_type)])
    error_message = "level must be org or repo, and capacity_type spot or on-demand."
  }
  validation {
    condition     = alltrue([for c in var.configurations : c.max_runners >= -1 && floor(c.max_runners) == c.max_runners])
    error_message = "max_runners must be a whole number >= -1 (-1 means unlimited)."
  }
  validation {
    condition     = alltrue([for c in var.configurations : c.minimum_running_time_minutes >= 0 && c.boot_time_minutes >= 1 && c.max_launch_attempts >= 1 && c.max_launch_attempts <= 10])
    error_message = "minimum_running_time_minutes must be >= 0, boot_time_minutes >= 1 and max_launch_attempts from 1 to 10."
  }
  # The crons themselves are checked field by field in cron.tf (a plan error names each bad one).
  validation {
    condition = alltrue(flatten([for c in var.configurations : concat(
      [for w in c.idle_windows : w.idle_count >= 0 && contains(["oldest-first", "newest-first"], coalesce(w.eviction_strategy, "oldest-first"))],
      [for s in c.pool_schedules : s.size >= 0],
    )]))
    error_message = "idle_windows need idle_count >= 0 and eviction_strategy oldest-first or newest-first; pool_schedules need size >= 0."
  }
  validation {
    condition     = alltrue([for c in var.configurations : contains(["ec2", "fargate"], c.compute) && (c.compute == "ec2" || (c.fargate != null && c.ephemeral))])
    error_message = "compute must be ec2 or fargate; a fargate configuration needs a fargate block with the runner image and ephemeral = true (a task runs one job)."
  }
  validation {
    condition     = alltrue([for c in var.configurations : contains(["linux", "windows"], c.os) && contains(["x64", "arm64"], c.architecture) && !(c.os == "windows" && c.architecture == "arm64")])
    error_message = "os must be linux or windows and architecture x64 or arm64 (Windows runners are x64 only)."
  }
  validation {
    condition     = alltrue([for c in var.configurations : contains(["lowest-price", "price-capacity-optimized", "capacity-optimized", "capacity-optimized-prioritized", "diversified"], c.allocation_strategy) && contains(["lowest-price", "prioritized"], c.on_demand_allocation_strategy)])
    error_message = "allocation_strategy must be a CreateFleet spot allocation strategy (price-capacity-optimized, lowest-price, capacity-optimized, capacity-optimized-prioritized, diversified) and on_demand_allocation_strategy lowest-price or prioritized."
  }
  validation {
    condition = alltrue(flatten([for c in var.configurations : [
      for v in c.block_device_mappings : contains(["standard", "gp2", "gp3", "io1", "io2", "sc1", "st1"], v.volume_type)
      && (v.iops == null || contains(["gp3", "io1", "io2"], v.volume_type))
      && (v.throughput == null || v.volume_type == "gp3")
      && (v.volume_size == null ? true : v.volume_size >= 1 && v.volume_size <= 65536 && floor(v.volume_size) == v.volume_size)
      && (v.device_name == null || v.volume_size != null || v.snapshot_id != null)
    ]]))
    error_message = "block_device_mappings: volume_type must be standard, gp2, gp3, io1, io2, sc1 or st1; iops only for gp3, io1 and io2; throughput only for gp3; volume_size a whole number of GiB from 1 to 65536; an extra volume (with device_name) needs volume_size or snapshot_id."
  }
  validation {
    condition     = alltrue([for c in var.configurations : length([for v in c.block_device_mappings : v if v.device_name == null]) <= 1 && length(distinct([for v in c.block_device_mappings : v.device_name if v.device_name != null])) == length([for v in c.block_device_mappings : v if v.device_name != null])])
    error_message = "block_device_mappings: at most one entry without device_name (it sets the root volume), and each device_name once."
  }
  validation {
    condition     = alltrue([for c in var.configurations : contains(["required", "optional"], c.metadata_options.http_tokens) && c.metadata_options.http_put_response_hop_limit >= 1 && c.metadata_options.http_put_response_hop_limit <= 64 && floor(c.metadata_options.http_put_response_hop_limit) == c.metadata_options.http_put_response_hop_limit])
    error_message = "metadata_options: http_tokens must be required (IMDSv2 only, the default) or optional, and http_put_response_hop_limit a whole number from 1 to 64 (1 keeps job containers away from the instance role)."
  }
  validation {
    condition     = alltrue([for c in var.configurations : c.enable_userdata || c.userdata_template == null])
    error_message = "userdata_template needs enable_userdata = true (with enable_userdata = false the image starts the runner itself and no user data is sent)."
  }
  validation {
    condition     = alltrue([for c in var.configurations : (c.cloudwatch_config == null ? true : can(jsondecode(c.cloudwatch_config))) && alltrue([for f in c.runner_log_files : trimspace(f.file_path) != "" && trimspace(f.log_stream_name) != ""])])
    error_message = "cloudwatch_config must be a CloudWatch agent configuration in JSON, and each runner_log_files entry needs a file_path and a log_stream_name."
  }
  validation {
    condition = alltrue([for c in var.configurations : c.fargate == null ? true : (
      (try(c.fargate.image, null) == null) != (try(c.fargate.task_definition, null) == null)
      && (try(c.fargate.ephemeral_storage_gb, null) == null ? true : c.fargate.ephemeral_storage_gb >= 21 && c.fargate.ephemeral_storage_gb <= 200)
      && length(distinct([for v in c.fargate.volumes : v.name])) == length(c.fargate.volumes)
      && alltrue([for v in c.fargate.volumes : startswith(v.container_path, "/")])
      && alltrue([for name, from in c.fargate.secrets : can(regex("^arn:aws[a-z-]*:(ssm|secretsmanager):", from))])
    )])
    error_message = "fargate needs exactly one of image (Hangar builds the task definition) or task_definition (an existing one, by ARN or family[:revision]); ephemeral_storage_gb from 21 to 200; volume names once each and absolute container paths; secrets values the ARN of an SSM parameter or a Secrets Manager secret."
  }
}

variable "compute" {
  description = "Where each configuration's runners are launched, keyed like configurations: the launch template (EC2) or cluster and task definition (Fargate) the enclosing module created."
  type = map(object({
    subnet_ids           = list(string)
    launch_template_name = optional(string)
    instance_types       = optional(list(string))
    cluster              = optional(string)
    task_definition      = optional(string)
    container_name       = optional(string)
    security_group_ids   = optional(list(string), [])
    # An existing task definition keeps its own roles except the task role: this one replaces
    # it at RunTask, so the runner secret (bound to Hangar's task role) stays readable.
    task_role_arn = optional(string)
  }))
}
