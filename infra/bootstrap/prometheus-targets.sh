#!/usr/bin/env bash
# Prints the CloudWatch agent's Prometheus scrape configuration for this host: the board on the
# main host (CANOPY_METRICS_BASE_PORT) and worker N on CANOPY_METRICS_BASE_PORT + N, all on loopback,
# matching the systemd units (canopy-board.service, canopy-worker@.service).
# Usage: prometheus-targets.sh main|worker WORKERS_PER_HOST BASE_PORT
set -euo pipefail
role=${1:?role main or worker}
workers=${2:?workers per host}
base=${3:?base port}
case "$role" in main|worker) ;; *) echo "prometheus-targets.sh: role must be main or worker" >&2; exit 2 ;; esac
[[ "$workers" =~ ^[0-9]+$ && "$base" =~ ^[0-9]+$ ]] || { echo "prometheus-targets.sh: counts must be numbers" >&2; exit 2; }

echo "global:"
echo "  scrape_interval: 1m"
echo "  scrape_timeout: 10s"
echo "scrape_configs:"
if [ "$role" = main ]; then
  echo "  - job_name: canopy-board"
  echo "    static_configs:"
  echo "      - targets: ['127.0.0.1:$base']"
fi
if [ "$workers" -gt 0 ]; then
  echo "  - job_name: canopy-worker"
  echo "    static_configs:"
  echo "      - targets:"
  for ((i = 1; i <= workers; i++)); do echo "          - '127.0.0.1:$((base + i))'"; done
fi
