# Generated secrets, stored as SSM SecureString parameters under /<name>/ and read by the hosts at boot.
# They are ephemeral values written through write-only arguments: they appear in no plan, no state
# file and no output. Read one with: aws ssm get-parameter --with-decryption --name /<name>/<secret>.
locals {
  secrets = {
    "airflow-admin-password" = "Password of the Airflow UI user admin"
    "airflow-jwt-secret"     = "Secret the Airflow components sign their API tokens with"
    "board-password"         = "Password of the Bull Board user admin"
    "redis-password"         = "Password (requirepass) of the Valkey server"
  }
}

ephemeral "random_password" "secret" {
  for_each = local.secrets

  length = 40
  # Letters and digits only: the values go into a redis:// URL and environment files unquoted.
  special = false
}

resource "aws_ssm_parameter" "secret" {
  for_each = local.secrets

  name        = "${local.ssm_path}/${each.key}"
  description = each.value
  type        = "SecureString"
  key_id      = aws_kms_key.canopy.arn

  value_wo         = ephemeral.random_password.secret[each.key].result
  value_wo_version = var.secrets_version
}
