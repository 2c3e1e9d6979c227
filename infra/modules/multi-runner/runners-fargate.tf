# ECS Fargate runners (seed 004): one cluster, one task definition per fargate configuration
# (generated here from fargate.image, or an existing one named by fargate.task_definition).
# Scale-up starts a task with RunTask and passes HANGAR_RUNNER_ID and HANGAR_SECRET_PATH as
# container overrides; infra/bootstrap/fargate-entrypoint.sh does the rest.
locals {
  fargate_configs   = { for id, c in var.runner_configs : id => c if c.compute == "fargate" }
  generated_fargate = { for id, c in local.fargate_configs : id => c if c.fargate.task_definition == null }
  existing_fargate  = { for id, c in local.fargate_configs : id => c if c.fargate.task_definition != null }

  # Secrets the generated task definitions inject (ECS reads them with the execution role).
  fargate_secret_arns = distinct(flatten([for c in local.generated_fargate : values(c.fargate.secrets)]))

  # The repositories the task execution role may pull from: those of the configured images.
  runner_image_repository_arns = [
    for r in module.pools_document.image_repositories : "arn:${local.partition}:ecr:${r.region}:${r.account}:repository/${r.name}"
  ]
}

resource "aws_ecs_cluster" "runners" {
  count = length(local.fargate_configs) > 0 ? 1 : 0

  name = "${var.prefix}-runners"
  tags = local.tags

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "runners" {
  count = length(local.fargate_configs) > 0 ? 1 : 0

  cluster_name       = aws_ecs_cluster.runners[0].name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
}

# An existing task definition (ARN, family or family:revision): read for its family and
# execution role, which scale-up must be allowed to run and pass. Its container must run
# Hangar's entrypoint (infra/bootstrap/fargate-entrypoint.sh) and be named fargate.container_name.
data "aws_ecs_task_definition" "existing" {
  for_each = local.existing_fargate

  task_definition = each.value.fargate.task_definition
}

resource "aws_ecs_task_definition" "runner" {
  for_each = local.generated_fargate

  family                   = "${var.prefix}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(each.value.fargate.cpu)
  memory                   = tostring(each.value.fargate.memory)
  execution_role_arn       = aws_iam_role.runner_task_execution[0].arn
  task_role_arn            = aws_iam_role.runner_task[0].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = each.value.architecture == "arm64" ? "ARM64" : "X86_64"
  }

  # More than the 20 GiB every Fargate task gets (platform 1.4.0+), up to 200.
  dynamic "ephemeral_storage" {
    for_each = each.value.fargate.ephemeral_storage_gb == null ? [] : [each.value.fargate.ephemeral_storage_gb]
    content {
      size_in_gib = ephemeral_storage.value
    }
  }

  # Task storage shared by name (bind mounts), or EFS file systems (caches kept across tasks).
  dynamic "volume" {
    for_each = each.value.fargate.volumes
    content {
      name = volume.value.name

      dynamic "efs_volume_configuration" {
        for_each = volume.value.efs == null ? [] : [volume.value.efs]
        content {
          file_system_id     = efs_volume_configuration.value.file_system_id
          root_directory     = efs_volume_configuration.value.access_point_id == null ? efs_volume_configuration.value.root_directory : null
          transit_encryption = efs_volume_configuration.value.transit_encryption

          dynamic "authorization_config" {
            for_each = efs_volume_configuration.value.access_point_id == null ? [] : [efs_volume_configuration.value.access_point_id]
            content {
              access_point_id = authorization_config.value
            }
          }
        }
      }
    }
  }

  container_definitions = jsonencode([{
    name      = each.value.fargate.container_name
    image     = each.value.fargate.image
    essential = true
    # Hangar's variables win over a same-named entry of fargate.environment.
    environment = concat(
      [for name, value in each.value.fargate.environment : { name = name, value = value } if !startswith(name, "HANGAR_") && name != "AWS_REGION"],
      [
        { name = "AWS_REGION", value = local.region },
        { name = "HANGAR_BINARIES_BUCKET", value = aws_s3_bucket.binaries.id },
        { name = "HANGAR_PREBUILT_IMAGE", value = tostring(each.value.prebuilt_image) },
        { name = "HANGAR_SECRET_WAIT_SECONDS", value = tostring(local.runner_secret_wait_seconds) },
      ],
    )
    secrets     = [for name, from in each.value.fargate.secrets : { name = name, valueFrom = from }]
    mountPoints = [for v in each.value.fargate.volumes : { sourceVolume = v.name, containerPath = v.container_path, readOnly = v.read_only }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = local.runner_log_group_name
        awslogs-region        = local.region
        awslogs-stream-prefix = each.key
      }
    }
  }])

  tags = merge(local.tags, each.value.extra_tags, { "hangar:pool-id" = each.key })
}
