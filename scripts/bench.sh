#!/usr/bin/env bash
# npm run bench:<name>: sets up, then runs one benchmark. Benchmarks compare against their
# reference in the same run and print ratios; they never run as part of npm test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
name=${1:?usage: bench.sh forest|storage|scale|kernels|csv|serve}
shift
bash scripts/setup.sh
case "$name" in
  forest) exec node libs/ml/dist/bench/forest.js "$@" ;;
  storage) exec node libs/storage/dist/bench/storage.js "$@" ;;
  scale) exec node apps/worker/dist/bench/scale.js "$@" ;;
  kernels) exec node libs/ml/dist/bench/histogram-kernels.js "$@" ;;
  csv) exec node libs/ml/dist/bench/csv-load.js "$@" ;;
  serve) exec node libs/serve/dist/bench/serve.js "$@" ;;
  *) echo "unknown benchmark $name (forest, storage, scale, kernels, csv, serve)" >&2; exit 2 ;;
esac
