# Container runners on ECS Fargate (seed 004): no instances to boot, but no Docker-in-Docker.
# Build and push infra/bootstrap/Dockerfile to ECR first and put its URI in pools.json.
locals {
  pools = jsondecode(file("${path.module}/pools.json"))
}

module "hangar" {
  source = "../../modules/multi-runner"

  prefix         = "hangar-fargate"
  runner_configs = local.pools

  vpc_id     = var.vpc_id
  subnet_ids = var.subnet_ids
  github_apps = [{
    app_id      = var.github_app_id
    private_key = file(var.github_app_private_key_path)
  }]

  webhook_endpoint_type = "function-url"
}
