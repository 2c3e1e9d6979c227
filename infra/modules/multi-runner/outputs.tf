output "webhook_url" {
  description = "Paste into the GitHub App's webhook URL (content type application/json)."
  value       = local.webhook_url
}

output "webhook_secret" {
  description = "The webhook secret to paste into the GitHub App (generated unless webhook_secret was given); null with github_app_parameters (the secret is your parameter's value)."
  value       = local.webhook_secret
  sensitive   = true
}

output "table_name" {
  description = "DynamoDB event store table."
  value       = aws_dynamodb_table.events.name
}

output "queues" {
  description = "SQS queue URLs: scale-up and job-events work queues and their dead-letter queues."
  value = {
    scale_up       = aws_sqs_queue.scale_up.url
    scale_up_dlq   = aws_sqs_queue.scale_up_dlq.url
    job_events     = aws_sqs_queue.job_events.url
    job_events_dlq = aws_sqs_queue.job_events_dlq.url
  }
}

output "binaries_bucket" {
  description = "S3 bucket mirroring the actions/runner release."
  value       = aws_s3_bucket.binaries.id
}

output "pools_parameter" {
  description = "SSM parameter holding the rendered runner configurations."
  value       = aws_ssm_parameter.pools.name
}

output "pools_json" {
  description = "The rendered runner configurations (pools JSON) as the runtime reads them."
  value       = module.pools_document.json
}

output "lambda_function_names" {
  description = "Function name per handler."
  value       = { for name, fn in aws_lambda_function.handler : name => fn.function_name }
}

output "lambda_role_arns" {
  description = "IAM role ARN per handler."
  value       = { for name, role in aws_iam_role.lambda : name => role.arn }
}

output "runner_role_arn" {
  description = "IAM role of the EC2 runners (instance profile role)."
  value       = aws_iam_role.runner.arn
}

output "runner_instance_profile_arn" {
  description = "Instance profile of the EC2 runners."
  value       = aws_iam_instance_profile.runner.arn
}

output "runner_task_role_arn" {
  description = "IAM role of the Fargate runner tasks (null without fargate configurations)."
  value       = length(local.fargate_configs) > 0 ? aws_iam_role.runner_task[0].arn : null
}

output "launch_template_names" {
  description = "Launch template per EC2 runner configuration."
  value       = { for id, lt in aws_launch_template.runner : id => lt.name }
}

output "ecs_cluster_name" {
  description = "ECS cluster of the Fargate runners (null without fargate configurations)."
  value       = length(local.fargate_configs) > 0 ? aws_ecs_cluster.runners[0].name : null
}

output "runner_security_group_id" {
  description = "Security group of the runners."
  value       = aws_security_group.runner.id
}

output "runner_log_group" {
  description = "CloudWatch log group of the runners' boot and runner logs."
  value       = aws_cloudwatch_log_group.runner.name
}
