# Managed data stores for one environment, from the graph's inventory: an ElastiCache (Valkey)
# replication group per Redis resource and an RDS PostgreSQL instance per PostgreSQL resource,
# sized from the limits that environment gives the resource on Kubernetes.
provider "aws" {
  region = var.region
  default_tags {
    tags = { "stack.dev/environment" = var.environment }
  }
}

data "terraform_remote_state" "cluster" {
  backend = "s3"
  config = {
    bucket = var.state_bucket
    key    = "stack/cluster.tfstate"
    region = var.region
  }
}

locals {
  cluster = data.terraform_remote_state.cluster.outputs

  # The smallest instance whose memory holds the workload's limit.
  cache_node_type = {
    for name, cache in var.redis : name => (
      cache.memory_mib <= 512 ? "cache.t4g.micro" :
      cache.memory_mib <= 1536 ? "cache.t4g.small" :
      cache.memory_mib <= 3072 ? "cache.t4g.medium" : "cache.r7g.large"
    )
  }
  database_instance_class = {
    for name, database in var.postgres : name => (
      database.memory_mib <= 1024 ? "db.t4g.micro" :
      database.memory_mib <= 2048 ? "db.t4g.small" :
      database.memory_mib <= 4096 ? "db.t4g.medium" : "db.r7g.large"
    )
  }
}

resource "aws_security_group" "data_stores" {
  name        = "stack-${var.environment}-data-stores"
  description = "Redis and PostgreSQL of ${var.environment}, reachable from the cluster's nodes only."
  vpc_id      = local.cluster.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "from_cluster" {
  for_each                     = toset(["6379", "5432"])
  security_group_id            = aws_security_group.data_stores.id
  referenced_security_group_id = local.cluster.cluster_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = tonumber(each.key)
  to_port                      = tonumber(each.key)
}

resource "aws_elasticache_subnet_group" "this" {
  name       = "stack-${var.environment}"
  subnet_ids = local.cluster.private_subnet_ids
}

# The password is the one External Secrets serves the overlays (stack/<env>/<name>-password).
data "aws_secretsmanager_secret_version" "cache_password" {
  for_each  = var.redis
  secret_id = "stack/${var.environment}/${each.key}-password"
}

resource "aws_elasticache_replication_group" "redis" {
  for_each                   = var.redis
  replication_group_id       = "stack-${var.environment}-${each.key}"
  description                = "${each.key} of ${var.environment}, from the AppHost's graph"
  engine                     = "valkey"
  engine_version             = var.valkey_version
  node_type                  = local.cache_node_type[each.key]
  num_cache_clusters         = var.environment == "prod" ? 2 : 1
  automatic_failover_enabled = var.environment == "prod"
  subnet_group_name          = aws_elasticache_subnet_group.this.name
  security_group_ids         = [aws_security_group.data_stores.id]
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  auth_token                 = data.aws_secretsmanager_secret_version.cache_password[each.key].secret_string
}

resource "aws_db_subnet_group" "this" {
  name       = "stack-${var.environment}"
  subnet_ids = local.cluster.private_subnet_ids
}

resource "aws_db_instance" "postgres" {
  for_each       = var.postgres
  identifier     = "stack-${var.environment}-${each.key}"
  engine         = "postgres"
  engine_version = split(".", each.value.engine_version)[0]
  instance_class = local.database_instance_class[each.key]
  # RDS's smallest gp3 volume is 20 GiB; it grows by itself up to ten times the request.
  allocated_storage     = max(20, each.value.storage_gib)
  max_allocated_storage = max(200, each.value.storage_gib * 10)
  storage_type          = "gp3"
  storage_encrypted     = true
  db_name               = replace(each.value.databases[0], "-", "_")
  username              = "stack"
  # RDS keeps the password in Secrets Manager and rotates it; it never reaches this state.
  manage_master_user_password = true
  multi_az                    = var.environment == "prod"
  db_subnet_group_name        = aws_db_subnet_group.this.name
  vpc_security_group_ids      = [aws_security_group.data_stores.id]
  backup_retention_period     = var.environment == "prod" ? 14 : 1
  deletion_protection         = var.environment == "prod"
  skip_final_snapshot         = var.environment != "prod"
  final_snapshot_identifier   = var.environment == "prod" ? "stack-${var.environment}-${each.key}-final" : null
}

output "redis_endpoints" {
  description = "Primary endpoint per cache, for the environment's connection string secret."
  value       = { for name, group in aws_elasticache_replication_group.redis : name => group.primary_endpoint_address }
}

output "postgres_endpoints" {
  description = "Address per database server, for the environment's connection string secret."
  value       = { for name, instance in aws_db_instance.postgres : name => instance.address }
}
