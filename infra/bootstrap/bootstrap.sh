#!/usr/bin/env bash
# Installs Canopy's system dependencies on Debian (apt) or Amazon Linux 2023 (dnf).
# The same script provisions AWS hosts (cloud-init) and developer/CI machines (scripts/setup.sh),
# so CI exercises it on every run.
#
# Usage: bootstrap.sh [--with-test-tools] [--role main|worker]
#   always:            git, Node.js >= 20 with npm, Python 3 with venv, a Redis-compatible server
#   --with-test-tools: Chromium (browser tests), shellcheck (script lint), GNU time (peak memory in tests)
#   --role main|worker (AWS hosts, run by cloud-init as root; settings in /etc/canopy/canopy.env):
#                      also the AWS CLI (and PostgreSQL 16 on main), the canopy service user, secrets
#                      from SSM, Valkey and PostgreSQL configuration (main), the first deployment of
#                      the repository (infra/deploy/deploy.sh) and every systemd unit, enabled.
set -euo pipefail

with_test_tools=false
role=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --with-test-tools) with_test_tools=true ;;
    --role)
      role=${2:-}
      case "$role" in main|worker) ;; *) echo "bootstrap.sh: --role needs main or worker" >&2; exit 2 ;; esac
      shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bootstrap.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf 'bootstrap: %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if have apt-get; then
  family=debian
elif have dnf; then
  family=amazon
else
  log "neither apt-get nor dnf found: install git, Node.js >= 20, python3 (venv), redis-server yourself"
  exit 1
fi

packages=()
have git || packages+=(git)
if [ "$family" = debian ]; then
  have redis-server || packages+=(redis-server)
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || packages+=(python3-venv)
  if "$with_test_tools"; then
    have chromium || packages+=(chromium)
    have shellcheck || packages+=(shellcheck)
    [ -x /usr/bin/time ] || packages+=(time)
  fi
  if [ -n "$role" ]; then have aws || packages+=(awscli); fi
  if [ "$role" = main ]; then have pg_ctlcluster || packages+=(postgresql); fi
else
  have valkey-server || have redis-server || packages+=(valkey)
  have python3.12 || packages+=(python3.12 python3.12-pip)
  if [ "$(node_major)" -lt 20 ]; then packages+=(nodejs22 nodejs22-npm); fi
  if "$with_test_tools"; then
    have shellcheck || packages+=(ShellCheck)
    [ -x /usr/bin/time ] || packages+=(time)
  fi
  if [ -n "$role" ]; then have aws || packages+=(awscli-2); fi
  if [ -n "$role" ] && [ ! -x /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl ]; then packages+=(amazon-cloudwatch-agent); fi
  if [ "$role" = main ]; then have postgresql-setup || packages+=(postgresql16-server); fi
fi

if [ "${#packages[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing system packages: ${packages[*]}"
    log "install them as root (apt-get install ${packages[*]}, or dnf install on Amazon Linux) and run again"
    exit 1
  fi
  log "installing ${packages[*]}"
  if [ "$family" = debian ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  else
    dnf install -y -q "${packages[@]}"
  fi
fi

if [ "$family" = amazon ] && ! have node && have node-22; then
  alternatives --set node /usr/bin/node-22 >/dev/null 2>&1 || true
fi
if [ "$(node_major)" -lt 20 ]; then
  log "Node.js >= 20 is required (found $(node --version 2>/dev/null || echo none)); install it from your distribution or nodejs.org"
  exit 1
fi
log "system dependencies are in place ($family)"

if [ -n "$role" ]; then
  # The host part lives beside this script (in the repository and where cloud-init writes both).
  exec bash "$(dirname "$0")/host-setup.sh" "$role"
fi
