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

variable "route_table_ids" {
  description = "Route tables of the runner subnets, given the S3 gateway endpoint."
  type        = list(string)

  validation {
    condition     = length(var.route_table_ids) > 0
    error_message = "route_table_ids needs the route table of each runner subnet (the S3 gateway endpoint is added to them)."
  }
}
