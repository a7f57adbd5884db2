# Continuous deployment is wired on the hosts, not in AWS: cloud-init writes the repository and branch
# (variables repository_url, repository_branch, deploy_interval) to /etc/canopy/canopy.env; the
# systemd timer canopy-deploy.timer (templates/systemd/) runs infra/deploy/deploy.sh, which deploys
# each new commit of the branch and restarts the workers one at a time. Nothing to create here but
# the record of what each host follows.
locals {
  deployment = {
    repository = var.repository_url
    branch     = var.repository_branch
    interval   = var.deploy_interval
  }
}
