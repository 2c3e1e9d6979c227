# Graviton (arm64) runners on spot, falling back to on-demand when spot capacity is short.
locals {
  pools = jsondecode(file("${path.module}/pools.json"))
}

module "hangar" {
  source = "../../modules/hangar"

  prefix        = "hangar-arm64"
  pool_id       = "arm64"
  runner_config = local.pools["arm64"]

  vpc_id     = var.vpc_id
  subnet_ids = var.subnet_ids
  github_apps = [{
    app_id      = var.github_app_id
    private_key = file(var.github_app_private_key_path)
  }]

  lambda_architecture = "arm64"
}
