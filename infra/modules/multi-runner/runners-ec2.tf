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

  ec2_configs = {
    for id, c in var.runner_configs : id => merge(c, {
      instance_types = c.instance_types != null ? c.instance_types : local.default_instance_types[c.architecture]
      runner_user    = c.runner_user != null ? c.runner_user : "ec2-user"
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
  # Values baked into each configuration's boot script (infra/bootstrap). Everything per
  # runner (its id, pool, secret path) comes from the instance's own tags at boot.
  runner_bootstrap = {
    for id, c in local.ec2_configs : id => c.os == "windows" ? join("\n", [
      "<powershell>",
      templatefile("${path.module}/../../bootstrap/start-runner.ps1", {
        region          = local.region
        binaries_bucket = aws_s3_bucket.binaries.id
        runner_arch     = c.architecture
        prebuilt_image  = c.prebuilt_image
        ephemeral       = c.ephemeral
        log_group       = local.runner_log_group_name
        secret_wait_s   = local.runner_secret_wait_seconds
      }),
      "</powershell>",
      ]) : templatefile("${path.module}/../../bootstrap/start-runner.sh", {
      region          = local.region
      binaries_bucket = aws_s3_bucket.binaries.id
      runner_arch     = c.architecture
      runner_user     = c.runner_user
      prebuilt_image  = c.prebuilt_image
      ephemeral       = c.ephemeral
      log_group       = local.runner_log_group_name
      secret_wait_s   = local.runner_secret_wait_seconds
    })
  }
}

resource "aws_launch_template" "runner" {
  for_each = local.ec2_configs

  name                   = "${var.prefix}-${each.key}"
  description            = "Hangar runner configuration ${each.key} (${each.value.os}/${each.value.architecture})"
  image_id               = each.value.ami_ssm_parameter != null ? "resolve:ssm:${each.value.ami_ssm_parameter}" : data.aws_ami.runner[each.key].id
  update_default_version = true
  ebs_optimized          = true
  vpc_security_group_ids = concat([aws_security_group.runner.id], var.runner_security_group_ids)
  user_data              = base64encode(local.runner_bootstrap[each.key])

  # `shutdown -h now` at the end of an ephemeral job terminates the instance: no IAM call
  # needed, and it still works when the API is unreachable.
  instance_initiated_shutdown_behavior = "terminate"

  iam_instance_profile {
    arn = aws_iam_instance_profile.runner.arn
  }

  # IMDSv2 only; hop limit 1 keeps job containers (docker) away from the instance role.
  # Instance tags in IMDS let the boot script read its runner id without ec2:DescribeTags.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  block_device_mappings {
    device_name = each.value.os == "windows" ? "/dev/sda1" : "/dev/xvda"
    ebs {
      volume_size           = each.value.root_volume_size_gb
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = var.ebs_kms_key_arn
      delete_on_termination = true
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
