output "cluster_name" {
  description = "For aws eks update-kubeconfig --name <this>."
  value       = aws_eks_cluster.this.name
}

output "ci_plan_role_arn" {
  description = "The role CI assumes with OIDC to plan (the repository variable AWS_PLAN_ROLE_ARN)."
  value       = aws_iam_role.ci_plan.arn
}

output "private_subnet_ids" {
  description = "Where the data stores go (data-stores module)."
  value       = aws_subnet.private[*].id
}

output "vpc_id" {
  description = "The cluster's VPC."
  value       = aws_vpc.this.id
}

output "cluster_security_group_id" {
  description = "The security group of the cluster's nodes, allowed to reach the data stores."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}
