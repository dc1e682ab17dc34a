# The dry-run of the cloud's data stores: one resource per Redis and PostgreSQL server of the graph,
# read from the inventory `aspire publish` writes (infra/deploy/terraform/<env>.tfvars.json).
# Only Terraform's built-in terraform_data: no provider to download, so every environment can be
# planned anywhere, and a plan shows, by name, the cache or database a change of the graph adds.
#
#   terraform -chdir=infra/terraform/inventory init -backend=false
#   terraform -chdir=infra/terraform/inventory plan -var-file=../../deploy/terraform/dev.tfvars.json

terraform {
  required_version = ">= 1.5"
}

variable "environment" {
  description = "The environment of the inventory (dev, staging, prod)."
  type        = string
}

variable "redis" {
  description = "Redis servers of the graph, by resource name, sized for this environment."
  type = map(object({
    cpu_millicores = number
    engine_version = string
    memory_mib     = number
    storage_gib    = number
  }))
}

variable "postgres" {
  description = "PostgreSQL servers of the graph, by resource name, with their databases, sized for this environment."
  type = map(object({
    databases      = list(string)
    cpu_millicores = number
    engine_version = string
    memory_mib     = number
    storage_gib    = number
  }))
}

resource "terraform_data" "redis" {
  for_each = var.redis
  input    = merge(each.value, { environment = var.environment, name = each.key })
}

resource "terraform_data" "postgres" {
  for_each = var.postgres
  input    = merge(each.value, { environment = var.environment, name = each.key })
}

output "caches" {
  description = "The Redis servers this environment has."
  value       = sort(keys(terraform_data.redis))
}

output "databases" {
  description = "The PostgreSQL servers this environment has."
  value       = sort(keys(terraform_data.postgres))
}
