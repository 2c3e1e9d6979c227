# The GitHub App credentials, given one of two ways (exactly one):
# - github_apps (+ webhook_secret): the values themselves. The module writes them into
#   SecureStrings it creates, so they are also in the Terraform state (encrypt the state).
# - github_app_parameters: the names or ARNs of SSM parameters the operator created (seed 002's
#   set-up). The module creates none, reads none of their values — the keys never pass through
#   Terraform — and grants the functions read on exactly those parameters.
# This file refers to nothing but its variables and local.partition/region/account_id, so
# infra/test evaluates it with terraform itself (github-app-parameters.spec.ts).

variable "github_apps" {
  description = "GitHub Apps the control plane authenticates as: app id and private key, the PEM or the base64 of the .pem file as the reference module took it (several Apps spread the rate limit). Stored in one SSM SecureString the module creates, so the keys are in the Terraform state; set github_app_parameters instead to keep them out. Exactly one of the two."
  type = list(object({
    app_id      = number
    private_key = string
  }))
  default   = null
  sensitive = true

  validation {
    condition     = var.github_apps == null ? true : length(var.github_apps) > 0
    error_message = "github_apps needs at least one App."
  }
}

variable "webhook_secret" {
  description = "The GitHub App webhook secret, with github_apps. Null generates a random one (read it from the webhook_secret output). During a rotation pass a JSON list, current first: jsonencode([\"NEW\", \"OLD\"]) (a secret may contain any character, commas included). With github_app_parameters leave it null: the secret is the value of github_app_parameters.webhook_secret."
  type        = string
  default     = null
  sensitive   = true
}

variable "github_app_parameters" {
  description = "SSM parameters you created holding the GitHub App credentials, by name (/path/name) or ARN: for each App its id (the numeric App ID) and private key (PEM, or the base64 of the .pem file), and the webhook secret (one secret, or a JSON list during a rotation). The module creates no parameter and never reads their values, so the keys stay out of the Terraform state; it lets the functions read exactly these parameters (and decrypt with kms_key_arn when they are encrypted with a customer-managed key) and denies them to runners. Instead of github_apps and webhook_secret."
  type = object({
    apps = list(object({
      id          = string
      private_key = string
    }))
    webhook_secret = string
    kms_key_arn    = optional(string)
  })
  default = null

  validation {
    condition     = var.github_app_parameters == null ? true : length(var.github_app_parameters.apps) > 0
    error_message = "github_app_parameters.apps needs at least one App (its id and private_key parameters)."
  }
  validation {
    condition = var.github_app_parameters == null ? true : alltrue([
      for ref in concat(flatten([for app in var.github_app_parameters.apps : [app.id, app.private_key]]), [var.github_app_parameters.webhook_secret]) :
      can(regex("^(arn:aws[a-z-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/[A-Za-z0-9_./-]+|/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*)$", ref))
    ])
    error_message = "github_app_parameters: each parameter must be an SSM parameter name (name or /path/name) or a parameter ARN (arn:aws:ssm:REGION:ACCOUNT:parameter/path/name)."
  }
  validation {
    condition     = var.github_app_parameters == null ? true : (var.github_app_parameters.kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.github_app_parameters.kms_key_arn)))
    error_message = "github_app_parameters.kms_key_arn must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID): IAM grants kms:Decrypt on key ARNs, not on aliases."
  }
}

locals {
  github_app_external = var.github_app_parameters != null
  # Empty rather than null when not given, so the parameter's value stays an expression that
  # evaluates (the precondition below, not an iteration error, tells the operator what is wrong).
  github_apps_given = var.github_apps == null ? [] : var.github_apps

  # Every parameter the operator named, as given (a name or an ARN; SSM's GetParameter takes
  # both, and a parameter shared from another account only by its ARN) → the ARN IAM names.
  github_app_parameter_refs = local.github_app_external ? distinct(concat(
    flatten([for app in var.github_app_parameters.apps : [app.id, app.private_key]]),
    [var.github_app_parameters.webhook_secret],
  )) : []
  github_app_parameter_arns = {
    for ref in local.github_app_parameter_refs : ref => startswith(ref, "arn:") ? ref : "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/${trimprefix(ref, "/")}"
  }
  github_app_key_arns = local.github_app_external ? distinct(flatten([
    for app in var.github_app_parameters.apps : [local.github_app_parameter_arns[app.id], local.github_app_parameter_arns[app.private_key]]
  ])) : []
  github_webhook_secret_arns = local.github_app_external ? [local.github_app_parameter_arns[var.github_app_parameters.webhook_secret]] : []
  github_app_kms_key_arns    = local.github_app_external ? compact([var.github_app_parameters.kms_key_arn]) : []

  # HANGAR_GITHUB_APP_PARAMETERS (packages/runtime-lambda, environment.ts): the pairs to read.
  github_app_parameter_pairs = local.github_app_external ? jsonencode([
    for app in var.github_app_parameters.apps : { appId = app.id, privateKey = app.private_key }
  ]) : null
}

# Checks between inputs, at plan time. A variable's validation may refer to another variable
# only from Terraform 1.9, and the module supports 1.5 (many operators stay on 1.5.7).
resource "terraform_data" "github_app_inputs" {
  lifecycle {
    precondition {
      condition     = !(nonsensitive(var.github_apps != null) && local.github_app_external)
      error_message = "github_apps and github_app_parameters are both set: give the App credentials one way, either the values (github_apps) or the SSM parameters that hold them (github_app_parameters)."
    }
    precondition {
      condition     = nonsensitive(var.github_apps != null) || local.github_app_external
      error_message = "Neither github_apps nor github_app_parameters is set: the functions need a GitHub App, either its id and private key (github_apps) or the SSM parameters that hold them (github_app_parameters)."
    }
    precondition {
      condition     = !(nonsensitive(var.webhook_secret != null) && local.github_app_external)
      error_message = "webhook_secret is set with github_app_parameters: with github_app_parameters the webhook secret is read from the parameter github_app_parameters.webhook_secret names; leave webhook_secret null."
    }
  }
}
