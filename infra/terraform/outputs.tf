# Names and addresses only: secrets stay in SSM (read them with aws ssm get-parameter --with-decryption).
output "bucket_name" {
  description = "Bucket holding the training data and the models."
  value       = aws_s3_bucket.canopy.id
}

output "data_url" {
  description = "Where to upload training data (s3:// URL prefix)."
  value       = "s3://${aws_s3_bucket.canopy.id}/${local.data_prefix}"
}

output "models_url" {
  description = "Models root: runs publish to <models_url>/YYYY/MM/DD/HH/."
  value       = local.models_url
}

output "main_instance_id" {
  description = "Instance id of the main host (for SSM Session Manager and port forwarding)."
  value       = aws_instance.main.id
}

output "main_private_ip" {
  description = "Private address of the main host (Valkey for the worker hosts)."
  value       = aws_instance.main.private_ip
}

output "worker_autoscaling_group" {
  description = "Name of the worker hosts' auto-scaling group, or null when there is none."
  value       = local.worker_group ? aws_autoscaling_group.worker[0].name : null
}

output "secret_parameters" {
  description = "Names (not values) of the SSM SecureString parameters holding the generated secrets."
  value       = { for key, parameter in aws_ssm_parameter.secret : key => parameter.name }
}

output "deployment" {
  description = "Repository, branch and interval the hosts deploy from."
  value       = local.deployment
}

output "port_forward_commands" {
  description = "Reach the UIs through SSM Session Manager (no open port needed), then browse http://localhost:<port>."
  value = {
    airflow = "aws ssm start-session --region ${var.region} --target ${aws_instance.main.id} --document-name AWS-StartPortForwardingSession --parameters portNumber=${var.airflow_ui_port},localPortNumber=${var.airflow_ui_port}"
    board   = "aws ssm start-session --region ${var.region} --target ${aws_instance.main.id} --document-name AWS-StartPortForwardingSession --parameters portNumber=${var.board_port},localPortNumber=${var.board_port}"
  }
}
