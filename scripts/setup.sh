#!/usr/bin/env bash
# Sets up this checkout: system packages, Node packages, Python virtualenvs, the build.
# Idempotent and quick when nothing changed.
# Usage: setup.sh [--minimal]   --minimal: only what the demo needs (no browser, no Python)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false

minimal=false
[ "${1:-}" = "--minimal" ] && minimal=true

if "$minimal"; then
  bash infra/bootstrap/bootstrap.sh
else
  bash infra/bootstrap/bootstrap.sh --with-test-tools
fi

# npm ci only when the lockfile changed since the last install.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.canopy-lock.sha256 2>/dev/null)" != "$lock_sum" ]; then
  echo "setup: npm ci" >&2
  # onnxruntime-node's install script would download extra binaries from outside the registries; the CPU
  # library inside the package is all Canopy uses.
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-fund --no-audit --loglevel=error
  echo "$lock_sum" > node_modules/.canopy-lock.sha256
fi

"$minimal" || bash scripts/setup-python.sh

echo "setup: building" >&2
npx nx run-many -t build --outputStyle=static >/dev/null
