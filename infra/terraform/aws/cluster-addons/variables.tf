variable "region" {
  description = "The AWS region of the cluster."
  type        = string
  default     = "eu-west-1"
}

variable "cluster_name" {
  description = "The EKS cluster the cluster module made (its cluster_name output)."
  type        = string
  default     = "stack"
}

variable "name" {
  description = "The prefix of the IAM roles this module creates."
  type        = string
  default     = "stack"
}

variable "argocd_chart_version" {
  description = "The argo-cd Helm chart's version."
  type        = string
  default     = "8.5.8"
}

variable "external_secrets_chart_version" {
  description = "The external-secrets Helm chart's version."
  type        = string
  default     = "0.20.2"
}

variable "secret_store_name" {
  description = "The ClusterSecretStore the published overlays read their secrets from (the AppHost's WithExternalSecrets)."
  type        = string
  default     = "stack-secrets"
}
