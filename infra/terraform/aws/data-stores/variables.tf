# The inventory publish writes (infra/deploy/terraform/<env>.tfvars.json), passed with -var-file.
variable "environment" {
  description = "The environment of the inventory (dev, staging, prod); also the workspace."
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

# Where the cluster module keeps its state, for the network the stores join.
variable "region" {
  description = "The AWS region of the cluster."
  type        = string
  default     = "eu-west-1"
}

variable "state_bucket" {
  description = "The S3 bucket of the cluster module's state."
  type        = string
}

variable "valkey_version" {
  description = "ElastiCache's Redis-compatible engine is Valkey; the version its 8.x line offers."
  type        = string
  default     = "8.1"
}
