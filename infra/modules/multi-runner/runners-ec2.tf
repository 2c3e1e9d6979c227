locals {
  default_instance_types = {
    x64   = ["m7i.large", "m6i.large", "m5.large"]
    arm64 = ["m7g.large", "m6g.large"]
  }

  default_ami_name_filters = {
    "linux-x64"   = ["al2023-ami-2023.*-kernel-*-x86_64"]
    "linux-arm64" = ["al2023-ami-2023.*-kernel-*-arm64"]
    "windows-x64" = ["Windows_Server-2022-English-Full-Base-*"]
  }

  # The user the runner and its jobs run as when not root: Amazon Linux's ec2-user (Ubuntu
  # images: set runner_user = "ubuntu"), created at boot when the image lacks it; on Windows an
  # unprivileged local user the boot script creates.
  default_runner_user = { linux = "ec2-user", windows = "hangar-runner" }

  ec2_configs = {
    for id, c in var.runner_configs : id => merge(c, {
      instance_types = c.instance_types != null ? c.instance_types : local.default_instance_types[c.architecture]
      runner_user    = c.runner_user != null ? c.runner_user : local.default_runner_user[c.os]
    }) if c.compute == "ec2"
  }

  runner_log_group_name = "/hangar/${var.prefix}/runners"
}

resource "aws_security_group" "runner" {
  name_prefix = "${var.prefix}-runner-"
  description = "Hangar runners: no inbound traffic, outbound to GitHub and package registries"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${var.prefix}-runner" })

  egress {
    description = "Outbound to GitHub, AWS APIs and package registries"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = var.runner_egress_cidr_blocks
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "runner" {
  name              = local.runner_log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
  tags              = local.tags
}

data "aws_ami" "runner" {
  for_each = { for id, c in local.ec2_configs : id => c if c.ami_ssm_parameter == null }

  most_recent = true
  owners      = each.value.ami != null ? each.value.ami.owners : ["amazon"]

  filter {
    name   = "name"
    values = each.value.ami != null ? each.value.ami.name_filters : local.default_ami_name_filters["${each.value.os}-${each.value.architecture}"]
  }
  filter {
    name   = "architecture"
    values = [each.value.architecture == "arm64" ? "arm64" : "x86_64"]
  }
  filter {
    name   = "state"
    values = ["available"]
  }
}

locals {
  # The CloudWatch agent configuration of each configuration's runners: the boot log and the
  # runner's diagnostics, plus runner_log_files, into the runner log group (the only one the
  # runner role may write), one stream per file and instance; or cloudwatch_config verbatim.
  runner_log_paths = {
    linux   = { boot = "/var/log/hangar-boot.log", runner = "/opt/actions-runner/_diag/Runner_*.log", worker = "/opt/actions-runner/_diag/Worker_*.log" }
    windows = { boot = "C:\\hangar-boot.log", runner = "C:\\actions-runner\\_diag\\Runner_*.log", worker = "C:\\actions-runner\\_diag\\Worker_*.log" }
  }
  cloudwatch_configs = {
    for id, c in local.ec2_configs : id => c.cloudwatch_config != null ? c.cloudwatch_config : jsonencode({
      logs = { logs_collected = { files = { collect_list = concat(
        [for stream, path in local.runner_log_paths[c.os] : { file_path = path, log_group_name = local.runner_log_group_name, log_stream_name = "{instance_id}/${stream}" }],
        [for f in c.runner_log_files : { file_path = f.file_path, log_group_name = local.runner_log_group_name, log_stream_name = "{instance_id}/${f.log_stream_name}" }],
      ) } } }
    })
  }

  # The variables every boot template gets, Hangar's own (infra/bootstrap) or a
  # userdata_template (docs/infra.md lists them). Everything per runner (its id, pool, secret
  # path) comes from the instance's own tags at boot. Scripts and configuration pass base64
  # encoded, so no content can break the script they are written into.
  runner_template_variables = {
    for id, c in local.ec2_configs : id => merge({
      region                    = local.region
      binaries_bucket           = aws_s3_bucket.binaries.id
      runner_arch               = c.architecture
      runner_user               = c.runner_user
      runner_as_root            = c.runner_as_root
      prebuilt_image            = c.prebuilt_image
      ephemeral                 = c.ephemeral
      log_group                 = local.runner_log_group_name
      secret_wait_s             = local.runner_secret_wait_seconds
      enable_cloudwatch_agent   = c.enable_cloudwatch_agent
      cloudwatch_config_base64  = base64encode(local.cloudwatch_configs[id])
      pre_install_base64        = base64encode(c.userdata_pre_install)
      post_install_base64       = base64encode(c.userdata_post_install)
      hook_job_started_base64   = base64encode(c.runner_hook_job_started)
      hook_job_completed_base64 = base64encode(c.runner_hook_job_completed)
    }, c.os == "linux" ? { install_docker = c.install_docker } : {})
  }

  runner_bootstrap = {
    for id, c in local.ec2_configs : id => (
      c.userdata_template != null ? templatefile(c.userdata_template, local.runner_template_variables[id]) :
      c.os == "windows" ? join("\n", ["<powershell>", templatefile("${path.module}/../../bootstrap/start-runner.ps1", local.runner_template_variables[id]), "</powershell>"]) :
      templatefile("${path.module}/../../bootstrap/start-runner.sh", local.runner_template_variables[id])
    )
  }

  # The volume the image boots from: the AMI's own root device when the module looked it up,
  # else the usual one (Amazon Linux /dev/xvda, Windows /dev/sda1; for an Ubuntu image named by
  # ami_ssm_parameter, give the root entry of block_device_mappings device_name = "/dev/sda1").
  root_device_names = {
    for id, c in local.ec2_configs : id => c.ami_ssm_parameter == null ? data.aws_ami.runner[id].root_device_name : (c.os == "windows" ? "/dev/sda1" : "/dev/xvda")
  }
}

resource "aws_launch_template" "runner" {
  for_each = local.ec2_configs

  name                   = "${var.prefix}-${each.key}"
  description            = "Hangar runner configuration ${each.key} (${each.value.os}/${each.value.architecture})"
  image_id               = each.value.ami_ssm_parameter != null ? "resolve:ssm:${each.value.ami_ssm_parameter}" : data.aws_ami.runner[each.key].id
  update_default_version = true
  ebs_optimized          = true
  key_name               = module.pools_document.machines[each.key].key_name
  # enable_userdata = false: the image brings its own start-up (docs/infra.md says what it must do).
  user_data = each.value.enable_userdata ? base64encode(local.runner_bootstrap[each.key]) : null

  # `shutdown -h now` at the end of an ephemeral job terminates the instance: no IAM call
  # needed, and it still works when the API is unreachable.
  instance_initiated_shutdown_behavior = "terminate"

  iam_instance_profile {
    arn = aws_iam_instance_profile.runner.arn
  }

  # The security groups go on the primary interface, where the public-IP choice is made too
  # (null keeps the subnet's setting); CreateFleet's overrides pick the subnet.
  network_interfaces {
    device_index                = 0
    security_groups             = concat([aws_security_group.runner.id], var.runner_security_group_ids)
    associate_public_ip_address = module.pools_document.machines[each.key].associate_public_ipv4_address
    delete_on_termination       = true
  }

  # IMDSv2 only by default; hop limit 1 keeps job containers (docker) away from the instance
  # role. The endpoint and instance tags in IMDS stay on: the boot script reads its runner id
  # and secret path there.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = module.pools_document.machines[each.key].metadata_options.http_tokens
    http_put_response_hop_limit = module.pools_document.machines[each.key].metadata_options.http_put_response_hop_limit
    instance_metadata_tags      = "enabled"
  }

  # The root volume first (the image's root device), then any extra volume.
  dynamic "block_device_mappings" {
    for_each = module.pools_document.machines[each.key].volumes
    content {
      device_name = block_device_mappings.value.device_name != null ? block_device_mappings.value.device_name : local.root_device_names[each.key]
      ebs {
        volume_size           = block_device_mappings.value.volume_size
        volume_type           = block_device_mappings.value.volume_type
        iops                  = block_device_mappings.value.iops
        throughput            = block_device_mappings.value.throughput
        encrypted             = block_device_mappings.value.encrypted
        kms_key_id            = block_device_mappings.value.kms_key_id != null ? block_device_mappings.value.kms_key_id : var.ebs_kms_key_arn
        snapshot_id           = block_device_mappings.value.snapshot_id
        delete_on_termination = block_device_mappings.value.delete_on_termination
      }
    }
  }

  monitoring {
    enabled = false
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(local.tags, each.value.extra_tags, { Name = "${var.prefix}-${each.key}", "hangar:pool-id" = each.key })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(local.tags, each.value.extra_tags, { "hangar:pool-id" = each.key })
  }

  tag_specifications {
    resource_type = "network-interface"
    tags          = merge(local.tags, { "hangar:pool-id" = each.key })
  }

  tags = local.tags
}
