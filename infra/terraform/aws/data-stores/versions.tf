# Provider versions are pinned exactly; .terraform.lock.hcl holds their published checksums.
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }

  # State in S3 with native locking, one workspace per environment; the bucket is named at init:
  # -backend-config=bucket=<name>.
  backend "s3" {
    key          = "stack/data-stores.tfstate"
    use_lockfile = true
    encrypt      = true
  }
}
