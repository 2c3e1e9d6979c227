# Every role under a permissions boundary and a dedicated path, for accounts where a boundary is mandatory.
locals {
  pools = jsondecode(file("${path.module}/pools.json"))
}

module "hangar" {
  source = "../../modules/hangar"

  prefix        = "hangar-permissions-boundary"
  pool_id       = "permissions-boundary"
  runner_config = local.pools["permissions-boundary"]

  vpc_id     = var.vpc_id
  subnet_ids = var.subnet_ids
  github_apps = [{
    app_id      = var.github_app_id
    private_key = file(var.github_app_private_key_path)
  }]

  permissions_boundary_arn = var.permissions_boundary_arn
  role_path                = "/boundary/hangar/"
  instance_profile_path    = "/boundary/hangar/"
}
