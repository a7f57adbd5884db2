#!/usr/bin/env bash
# Creates (or refreshes) the project-local Python virtualenvs: one per python/requirements/<name>.txt,
# in .venvs/<name>. A venv is rebuilt only when its pinned requirements changed.
# Usage: setup-python.sh [name ...]   (default: every requirements file)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
python=${CANOPY_PYTHON:-python3}

names=("$@")
if [ "${#names[@]}" -eq 0 ]; then
  for file in "$root"/python/requirements/*.txt; do names+=("$(basename "$file" .txt)"); done
fi

for name in "${names[@]}"; do
  requirements="$root/python/requirements/$name.txt"
  venv="$root/.venvs/$name"
  stamp="$venv/.requirements.sha256"
  want=$(sha256sum "$requirements" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then continue; fi
  echo "setup: creating Python virtualenv .venvs/$name" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  echo "$want" > "$stamp"
done
