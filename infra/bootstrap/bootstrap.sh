#!/usr/bin/env bash
# Installs Canopy's system dependencies on Debian (apt) or Amazon Linux 2023 (dnf).
# The same script provisions AWS hosts (cloud-init) and developer/CI machines (scripts/setup.sh),
# so CI exercises it on every run.
#
# Usage: bootstrap.sh [--with-test-tools]
#   always:            git, Node.js >= 20 with npm, Python 3 with venv, a Redis-compatible server
#   --with-test-tools: Chromium (browser tests) and shellcheck (script lint)
set -euo pipefail

with_test_tools=false
for arg in "$@"; do
  case "$arg" in
    --with-test-tools) with_test_tools=true ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "bootstrap.sh: unknown option $arg" >&2; exit 2 ;;
  esac
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
  fi
else
  have valkey-server || have redis-server || packages+=(valkey)
  have python3.12 || packages+=(python3.12 python3.12-pip)
  if [ "$(node_major)" -lt 20 ]; then packages+=(nodejs22 nodejs22-npm); fi
  if "$with_test_tools"; then have shellcheck || packages+=(ShellCheck); fi
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
