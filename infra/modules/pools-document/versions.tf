# Provider-free on purpose: infra/test evaluates this module with a plain `terraform apply`
# (no provider download), so the pools JSON the runtime reads is checked by real evaluation.
terraform {
  required_version = ">= 1.5.0"
}
