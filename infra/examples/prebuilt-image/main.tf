# Runners from an AMI you baked with the runner in /opt/actions-runner (e.g. with Packer); the AMI id is read from an SSM parameter so a new image needs no apply.
locals {
  pools = jsondecode(file("${path.module}/pools.json"))
}

module "hangar" {
  source = "../../modules/hangar"

  prefix        = "hangar-prebuilt-image"
  pool_id       = "prebuilt-image"
  runner_config = local.pools["prebuilt-image"]

  vpc_id     = var.vpc_id
  subnet_ids = var.subnet_ids
  github_apps = [{
    app_id      = var.github_app_id
    private_key = file(var.github_app_private_key_path)
  }]
}
