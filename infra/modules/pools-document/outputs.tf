output "pools" {
  description = "The rendered runner configurations (pool documents)."
  value       = local.pools
}

# Refuses a configuration whose crons the runtime cannot read (cron.tf) or whose owner and level
# disagree (owner.tf): the plan fails with every problem listed, instead of scale-down failing
# on every run, or a pool never getting a job, after the deploy.
output "json" {
  description = "The pools JSON for the SSM parameter named by HANGAR_POOLS_PARAMETER."
  value       = jsonencode(local.pools)

  precondition {
    condition     = length(local.cron_problems) == 0
    error_message = "Invalid cron expressions in runner_configs:\n${join("\n", local.cron_problems)}"
  }
  precondition {
    condition     = length(local.owner_problems) == 0
    error_message = "Owner and level disagree in runner_configs:\n${join("\n", local.owner_problems)}"
  }
}

output "image_repositories" {
  description = "Private ECR repositories of the Fargate configurations' images ({account, region, name}), each once."
  value       = local.image_repositories
}
