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
    fargate                       = optional(object({ image = string, cpu = optional(number, 1024), memory = optional(number, 2048), capacity_provider = optional(string, "FARGATE"), assign_public_ip = optional(bool, false) }))
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
  }))
}
