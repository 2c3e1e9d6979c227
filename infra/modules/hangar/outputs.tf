output "webhook_url" {
  description = "Paste into the GitHub App's webhook URL (content type application/json)."
  value       = module.multi_runner.webhook_url
}

output "webhook_secret" {
  description = "The webhook secret to paste into the GitHub App (generated unless webhook_secret was given); null with github_app_parameters (the secret is your parameter's value)."
  value       = module.multi_runner.webhook_secret
  sensitive   = true
}

output "table_name" {
  description = "DynamoDB event store table."
  value       = module.multi_runner.table_name
}

output "queues" {
  description = "SQS queue URLs: scale-up and job-events work queues and their dead-letter queues."
  value       = module.multi_runner.queues
}

output "binaries_bucket" {
  description = "S3 bucket mirroring the actions/runner release."
  value       = module.multi_runner.binaries_bucket
}

output "pools_parameter" {
  description = "SSM parameter holding the rendered runner configurations."
  value       = module.multi_runner.pools_parameter
}

output "pools_json" {
  description = "The rendered runner configurations (pools JSON) as the runtime reads them."
  value       = module.multi_runner.pools_json
}

output "lambda_function_names" {
  description = "Function name per handler."
  value       = module.multi_runner.lambda_function_names
}

output "lambda_role_arns" {
  description = "IAM role ARN per handler."
  value       = module.multi_runner.lambda_role_arns
}

output "runner_role_arn" {
  description = "IAM role of the EC2 runners (instance profile role)."
  value       = module.multi_runner.runner_role_arn
}

output "runner_instance_profile_arn" {
  description = "Instance profile of the EC2 runners."
  value       = module.multi_runner.runner_instance_profile_arn
}

output "runner_task_role_arn" {
  description = "IAM role of the Fargate runner tasks (null without fargate configurations)."
  value       = module.multi_runner.runner_task_role_arn
}

output "launch_template_names" {
  description = "Launch template per EC2 runner configuration."
  value       = module.multi_runner.launch_template_names
}

output "ecs_cluster_name" {
  description = "ECS cluster of the Fargate runners (null without fargate configurations)."
  value       = module.multi_runner.ecs_cluster_name
}

output "runner_security_group_id" {
  description = "Security group of the runners."
  value       = module.multi_runner.runner_security_group_id
}

output "runner_log_group" {
  description = "CloudWatch log group of the runners' boot and runner logs."
  value       = module.multi_runner.runner_log_group
}
