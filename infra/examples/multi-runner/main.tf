# Several configurations behind one webhook and one GitHub App: Linux x64 and arm64 spot
# (ephemeral), a reusable on-demand pool with a working-hours warm pool, and Windows.
locals {
  pools = jsondecode(file("${path.module}/pools.json"))
}

module "hangar" {
  source = "../../modules/multi-runner"

  prefix         = "hangar"
  runner_configs = local.pools

  vpc_id     = var.vpc_id
  subnet_ids = var.subnet_ids
  github_apps = [{
    app_id      = var.github_app_id
    private_key = file(var.github_app_private_key_path)
  }]

  repository_allow_list  = ["my-org/service-a", "my-org/service-b"]
  scale_up_delay_seconds = 10
  schedule_timezone      = "Europe/Amsterdam"
  log_level              = "INFO"
  tags                   = { team = "platform" }
}
