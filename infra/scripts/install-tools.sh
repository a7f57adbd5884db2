#!/usr/bin/env bash
# Installs the tools the infra tests use, project-locally and idempotently (quick when present):
#   .tools/bin/hclfmt      HCL formatter, built from the Go module proxy (needs Go)
#   .tools/cloud-init/     Debian's cloud-init package, unpacked only (never installed: no services,
#                          no boot hooks); run with .venvs/infra's Python for `cloud-init schema`
#   .venvs/infra           pytest, python-hcl2 and cloud-init's Python libraries (python/requirements/infra.txt)
#   .venvs/checkov         checkov, alone (python/requirements/checkov.txt)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
log() { printf 'install-tools: %s\n' "$*" >&2; }

hclfmt_version=v2.25.0
cloud_init_version=22.4.2-1+deb12u4
tools="$root/.tools"
mkdir -p "$tools/bin"

if [ "$(cat "$tools/bin/.hclfmt-version" 2>/dev/null)" != "$hclfmt_version" ] || [ ! -x "$tools/bin/hclfmt" ]; then
  command -v go >/dev/null || { log "Go is needed to build hclfmt (install golang)"; exit 1; }
  log "building hclfmt $hclfmt_version"
  GOBIN="$tools/bin" GOFLAGS=-mod=mod go install "github.com/hashicorp/hcl/v2/cmd/hclfmt@$hclfmt_version"
  echo "$hclfmt_version" > "$tools/bin/.hclfmt-version"
fi

if [ "$(cat "$tools/cloud-init/.version" 2>/dev/null)" != "$cloud_init_version" ]; then
  command -v apt-get >/dev/null || { log "apt-get is needed to fetch Debian's cloud-init package"; exit 1; }
  log "unpacking Debian's cloud-init $cloud_init_version"
  download=$(mktemp -d)
  # apt-get download needs package lists; refresh them once if the version is unknown.
  if ! (cd "$download" && apt-get download -qq "cloud-init=$cloud_init_version" 2>/dev/null); then
    apt-get update -qq
    (cd "$download" && apt-get download -qq "cloud-init=$cloud_init_version")
  fi
  rm -rf "$tools/cloud-init"
  dpkg-deb -x "$download"/cloud-init_*.deb "$tools/cloud-init"
  rm -rf "$download"
  echo "$cloud_init_version" > "$tools/cloud-init/.version"
fi

bash scripts/setup-python.sh infra checkov
