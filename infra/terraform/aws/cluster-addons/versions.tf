# Provider versions are pinned exactly; .terraform.lock.hcl holds their published checksums.
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "3.1.1"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "3.0.1"
    }
  }

  # State in S3 with native locking; the bucket is named at init: -backend-config=bucket=<name>.
  backend "s3" {
    key          = "stack/cluster-addons.tfstate"
    use_lockfile = true
    encrypt      = true
  }
}
