# Ephemeral runners (one job each, then the instance terminates) with a small warm pool during office hours, so the first jobs of the day do not wait for a boot.
locals {
  pools = jsondecode(file("${path.module}/pools.json"))
}

module "hangar" {
  source = "../../modules/hangar"

  prefix        = "hangar-ephemeral"
  pool_id       = "ephemeral"
  runner_config = local.pools["ephemeral"]

  vpc_id     = var.vpc_id
  subnet_ids = var.subnet_ids
  github_apps = [{
    app_id      = var.github_app_id
    private_key = file(var.github_app_private_key_path)
  }]

  schedule_timezone = "Europe/Berlin"
}
