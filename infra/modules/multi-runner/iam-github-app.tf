# The App keys: the module's parameter, or exactly the id and key parameters the operator
# named in github_app_parameters (github-app.tf), decrypted with its key when it gave one.
data "aws_iam_policy_document" "github_apps_read" {
  statement {
    sid       = "ReadGitHubApps"
    actions   = ["ssm:GetParameter"]
    resources = local.github_app_external ? local.github_app_key_arns : [aws_ssm_parameter.github_apps[0].arn]
  }
  dynamic "statement" {
    for_each = local.github_app_external ? [] : local.ssm_kms_statements
    content {
      sid       = "DecryptGitHubApps"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
  dynamic "statement" {
    for_each = local.github_app_kms_key_arns
    content {
      sid       = "DecryptOwnGitHubAppParameters"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.${local.region}.amazonaws.com"]
      }
      # Parameter Store decrypts with the context PARAMETER_ARN: the key opens these parameters
      # for the functions, never another SecureString it protects.
      condition {
        test     = "StringEquals"
        variable = "kms:EncryptionContext:PARAMETER_ARN"
        values   = local.github_app_key_arns
      }
    }
  }
}

data "aws_iam_policy_document" "webhook_secret_read" {
  statement {
    sid       = "ReadWebhookSecret"
    actions   = ["ssm:GetParameter"]
    resources = local.github_app_external ? local.github_webhook_secret_arns : [aws_ssm_parameter.webhook_secret[0].arn]
  }
  dynamic "statement" {
    for_each = local.github_app_external ? [] : local.ssm_kms_statements
    content {
      sid       = "DecryptWebhookSecret"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
  dynamic "statement" {
    for_each = local.github_app_kms_key_arns
    content {
      sid       = "DecryptOwnWebhookSecretParameter"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.${local.region}.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "kms:EncryptionContext:PARAMETER_ARN"
        values   = local.github_webhook_secret_arns
      }
    }
  }
}
