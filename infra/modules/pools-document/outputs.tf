output "pools" {
  description = "The rendered runner configurations (pool documents)."
  value       = local.pools
}

output "json" {
  description = "The pools JSON for the SSM parameter named by HANGAR_POOLS_PARAMETER."
  value       = jsonencode(local.pools)
}
