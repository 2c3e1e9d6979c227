# Renders the runner configurations into the pools JSON of
# packages/runtime-lambda/src/config/pools-schema.ts. Optional fields that are null are left
# out rather than written as null: the schema accepts "absent", not null.
locals {
  ec2_compute = {
    for id, c in var.configurations : id => {
      for key, value in {
        kind                       = "ec2"
        launchTemplateName         = var.compute[id].launch_template_name
        subnetIds                  = var.compute[id].subnet_ids
        instanceTypes              = var.compute[id].instance_types
        allocationStrategy         = c.allocation_strategy
        onDemandAllocationStrategy = c.on_demand_allocation_strategy
        spotMaxPrice               = c.spot_max_price
        imageIdSsmParameter        = c.ami_ssm_parameter
        extraTags                  = c.extra_tags
      } : key => value if value != null
    } if c.compute == "ec2"
  }

  fargate_compute = {
    for id, c in var.configurations : id => {
      kind             = "fargate"
      cluster          = var.compute[id].cluster
      taskDefinition   = var.compute[id].task_definition
      containerName    = var.compute[id].container_name
      subnetIds        = var.compute[id].subnet_ids
      securityGroupIds = var.compute[id].security_group_ids
      assignPublicIp   = c.fargate.assign_public_ip
      capacityProvider = c.fargate.capacity_provider
      taskRoleArn      = var.compute[id].task_role_arn
    } if c.compute == "fargate"
  }

  # The fargate documents differ only by the optional task role: drop it when unset (the schema
  # accepts "absent", not null).
  fargate_documents = {
    for id, doc in local.fargate_compute : id => { for key, value in doc : key => value if value != null }
  }

  # The two compute kinds are different object types, so they cannot share a conditional;
  # going through their JSON keeps one list element type.
  compute_json = merge(
    { for id, doc in local.ec2_compute : id => jsonencode(doc) },
    { for id, doc in local.fargate_documents : id => jsonencode(doc) },
  )

  pools = [
    for id, c in var.configurations : {
      for key, value in {
        id                        = id
        labels                    = c.labels
        matching                  = { mode = c.matching_mode, priority = c.priority }
        level                     = c.level
        owner                     = c.owner
        runnerGroup               = c.runner_group
        namePrefix                = c.name_prefix
        ephemeral                 = c.ephemeral
        maxRunners                = c.max_runners
        minimumRunningTimeMinutes = c.minimum_running_time_minutes
        bootTimeMinutes           = c.boot_time_minutes
        jobQueuedCheck            = c.job_queued_check
        idleWindows = [
          for w in c.idle_windows : {
            for k, v in { cron = w.cron, timeZone = w.time_zone, idleCount = w.idle_count, evictionStrategy = w.eviction_strategy } : k => v if v != null
          }
        ]
        poolSchedules = [
          for s in c.pool_schedules : {
            for k, v in { cron = s.cron, timeZone = s.time_zone, size = s.size } : k => v if v != null
          }
        ]
        capacity          = { type = c.capacity_type, onDemandFailoverFor = c.on_demand_failover_for }
        maxLaunchAttempts = c.max_launch_attempts
        jitConfig         = c.enable_jit_config
        defaultLabels     = local.default_labels[id]
        compute           = jsondecode(local.compute_json[id])
      } : key => value if value != null
    }
  ]
}
