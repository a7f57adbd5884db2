#!/usr/bin/env bash
# The one test command (npm test): sets up everything the tests need, then lints and runs
# every test of every project (TypeScript and Python), then prints one summary line.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false CI=${CI:-true}

bash scripts/setup.sh || { echo "setup failed" >&2; exit 1; }
rm -rf .artifacts/junit

status=0
# Formatting is checked, not applied: `npm run format` applies it.
npx prettier --check . --log-level warn || { echo "formatting: run npm run format" >&2; status=1; }
{ .venvs/lint/bin/ruff check . && .venvs/lint/bin/ruff format --check .; } || { echo "ruff: run npm run format" >&2; status=1; }
npx nx run-many -t lint --outputStyle=static || status=1
npx nx run-many -t test --parallel=1 --outputStyle=static || status=1
node scripts/summarize-junit.mjs .artifacts/junit || status=1
exit "$status"
