output "webhook_url" {
  description = "Paste into the GitHub App's webhook URL."
  value       = module.hangar.webhook_url
}

output "webhook_secret" {
  description = "Paste into the GitHub App's webhook secret (terraform output -raw webhook_secret)."
  value       = module.hangar.webhook_secret
  sensitive   = true
}
