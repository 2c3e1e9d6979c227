output "webhook_url" {
  description = "Paste into the GitHub App's webhook URL."
  value       = module.hangar.webhook_url
}

output "webhook_secret" {
  description = "Paste into the GitHub App's webhook secret (terraform output -raw webhook_secret)."
  value       = module.hangar.webhook_secret
  sensitive   = true
}

output "hangar_cli" {
  description = "What `npm run hangar -- <command> --terraform <this directory>` reads: the event-store table, each pool's maximum and the queue URLs (for the region)."
  value = {
    table_name = module.hangar.table_name
    pools_json = module.hangar.pools_json
    queues     = module.hangar.queues
  }
}
