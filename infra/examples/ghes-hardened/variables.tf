variable "aws_region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-west-1"
}

variable "vpc_id" {
  description = "VPC of the runners."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets (with a NAT or VPC endpoints) the runners launch in."
  type        = list(string)
}

variable "github_app_id" {
  description = "The GitHub App id."
  type        = number
}

variable "github_app_private_key_path" {
  description = "Path of the GitHub App private key (.pem) file."
  type        = string
}

variable "ghes_api_url" {
  description = "API URL of the GitHub Enterprise Server, https://HOST/api/v3."
  type        = string
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary every Hangar role gets."
  type        = string
}

variable "lambda_security_group_ids" {
  description = "Security groups of the Lambda functions (egress to GHES and the VPC endpoints)."
  type        = list(string)
}

variable "lambda_artifacts_bucket" {
  description = "Bucket with the Lambda bundles under lambda/<handler>.zip."
  type        = string
}
