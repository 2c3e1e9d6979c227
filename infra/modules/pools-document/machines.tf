# What each configuration's machine is made of beyond the pools JSON, resolved here because this
# module is provider-free and so evaluated for real by infra/test: the labels GitHub's runner
# would add itself, and the volumes and metadata options of the EC2 launch templates.
locals {
  os_labels   = { linux = "Linux", windows = "Windows" }
  arch_labels = { x64 = "X64", arm64 = "ARM64" }

  # GitHub adds no default label to a JIT runner, so they are sent with the configured ones
  # (the reference's runner_disable_default_labels = false); [] tells config.sh to add none.
  default_labels = {
    for id, c in var.configurations : id => c.runner_disable_default_labels ? [] : [
      "self-hosted",
      lookup(local.os_labels, c.compute == "fargate" ? "linux" : c.os, c.os),
      lookup(local.arch_labels, c.architecture, c.architecture),
    ]
  }

  # The root volume: Hangar's default (gp3, encrypted, root_volume_size_gb), with whatever the
  # block_device_mappings entry without device_name sets on top. device_name stays null: the
  # launch template puts the image's root device there.
  root_volumes = {
    for id, c in var.configurations : id => merge(
      {
        device_name           = null
        volume_type           = "gp3"
        volume_size           = c.root_volume_size_gb
        iops                  = null
        throughput            = null
        encrypted             = true
        kms_key_id            = null
        snapshot_id           = null
        delete_on_termination = true
      },
      {
        for pair in flatten([for v in c.block_device_mappings : [for key, value in v : { key = key, value = value }] if v.device_name == null]) :
        pair.key => pair.value if pair.value != null && pair.key != "device_name"
      },
    ) if c.compute == "ec2"
  }

  machines = {
    for id, c in var.configurations : id => {
      volumes                       = concat([local.root_volumes[id]], [for v in c.block_device_mappings : v if v.device_name != null])
      metadata_options              = c.metadata_options
      key_name                      = c.key_name
      associate_public_ipv4_address = c.associate_public_ipv4_address
    } if c.compute == "ec2"
  }
}
