# CI reaches AWS without a stored key: GitHub's OIDC token for this repository's workflows is
# exchanged for a role that may read the state and plan (read-only), nothing more. Planning the
# data stores compares the caches' auth token, so the role also reads those secrets (and only them).
resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "ci_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repository}:*"]
    }
  }
}

resource "aws_iam_role" "ci_plan" {
  name               = "${var.name}-ci-plan"
  assume_role_policy = data.aws_iam_policy_document.ci_assume.json
}

resource "aws_iam_role_policy_attachment" "ci_plan" {
  role       = aws_iam_role.ci_plan.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

data "aws_iam_policy_document" "ci_plan_cache_passwords" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:${var.region}:*:secret:stack/*/*-password-*"]
  }
}

resource "aws_iam_role_policy" "ci_plan_cache_passwords" {
  role   = aws_iam_role.ci_plan.id
  policy = data.aws_iam_policy_document.ci_plan_cache_passwords.json
}
