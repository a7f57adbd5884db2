#!/usr/bin/env bash
# Continuous deployment of one Canopy host, run by canopy-deploy.timer (units in infra/terraform/templates/systemd/).
#
# Fetches the configured branch; only when it moved: checks the new commit out into its own release
# folder, installs and builds there, switches the `current` symlink atomically (Airflow's DAG folder
# and every unit's WorkingDirectory go through it), activates (units, Airflow), then restarts the
# workers one at a time, each stopped gracefully and waited for, and finally the board.
# A failed build leaves the running release untouched; the next timer tick tries again.
#
# Settings come from the environment, or from $CANOPY_ENV_FILE (default /etc/canopy/canopy.env):
#   CANOPY_REPOSITORY_URL   git URL to deploy from (required)
#   CANOPY_BRANCH           branch to follow (default main)
#   CANOPY_HOME             where repo.git, releases/ and current live (default /opt/canopy)
#   CANOPY_ROLE             main | worker (default worker): main also restarts the board and Airflow
#   CANOPY_WORKERS_PER_HOST workers canopy-worker@1..N to restart (default 1)
#   CANOPY_KEEP_RELEASES    releases kept on disk, the current one included (default 3)
# Injectable commands (tests, other init systems); each runs with bash -c:
#   CANOPY_DEPLOY_BUILD     run inside the new release folder (default: deploy_build below)
#   CANOPY_DEPLOY_ACTIVATE  run after the switch, with the release folder as $1 (default: deploy_activate)
#   CANOPY_DEPLOY_RESTART   restart one unit given as $1 and wait until it runs (default: restart_unit)
set -euo pipefail

log() { printf 'canopy-deploy: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

env_file=${CANOPY_ENV_FILE:-/etc/canopy/canopy.env}
if [ -r "$env_file" ]; then
  # Values already in the environment win over the file (tests, manual runs).
  while IFS='=' read -r key value; do
    case "$key" in ''|'#'*) continue ;; esac
    value=${value#\"}
    value=${value%\"}
    [ -n "${!key+x}" ] || export "$key=$value"
  done < "$env_file"
fi

repository=${CANOPY_REPOSITORY_URL:-}
branch=${CANOPY_BRANCH:-main}
home=${CANOPY_HOME:-/opt/canopy}
role=${CANOPY_ROLE:-worker}
workers=${CANOPY_WORKERS_PER_HOST:-1}
keep=${CANOPY_KEEP_RELEASES:-3}

[ -n "$repository" ] || die "CANOPY_REPOSITORY_URL is not set (in the environment or $env_file)"
case "$role" in main|worker) ;; *) die "CANOPY_ROLE must be main or worker, not '$role'" ;; esac
case "$workers" in ''|*[!0-9]*) die "CANOPY_WORKERS_PER_HOST must be a whole number, not '$workers'" ;; esac
case "$keep" in ''|*[!0-9]*|0|1) die "CANOPY_KEEP_RELEASES must be a whole number >= 2, not '$keep'" ;; esac

# Default build: as the service user, dependencies exactly as locked, then every project; the main
# host also refreshes the Airflow virtualenv (shared between releases, rebuilt only when its pins change).
deploy_build() {
  local as=()
  if [ "$(id -u)" -eq 0 ] && id canopy >/dev/null 2>&1; then
    chown -R canopy:canopy . "$home/shared/venvs"
    as=(runuser -u canopy --)
  fi
  "${as[@]}" npm ci --no-audit --no-fund --loglevel=error
  "${as[@]}" env NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false npx nx run-many -t build --outputStyle=static
  if [ "$role" = main ]; then refresh_airflow_venv "${as[@]}"; fi
}

# The Airflow virtualenv lives outside the releases (its scripts embed their own path) and is rebuilt
# only when python/requirements/<name>.txt changed; the marker tells deploy_activate to restart Airflow.
refresh_airflow_venv() {
  local requirements venv="$home/shared/venvs/airflow" want
  requirements="python/requirements/${CANOPY_AIRFLOW_REQUIREMENTS:-airflow}.txt"
  [ -f "$requirements" ] || { log "error: $requirements is missing from this commit"; return 1; }
  want=$(sha256sum "$requirements" | cut -d' ' -f1)
  [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" = "$want" ] && return 0
  log "rebuilding the Airflow virtualenv from $requirements"
  rm -rf "$venv"
  "$@" "${CANOPY_PYTHON:-python3.12}" -m venv "$venv"
  "$@" "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  echo "$want" > "$venv/.requirements.sha256"
  touch .airflow-venv-changed
}

# Default activation: install the release's systemd units, let Airflow pick up the new DAGs and plugins
# (the DAG folder is current/dags; the triggerer imports plugins only at start).
deploy_activate() {
  local release=$1 changed=false unit
  for unit in "$release"/infra/terraform/templates/systemd/*.service "$release"/infra/terraform/templates/systemd/*.timer; do
    [ -e "$unit" ] || continue
    if ! cmp -s "$unit" "/etc/systemd/system/$(basename "$unit")"; then
      install -m 0644 "$unit" /etc/systemd/system/
      changed=true
    fi
  done
  if "$changed"; then systemctl daemon-reload; fi
  install -m 0755 "$release/infra/deploy/deploy.sh" /usr/local/sbin/canopy-deploy
  [ "$role" = main ] || return 0
  if [ -e "$release/.airflow-venv-changed" ]; then
    systemctl restart airflow-db-migrate.service
    systemctl try-restart airflow-scheduler.service airflow-api-server.service
  fi
  systemctl try-restart airflow-dag-processor.service airflow-triggerer.service
}

restart_unit() {
  local unit=$1 waited=0
  # systemctl restart returns once the old process has stopped (SIGTERM, up to TimeoutStopSec) and
  # the new one was started; then make sure it stays up before touching the next worker.
  systemctl restart "$unit"
  until systemctl is-active --quiet "$unit"; do
    [ "$waited" -lt 60 ] || { log "$unit did not become active within 60 s"; return 1; }
    sleep 1
    waited=$((waited + 1))
  done
}

run_hook() { # name default-function args...
  local command=$1 fallback=$2
  shift 2
  if [ -n "$command" ]; then bash -c "$command" canopy-deploy "$@"; else "$fallback" "$@"; fi
}

mkdir -p "$home/releases" "$home/shared/venvs"
exec 9>"$home/deploy.lock"
if ! flock -n 9; then
  log "another deploy is running (lock $home/deploy.lock held); nothing to do"
  exit 0
fi

repo="$home/repo.git"
if [ ! -d "$repo" ]; then
  log "cloning $repository"
  git init --quiet --bare "$repo"
fi
git --git-dir="$repo" fetch --quiet --prune "$repository" "+refs/heads/$branch:refs/heads/$branch" \
  || die "could not fetch branch '$branch' from $repository"
target=$(git --git-dir="$repo" rev-parse --verify "refs/heads/$branch^{commit}")

current=""
if [ -L "$home/current" ]; then current=$(basename "$(readlink "$home/current")"); fi
if [ "$target" = "$current" ]; then
  log "up to date: $branch is at ${target:0:12}"
  exit 0
fi
running=${current:0:12}
running=${running:-nothing}
log "deploying $branch ${target:0:12} (running: $running)"

release="$home/releases/$target"
rm -rf "$release"
git clone --quiet --no-checkout "$repo" "$release"
git -C "$release" checkout --quiet --detach "$target"

log "building ${target:0:12}"
if ! (cd "$release" && run_hook "${CANOPY_DEPLOY_BUILD:-}" deploy_build); then
  rm -rf "$release"
  die "build of ${target:0:12} failed; still running $running; will retry at the next tick"
fi

# Atomic switch: rename(2) of a new symlink over the old one.
ln -sfn "releases/$target" "$home/current.new"
mv -Tf "$home/current.new" "$home/current"
log "switched current to ${target:0:12}"

run_hook "${CANOPY_DEPLOY_ACTIVATE:-}" deploy_activate "$release" || die "activating ${target:0:12} failed"

units=()
for ((i = 1; i <= workers; i++)); do units+=("canopy-worker@$i.service"); done
if [ "$role" = main ]; then units+=("canopy-board.service"); fi
for unit in "${units[@]}"; do
  log "restarting $unit"
  run_hook "${CANOPY_DEPLOY_RESTART:-}" restart_unit "$unit" \
    || die "restarting $unit failed; the units after it still run the previous release"
done

# Keep the newest releases (by deploy time), never the one in use.
mapfile -t old < <(find "$home/releases" -mindepth 1 -maxdepth 1 -type d ! -name "$target" -printf '%T@ %f\n' \
  | sort -rn | cut -d' ' -f2 | tail -n +"$keep")
for name in "${old[@]}"; do rm -rf "${home:?}/releases/$name"; done

log "deployed ${target:0:12}"
