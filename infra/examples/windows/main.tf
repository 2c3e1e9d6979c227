# Windows Server 2022 runners (x64). Windows boots slowly, so the boot time is generous.
locals {
  pools = jsondecode(file("${path.module}/pools.json"))
}

module "hangar" {
  source = "../../modules/hangar"

  prefix        = "hangar-windows"
  pool_id       = "windows"
  runner_config = local.pools["windows"]

  vpc_id     = var.vpc_id
  subnet_ids = var.subnet_ids
  github_apps = [{
    app_id      = var.github_app_id
    private_key = file(var.github_app_private_key_path)
  }]
}
