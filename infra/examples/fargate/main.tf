# Container runners on ECS Fargate (seed 004): no instances to boot, but no Docker-in-Docker.
# Build and push infra/bootstrap/Dockerfile to ECR first and put its URI in pools.json
# (docs/infra.md, "Fargate runner image": no published image is needed).
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

# An S3 gateway endpoint (no charge) on the runner subnets' route tables: the runner tarball
# from the binaries bucket and the image layers ECR serves from S3 stay off the NAT gateway.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.${var.aws_region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = var.route_table_ids

  tags = { Name = "hangar-fargate-s3" }
}
