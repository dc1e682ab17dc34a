variable "region" {
  description = "The AWS region of the cluster and its data stores."
  type        = string
  default     = "eu-west-1"
}

variable "name" {
  description = "The cluster's name, also the prefix of everything this module creates."
  type        = string
  default     = "stack"
}

variable "kubernetes_version" {
  description = "The EKS Kubernetes version."
  type        = string
  default     = "1.33"
}

variable "github_repository" {
  description = "owner/name of the repository whose workflows may assume the CI role (OIDC), and that Argo CD syncs."
  type        = string
  default     = "stack-games/stack"
}
