#!/usr/bin/env bash
# Turns a machine with Canopy's system packages (bootstrap.sh) into a Canopy host. Run as root by
# `bootstrap.sh --role main|worker`, itself run by cloud-init; safe to run again (every step checks
# what is already there). Settings: /etc/canopy/canopy.env, written by cloud-init from Terraform.
#
#   main:   service user, secrets from SSM, Valkey (password, noeviction, AOF, bound to loopback and
#           the private address), PostgreSQL 16 with the Airflow database, the first deployment,
#           Airflow 3 (api-server, scheduler, dag-processor, triggerer), N workers, the board, the deploy timer
#   worker: service user, secrets from SSM, the first deployment, N workers, the deploy timer
set -euo pipefail

role=${1:?usage: host-setup.sh main|worker}
log() { printf 'host-setup: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root"
env_file=/etc/canopy/canopy.env
[ -r "$env_file" ] || die "$env_file is missing (cloud-init writes it)"
set -a
# shellcheck source=/dev/null
. "$env_file"
set +a
for key in CANOPY_SSM_PATH CANOPY_REPOSITORY_URL CANOPY_REDIS_HOST CANOPY_REDIS_PORT CANOPY_WORKERS_PER_HOST AWS_REGION; do
  [ -n "${!key:-}" ] || die "$key is not set in $env_file"
done

# --- service user and folders ---------------------------------------------------------------
if ! id canopy >/dev/null 2>&1; then
  log "creating the canopy service user"
  useradd --system --home-dir /var/lib/canopy --create-home --shell /sbin/nologin canopy
fi
install -d -m 0755 -o canopy -g canopy /var/lib/canopy /var/lib/canopy/airflow
install -d -m 0755 /opt/canopy /opt/canopy/releases /opt/canopy/shared
install -d -m 0755 -o canopy -g canopy /opt/canopy/shared/venvs

# --- secrets from SSM Parameter Store (never in Terraform outputs or state) -------------------
secret() {
  aws ssm get-parameter --region "$AWS_REGION" --with-decryption --name "$CANOPY_SSM_PATH/$1" \
    --query Parameter.Value --output text
}
write_private() { # path owner mode: stdin to a file nobody else can read, replaced atomically
  local tmp
  tmp=$(mktemp "$1.XXXXXX")
  cat > "$tmp"
  chown "$2" "$tmp"
  chmod "$3" "$tmp"
  mv -f "$tmp" "$1"
}
redis_password=$(secret redis-password) || die "cannot read $CANOPY_SSM_PATH/redis-password from SSM"

if [ "$role" = main ]; then
  # --- Valkey ---------------------------------------------------------------------------------
  token=$(curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)
  private_ip=$(curl -fsS -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/local-ipv4)
  write_private /etc/canopy/valkey.conf root:root 0600 <<CONF
bind 127.0.0.1 $private_ip
port $CANOPY_REDIS_PORT
protected-mode yes
requirepass $redis_password
maxmemory-policy noeviction
appendonly yes
appendfsync everysec
dir /var/lib/canopy-valkey
daemonize no
CONF

  # --- Airflow's admin password (SimpleAuthManager reads this file) -----------------------------
  printf '{"admin": "%s"}\n' "$(secret airflow-admin-password)" \
    | write_private "$AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE" canopy:canopy 0600

  # --- PostgreSQL 16: local socket only, the canopy OS user owns the airflow database (peer auth) ---
  if [ ! -s /var/lib/pgsql/data/PG_VERSION ] && command -v postgresql-setup >/dev/null; then
    log "initialising PostgreSQL"
    postgresql-setup --initdb
  fi
  systemctl enable --now postgresql.service
  as_postgres() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt "$@"; }
  if [ "$(as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'canopy'")" != 1 ]; then
    as_postgres -c "CREATE ROLE canopy LOGIN"
  fi
  if [ "$(as_postgres -c "SELECT 1 FROM pg_database WHERE datname = 'airflow'")" != 1 ]; then
    as_postgres -c "CREATE DATABASE airflow OWNER canopy"
  fi
fi

# --- first deployment: the same script the deploy timer runs ---------------------------------
if [ ! -L /opt/canopy/current ]; then
  log "first deployment of $CANOPY_REPOSITORY_URL (${CANOPY_BRANCH:-main})"
  tmp=$(mktemp -d)
  git clone --quiet --depth 1 --branch "${CANOPY_BRANCH:-main}" "$CANOPY_REPOSITORY_URL" "$tmp/repo" \
    || die "cannot clone $CANOPY_REPOSITORY_URL"
  install -m 0755 "$tmp/repo/infra/deploy/deploy.sh" /usr/local/sbin/canopy-deploy
  rm -rf "$tmp"
  # Nothing runs yet: the units are started below, in order.
  CANOPY_DEPLOY_RESTART=true /usr/local/sbin/canopy-deploy
fi

# --- secrets for the units (root-only file; systemd reads it before dropping privileges) ---------
{
  echo "REDIS_PASSWORD=$redis_password"
  echo "REDIS_URL=redis://:$redis_password@$CANOPY_REDIS_HOST:$CANOPY_REDIS_PORT"
  if [ "$role" = main ]; then
    # The board stores only an scrypt hash of its password (canopy board hash-password reads stdin).
    board_hash=$(secret board-password | (cd /opt/canopy/current && runuser -u canopy -- node apps/worker/bin/canopy.js board hash-password)) \
      || die "cannot hash the board password"
    echo "CANOPY_BOARD_PASSWORD_HASH=$board_hash"
    echo "AIRFLOW__API_AUTH__JWT_SECRET=$(secret airflow-jwt-secret)"
  fi
} | write_private /etc/canopy/secrets.env root:root 0600

# --- units --------------------------------------------------------------------------------------
install -d /etc/systemd/system/canopy-deploy.timer.d
printf '[Timer]\nOnUnitActiveSec=\nOnUnitActiveSec=%s\n' "${CANOPY_DEPLOY_INTERVAL:-2min}" > /etc/systemd/system/canopy-deploy.timer.d/interval.conf
systemctl daemon-reload
units=()
if [ "$role" = main ]; then
  units+=(canopy-valkey.service airflow-db-migrate.service airflow-api-server.service airflow-scheduler.service
          airflow-dag-processor.service airflow-triggerer.service canopy-board.service)
fi
for ((i = 1; i <= CANOPY_WORKERS_PER_HOST; i++)); do units+=("canopy-worker@$i.service"); done
units+=(canopy-deploy.timer)
for unit in "${units[@]}"; do
  systemctl enable --now "$unit" || die "could not start $unit (journalctl -u $unit)"
done

# --- metrics: the CloudWatch agent scrapes the board and the workers on loopback ------------------
agent_ctl=/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl
if [ -x "$agent_ctl" ] && [ -n "${CANOPY_CLOUDWATCH_AGENT_SSM:-}" ]; then
  bash /opt/canopy/current/infra/bootstrap/prometheus-targets.sh "$role" "$CANOPY_WORKERS_PER_HOST" "$CANOPY_METRICS_BASE_PORT" \
    > /opt/aws/amazon-cloudwatch-agent/etc/canopy-prometheus.yaml
  "$agent_ctl" -a fetch-config -m ec2 -s -c "ssm:$CANOPY_CLOUDWATCH_AGENT_SSM" >/dev/null \
    || die "could not start the CloudWatch agent (journalctl -u amazon-cloudwatch-agent)"
fi
log "$role host is up: ${units[*]}"
