# The cluster add-ons the published tree needs, and Argo CD's bootstrap: after this apply Argo CD
# syncs infra/deploy/argocd, which brings every environment, the policies and the admission.
# A root module of its own, applied once the cluster exists: kubernetes_manifest reads the
# cluster's API (and the CRDs the charts install) while it plans.
data "aws_eks_cluster" "this" {
  name = var.cluster_name
}

data "aws_eks_cluster_auth" "this" {
  name = var.cluster_name
}

provider "aws" {
  region = var.region
}

provider "kubernetes" {
  host                   = data.aws_eks_cluster.this.endpoint
  cluster_ca_certificate = base64decode(data.aws_eks_cluster.this.certificate_authority[0].data)
  token                  = data.aws_eks_cluster_auth.this.token
}

provider "helm" {
  kubernetes = {
    host                   = data.aws_eks_cluster.this.endpoint
    cluster_ca_certificate = base64decode(data.aws_eks_cluster.this.certificate_authority[0].data)
    token                  = data.aws_eks_cluster_auth.this.token
  }
}

resource "helm_release" "argocd" {
  name             = "argo-cd"
  repository       = "https://argoproj.github.io/argo-helm"
  chart            = "argo-cd"
  version          = var.argocd_chart_version
  namespace        = "argocd"
  create_namespace = true
  # The names of Argo CD's own install manifests (argocd-server, argocd-cm, ...), which the
  # published argocd-cm.yaml merges into.
  set = [{ name = "fullnameOverride", value = "argocd" }]
}

resource "helm_release" "external_secrets" {
  name             = "external-secrets"
  repository       = "https://charts.external-secrets.io"
  chart            = "external-secrets"
  version          = var.external_secrets_chart_version
  namespace        = "external-secrets"
  create_namespace = true
}

# The store the overlays' ExternalSecrets read: AWS Secrets Manager of this region, through a pod
# identity of the external-secrets service account (no key in the cluster).
data "aws_iam_policy_document" "pod_identity_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "read_stack_secrets" {
  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = ["arn:aws:secretsmanager:${var.region}:*:secret:stack/*"]
  }
}

resource "aws_iam_role" "external_secrets" {
  name               = "${var.name}-external-secrets"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_assume.json
}

resource "aws_iam_role_policy" "external_secrets" {
  role   = aws_iam_role.external_secrets.id
  policy = data.aws_iam_policy_document.read_stack_secrets.json
}

resource "aws_eks_pod_identity_association" "external_secrets" {
  cluster_name    = var.cluster_name
  namespace       = "external-secrets"
  service_account = "external-secrets"
  role_arn        = aws_iam_role.external_secrets.arn
}

resource "kubernetes_manifest" "secret_store" {
  manifest = {
    apiVersion = "external-secrets.io/v1"
    kind       = "ClusterSecretStore"
    metadata   = { name = var.secret_store_name }
    spec = {
      provider = {
        aws = {
          service = "SecretsManager"
          region  = var.region
        }
      }
    }
  }
  depends_on = [helm_release.external_secrets, aws_eks_pod_identity_association.external_secrets]
}

# The bootstrap AppProject and Application exactly as publish wrote them: one source of truth.
resource "kubernetes_manifest" "bootstrap_project" {
  manifest   = yamldecode(file("${path.module}/../../../deploy/argocd/bootstrap-project.yaml"))
  depends_on = [helm_release.argocd]
}

resource "kubernetes_manifest" "bootstrap" {
  manifest   = yamldecode(file("${path.module}/../../../deploy/argocd/bootstrap.yaml"))
  depends_on = [kubernetes_manifest.bootstrap_project]
}
