variable "name" {
  description = "Name of this deployment: prefixes every resource name and the SSM parameter path (/<name>/...)."
  type        = string
  default     = "canopy"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of lowercase letters, digits and '-', starting with a letter."
  }
}

variable "region" {
  description = "AWS region to deploy into, e.g. eu-west-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must look like an AWS region name, e.g. eu-west-1."
  }
}

variable "allowed_cidrs" {
  description = "IPv4 CIDR blocks allowed to reach the Airflow UI and the board directly. No default on purpose: name your office/VPN ranges. Prefer SSM port forwarding and pass an empty list."
  type        = list(string)

  validation {
    condition     = alltrue([for cidr in var.allowed_cidrs : can(cidrnetmask(cidr))])
    error_message = "allowed_cidrs must contain IPv4 CIDR blocks such as 203.0.113.0/24."
  }

  validation {
    condition     = alltrue([for cidr in var.allowed_cidrs : try(tonumber(split("/", cidr)[1]) >= 8, false)])
    error_message = "allowed_cidrs must not open the UIs to the internet: 0.0.0.0/0 (or any prefix shorter than /8) is rejected."
  }
}

variable "vpc_id" {
  description = "VPC to deploy into."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC id such as vpc-0123456789abcdef0."
  }
}

variable "subnet_id" {
  description = "Subnet of the main host. It needs outbound HTTPS (NAT gateway, or a public IP) for packages, git and SSM."
  type        = string

  validation {
    condition     = can(regex("^subnet-[0-9a-f]+$", var.subnet_id))
    error_message = "subnet_id must be a subnet id such as subnet-0123456789abcdef0."
  }
}

variable "worker_subnet_ids" {
  description = "Subnets of the worker auto-scaling group. Empty: the main host's subnet."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.worker_subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "worker_subnet_ids must contain subnet ids such as subnet-0123456789abcdef0."
  }
}

variable "associate_public_ip_address" {
  description = "Give the hosts a public IPv4 address (for subnets without a NAT gateway). null: the subnet's own setting."
  type        = bool
  default     = null
}

variable "repository_url" {
  description = "HTTPS URL of the git repository the hosts deploy from (continuous deployment)."
  type        = string

  validation {
    condition     = can(regex("^https://[^[:space:]@]+$", var.repository_url))
    error_message = "repository_url must be an https:// URL without embedded credentials."
  }
}

variable "repository_branch" {
  description = "Branch the hosts follow: every new commit on it is deployed."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]+$", var.repository_branch)) && !startswith(var.repository_branch, "-")
    error_message = "repository_branch must be a plain branch name (letters, digits, '.', '_', '/', '-')."
  }
}

variable "deploy_interval" {
  description = "How often the deploy timer checks the branch, as a systemd time span (e.g. 2min, 5min, 1h)."
  type        = string
  default     = "2min"

  validation {
    condition     = can(regex("^[0-9]+(s|min|h)$", var.deploy_interval))
    error_message = "deploy_interval must be a number followed by s, min or h, e.g. 2min."
  }
}

variable "bucket_name" {
  description = "Name of the bucket for data and models. null: <name>-<account id>-<region>."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, '.', '-')."
  }
}

variable "bucket_force_destroy" {
  description = "Let terraform destroy delete the bucket with every model in it."
  type        = bool
  default     = false
}

variable "data_prefix" {
  description = "Key prefix of the training data in the bucket (ends with '/')."
  type        = string
  default     = "data/"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]*/$", var.data_prefix))
    error_message = "data_prefix must be one path segment ending with '/', e.g. data/."
  }
}

variable "models_prefix" {
  description = "Key prefix of the published models in the bucket (ends with '/'); run staging is <models_prefix>_staging/."
  type        = string
  default     = "models/"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]*/$", var.models_prefix))
    error_message = "models_prefix must be one path segment ending with '/', e.g. models/."
  }

  validation {
    condition     = var.models_prefix != var.data_prefix
    error_message = "models_prefix and data_prefix must differ: the hosts may write models but only read data."
  }
}

variable "staging_expiration_days" {
  description = "Days after which partial forests left in the run staging prefix (crashed runs) are deleted."
  type        = number
  default     = 2

  validation {
    condition     = var.staging_expiration_days >= 1 && floor(var.staging_expiration_days) == var.staging_expiration_days
    error_message = "staging_expiration_days must be a whole number of days, at least 1."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days an overwritten or deleted object version is kept (versioning is on)."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of days, at least 1."
  }
}

variable "architecture" {
  description = "CPU architecture of the hosts: x86_64 or arm64 (Graviton). Must match the instance types."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "main_instance_type" {
  description = "Instance type of the main host (Airflow, PostgreSQL, Valkey, the board and workers_per_host workers)."
  type        = string
  default     = "t3.large"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.main_instance_type))
    error_message = "main_instance_type must be an EC2 instance type such as t3.large."
  }
}

variable "worker_instance_type" {
  description = "Instance type of the extra worker hosts."
  type        = string
  default     = "c7i.large"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.worker_instance_type))
    error_message = "worker_instance_type must be an EC2 instance type such as c7i.large."
  }
}

variable "root_volume_size" {
  description = "Root volume size of every host, in GiB (releases, node_modules and the Airflow venv live there)."
  type        = number
  default     = 30

  validation {
    condition     = var.root_volume_size >= 20 && var.root_volume_size <= 1024
    error_message = "root_volume_size must be between 20 and 1024 GiB."
  }
}

variable "workers_per_host" {
  description = "Canopy worker processes (canopy-worker@1..N) on each host, the main host included."
  type        = number
  default     = 2

  validation {
    condition     = var.workers_per_host >= 1 && var.workers_per_host <= 64 && floor(var.workers_per_host) == var.workers_per_host
    error_message = "workers_per_host must be a whole number from 1 to 64."
  }
}

variable "worker_hosts" {
  description = "Size of the optional auto-scaling group of extra worker hosts. All zero (the default): no group."
  type = object({
    min     = number
    desired = number
    max     = number
  })
  default = { min = 0, desired = 0, max = 0 }

  validation {
    condition     = var.worker_hosts.min >= 0 && var.worker_hosts.min <= var.worker_hosts.desired && var.worker_hosts.desired <= var.worker_hosts.max && var.worker_hosts.max <= 100
    error_message = "worker_hosts must satisfy 0 <= min <= desired <= max <= 100."
  }
}

variable "airflow_ui_port" {
  description = "Port of the Airflow API server / UI on the main host."
  type        = number
  default     = 8080

  validation {
    condition     = var.airflow_ui_port >= 1024 && var.airflow_ui_port <= 65535 && var.airflow_ui_port != 22
    error_message = "airflow_ui_port must be an unprivileged port (1024-65535)."
  }
}

variable "board_port" {
  description = "Port of the Bull Board monitor on the main host."
  type        = number
  default     = 3000

  validation {
    condition     = var.board_port >= 1024 && var.board_port <= 65535 && var.board_port != var.airflow_ui_port
    error_message = "board_port must be an unprivileged port (1024-65535) different from airflow_ui_port."
  }
}

variable "redis_port" {
  description = "Port of the Valkey (Redis-compatible) server on the main host."
  type        = number
  default     = 6379

  validation {
    condition     = var.redis_port >= 1024 && var.redis_port <= 65535
    error_message = "redis_port must be an unprivileged port (1024-65535)."
  }
}

variable "worker_command" {
  description = "Command (run from the release folder) that starts one Canopy worker; CANOPY_WORKER_INDEX tells which."
  type        = string
  default     = "node apps/worker/bin/canopy.js worker"

  validation {
    condition     = length(trimspace(var.worker_command)) > 0 && !can(regex("[\n'\"]", var.worker_command))
    error_message = "worker_command must be one line without quotes."
  }
}

variable "board_command" {
  description = "Command (run from the release folder) that starts the board."
  type        = string
  default     = "node apps/worker/bin/canopy.js board"

  validation {
    condition     = length(trimspace(var.board_command)) > 0 && !can(regex("[\n'\"]", var.board_command))
    error_message = "board_command must be one line without quotes."
  }
}

variable "airflow_requirements" {
  description = "Name of the pinned requirements file python/requirements/<name>.txt that holds Airflow 3 (and its PostgreSQL driver)."
  type        = string
  default     = "airflow"

  validation {
    condition     = can(regex("^[a-z0-9_-]+$", var.airflow_requirements))
    error_message = "airflow_requirements must be a file name without extension, e.g. airflow."
  }
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

variable "secrets_version" {
  description = "Bump to generate new secrets (Airflow admin, board, Redis passwords); hosts read them at their next boot."
  type        = number
  default     = 1

  validation {
    condition     = var.secrets_version >= 1 && floor(var.secrets_version) == var.secrets_version
    error_message = "secrets_version must be a whole number, at least 1."
  }
}

variable "metrics_base_port" {
  description = "Loopback port of the board's Prometheus endpoint; worker N on a host listens on this + N. The CloudWatch agent scrapes them."
  type        = number
  default     = 9400

  validation {
    condition     = var.metrics_base_port >= 1024 && var.metrics_base_port <= 65000
    error_message = "metrics_base_port must be between 1024 and 65000."
  }
}

variable "metrics_retention_days" {
  description = "Days the CloudWatch log group of scraped metrics keeps its events (the metrics themselves follow CloudWatch's own retention)."
  type        = number
  default     = 30
}

variable "model_age_alarm_hours" {
  description = "Hours without a newly promoted model (latest.json) after which the no-model-promoted alarm fires."
  type        = number
  default     = 3

  validation {
    condition     = var.model_age_alarm_hours >= 1
    error_message = "model_age_alarm_hours must be at least 1 (models are trained hourly)."
  }
}

variable "alarm_topic_arns" {
  description = "SNS topics notified when an alarm fires or clears (empty: the alarm is only visible in CloudWatch)."
  type        = list(string)
  default     = []
}

variable "scale_workers_on_waiting_jobs" {
  description = "Scale the worker auto-scaling group (worker_hosts) on the number of waiting jobs, within its min and max."
  type        = bool
  default     = false
}

variable "waiting_jobs_per_worker_host" {
  description = "Target number of waiting jobs per worker host when scale_workers_on_waiting_jobs is on."
  type        = number
  default     = 4
}
