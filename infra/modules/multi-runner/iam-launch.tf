# What scale-up needs to launch runners, and what scale-down/reconciler need to remove them.
data "aws_iam_policy_document" "ec2_launch" {
  dynamic "statement" {
    for_each = length(local.launch_template_arn) > 0 ? [1] : []
    content {
      sid       = "LaunchFromHangarTemplates"
      actions   = ["ec2:CreateFleet", "ec2:RunInstances"]
      resources = local.launch_template_arn
    }
  }

  # Instances must carry the runner id tag in the request: scale-up always sets it, and it is
  # what terminate permissions and the runner bootstrap key on.
  statement {
    sid       = "LaunchTaggedRunnerInstances"
    actions   = ["ec2:CreateFleet", "ec2:RunInstances"]
    resources = ["${local.ec2_arn}:instance/*"]
    condition {
      test     = "Null"
      variable = "aws:RequestTag/hangar:runner-id"
      values   = ["false"]
    }
  }

  statement {
    sid       = "LaunchIntoRunnerVpc"
    actions   = ["ec2:CreateFleet", "ec2:RunInstances"]
    resources = ["${local.ec2_arn}:subnet/*", "${local.ec2_arn}:security-group/*"]
    condition {
      test     = "ArnEquals"
      variable = "ec2:Vpc"
      values   = ["${local.ec2_arn}:vpc/${var.vpc_id}"]
    }
  }

  # Resources a launch creates or reads that cannot be named in advance.
  statement {
    sid     = "LaunchSupportingResources"
    actions = ["ec2:CreateFleet", "ec2:RunInstances"]
    resources = [
      "${local.ec2_arn}:fleet/*",
      "${local.ec2_arn}:volume/*",
      "${local.ec2_arn}:network-interface/*",
      "${local.ec2_arn}:spot-instances-request/*",
      "arn:${local.partition}:ec2:${local.region}::image/*",
    ]
  }

  statement {
    sid     = "TagOnLaunchOnly"
    actions = ["ec2:CreateTags"]
    resources = [
      "${local.ec2_arn}:instance/*",
      "${local.ec2_arn}:volume/*",
      "${local.ec2_arn}:network-interface/*",
      "${local.ec2_arn}:fleet/*",
      "${local.ec2_arn}:spot-instances-request/*",
    ]
    condition {
      test     = "StringEquals"
      variable = "ec2:CreateAction"
      values   = ["CreateFleet", "RunInstances"]
    }
  }

  statement {
    sid       = "PassRunnerInstanceRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.runner.arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ec2.amazonaws.com"]
    }
  }

  # CreateFleet with spot capacity needs the EC2 Spot service-linked role; this creates it on
  # first use and nothing else.
  statement {
    sid       = "CreateSpotServiceLinkedRole"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot"]
    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["spot.amazonaws.com"]
    }
  }

  # Root volumes encrypted with a customer-managed key (ebs_kms_key_arn): EC2 uses the launching
  # principal's permissions on the key to create the volume and to grant EBS the key for the
  # instance's life. Without these every launch fails (the instance goes straight to
  # terminated with Client.InternalError). Only through EC2
  # (kms:ViaService), and grants only for AWS resources. Spot launches also need the key policy
  # to let AWSServiceRoleForEC2Spot use the key (docs/infra.md).
  dynamic "statement" {
    for_each = local.ebs_kms_statements
    content {
      sid       = "UseVolumeKeyThroughEc2${statement.key}"
      actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ec2.${local.region}.amazonaws.com"]
      }
    }
  }

  dynamic "statement" {
    for_each = local.ebs_kms_statements
    content {
      sid       = "GrantVolumeKeyToEbs${statement.key}"
      actions   = ["kms:CreateGrant"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ec2.${local.region}.amazonaws.com"]
      }
      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }

  # AMIs given as SSM parameters (public /aws/service/* ones or the operator's own).
  statement {
    sid     = "ResolveImageParameters"
    actions = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = concat(
      ["arn:${local.partition}:ssm:${local.region}::parameter/aws/service/*"],
      [for id, c in local.ec2_configs : "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/${trimprefix(c.ami_ssm_parameter, "/")}" if c.ami_ssm_parameter != null],
    )
  }
}

data "aws_iam_policy_document" "fargate_launch" {
  dynamic "statement" {
    for_each = length(local.fargate_configs) > 0 ? [1] : []
    content {
      sid     = "RunRunnerTasks"
      actions = ["ecs:RunTask"]
      # Every revision of the generated families and of the existing task definitions' families
      # (a family name given as fargate.task_definition runs its latest revision).
      resources = concat(
        [for id, td in aws_ecs_task_definition.runner : "arn:${local.partition}:ecs:${local.region}:${local.account_id}:task-definition/${td.family}:*"],
        [for id, td in data.aws_ecs_task_definition.existing : "${td.arn_without_revision}:*"],
      )
      condition {
        test     = "ArnEquals"
        variable = "ecs:cluster"
        values   = [aws_ecs_cluster.runners[0].arn]
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.fargate_configs) > 0 ? [1] : []
    content {
      sid       = "TagRunnerTasksOnLaunch"
      actions   = ["ecs:TagResource"]
      resources = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:task/${aws_ecs_cluster.runners[0].name}/*"]
      condition {
        test     = "StringEquals"
        variable = "ecs:CreateAction"
        values   = ["RunTask"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(local.fargate_configs) > 0 ? [1] : []
    content {
      sid     = "PassRunnerTaskRoles"
      actions = ["iam:PassRole"]
      # Hangar's roles, and the execution role an existing task definition brings (its task role
      # is replaced by Hangar's at RunTask, so it is never passed).
      resources = distinct(concat(
        [aws_iam_role.runner_task[0].arn, aws_iam_role.runner_task_execution[0].arn],
        [for id, td in data.aws_ecs_task_definition.existing : td.execution_role_arn if td.execution_role_arn != ""],
      ))
      condition {
        test     = "StringEquals"
        variable = "iam:PassedToService"
        values   = ["ecs-tasks.amazonaws.com"]
      }
    }
  }
}

data "aws_iam_policy_document" "runner_terminate" {
  # Only instances of this deployment that are Hangar runners.
  statement {
    sid       = "TerminateOwnRunnerInstances"
    actions   = ["ec2:TerminateInstances"]
    resources = ["${local.ec2_arn}:instance/*"]
    condition {
      test     = "StringEquals"
      variable = "ec2:ResourceTag/${local.deployment_tag}"
      values   = [var.prefix]
    }
    condition {
      test     = "Null"
      variable = "ec2:ResourceTag/hangar:runner-id"
      values   = ["false"]
    }
  }

  dynamic "statement" {
    for_each = length(local.fargate_configs) > 0 ? [1] : []
    content {
      sid       = "StopOwnRunnerTasks"
      actions   = ["ecs:StopTask"]
      resources = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:task/${aws_ecs_cluster.runners[0].name}/*"]
      condition {
        test     = "ArnEquals"
        variable = "ecs:cluster"
        values   = [aws_ecs_cluster.runners[0].arn]
      }
    }
  }
}

data "aws_iam_policy_document" "binaries_write" {
  statement {
    sid       = "MirrorRunnerBinaries"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${aws_s3_bucket.binaries.arn}/*"]
  }
  statement {
    sid       = "ListRunnerBinaries"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.binaries.arn]
  }
  dynamic "statement" {
    for_each = local.s3_kms_statements
    content {
      sid       = "EncryptRunnerBinaries"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}
