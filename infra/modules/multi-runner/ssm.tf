resource "random_password" "webhook_secret" {
  count = nonsensitive(var.webhook_secret == null) && !local.github_app_external ? 1 : 0

  length  = 40
  special = false
}

locals {
  # One secret, or during a rotation a JSON list, current first: jsonencode(["<new>", "<old>"]).
  # The parameter always holds a JSON list, so no character of a secret (a comma) separates
  # secrets; the Lambdas still read a plain single value as one secret. With
  # github_app_parameters the secret is the operator's parameter and never known here.
  webhook_secret_input = local.github_app_external ? null : nonsensitive(var.webhook_secret == null) ? random_password.webhook_secret[0].result : var.webhook_secret
  webhook_secrets      = local.github_app_external ? [] : startswith(trimspace(local.webhook_secret_input), "[") ? jsondecode(local.webhook_secret_input) : [local.webhook_secret_input]
  webhook_secret       = local.github_app_external ? null : local.webhook_secrets[0]
  ssm_prefix           = "/${var.prefix}/config"
}

# Only with github_apps: with github_app_parameters the operator's parameters hold the keys.
resource "aws_ssm_parameter" "github_apps" {
  count = local.github_app_external ? 0 : 1

  name        = "${local.ssm_prefix}/github-apps"
  description = "GitHub Apps (id and private key) Hangar authenticates as"
  type        = "SecureString"
  key_id      = var.ssm_kms_key_arn
  value       = jsonencode([for app in local.github_apps_given : { appId = app.app_id, privateKey = app.private_key }])
  tags        = local.tags
}

resource "aws_ssm_parameter" "webhook_secret" {
  count = local.github_app_external ? 0 : 1

  name        = "${local.ssm_prefix}/webhook-secret"
  description = "GitHub App webhook secrets as a JSON list, current first (two during a rotation)"
  type        = "SecureString"
  key_id      = var.ssm_kms_key_arn
  value       = jsonencode(local.webhook_secrets)
  tags        = local.tags
}

# The runner configurations as the runtime reads them (pools-schema.ts). Rendered by
# modules/pools-document, which infra/test evaluates and validates against the schema.
module "pools_document" {
  source = "../pools-document"

  configurations = var.runner_configs
  compute = {
    for id, c in var.runner_configs : id => c.compute == "ec2" ? {
      subnet_ids           = coalesce(c.subnet_ids, var.subnet_ids)
      launch_template_name = aws_launch_template.runner[id].name
      instance_types       = local.ec2_configs[id].instance_types
      cluster              = null
      task_definition      = null
      container_name       = null
      security_group_ids   = []
      task_role_arn        = null
      } : {
      subnet_ids           = coalesce(c.subnet_ids, var.subnet_ids)
      launch_template_name = null
      instance_types       = null
      cluster              = aws_ecs_cluster.runners[0].name
      task_definition      = c.fargate.task_definition != null ? c.fargate.task_definition : aws_ecs_task_definition.runner[id].arn
      container_name       = c.fargate.container_name
      security_group_ids   = concat([aws_security_group.runner.id], var.runner_security_group_ids)
      task_role_arn        = c.fargate.task_definition != null ? aws_iam_role.runner_task[0].arn : null
    }
  }
}

resource "aws_ssm_parameter" "pools" {
  name        = "${local.ssm_prefix}/pools"
  description = "Hangar runner configurations (pools) as JSON"
  type        = "String"
  tier        = length(module.pools_document.json) > 4096 ? "Advanced" : "Standard"
  value       = module.pools_document.json
  tags        = local.tags
}
