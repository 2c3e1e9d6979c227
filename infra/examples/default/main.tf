# One ephemeral Linux x64 spot configuration for an organization: the smallest deployment.
locals {
  pools = jsondecode(file("${path.module}/pools.json"))
}

module "hangar" {
  source = "../../modules/hangar"

  pool_id       = "default"
  runner_config = local.pools["default"]

  vpc_id     = var.vpc_id
  subnet_ids = var.subnet_ids
  github_apps = [{
    app_id      = var.github_app_id
    private_key = file(var.github_app_private_key_path)
  }]
}
