# ECS Fargate runners (seed 004): one cluster, one task definition per fargate configuration.
# Scale-up starts a task with RunTask and passes HANGAR_RUNNER_ID and HANGAR_SECRET_PATH as
# container overrides; infra/bootstrap/fargate-entrypoint.sh does the rest.
locals {
  fargate_configs        = { for id, c in var.runner_configs : id => c if c.compute == "fargate" }
  fargate_container_name = "runner"

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

resource "aws_ecs_task_definition" "runner" {
  for_each = local.fargate_configs

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

  container_definitions = jsonencode([{
    name      = local.fargate_container_name
    image     = each.value.fargate.image
    essential = true
    environment = [
      { name = "AWS_REGION", value = local.region },
      { name = "HANGAR_BINARIES_BUCKET", value = aws_s3_bucket.binaries.id },
      { name = "HANGAR_PREBUILT_IMAGE", value = tostring(each.value.prebuilt_image) },
      { name = "HANGAR_SECRET_WAIT_SECONDS", value = tostring(local.runner_secret_wait_seconds) },
    ]
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
