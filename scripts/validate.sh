#!/usr/bin/env bash
# `npm run validate`: the fast loop before a commit. Lint, format check, type check, dead code and
# the unit tests; no database, no build, no browser. Runs every check even after a failure (so one
# run shows everything to fix), prints how long each took, and fails if any failed.
# `npm test` runs everything else (integration, HTTP and browser tests against a build).
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
results=()
check() {
  local name=$1
  shift
  echo "[validate] $name"
  local start
  start=$(date +%s%N)
  if "$@"; then local status=ok; else local status=FAILED; failed+=("$name"); fi
  results+=("$(printf '%-14s %-7s %6.1f s' "$name" "$status" "$((($(date +%s%N) - start) / 1000000))e-3")")
}

started_at=$(date +%s%N)
check lint eslint .
check format prettier --check --log-level warn .
check types astro check --minimumSeverity error
check knip knip
check 'unit tests' vitest run --project unit

echo
printf '[validate] %s\n' "${results[@]}"
printf '[validate] %-22s %6.1f s\n' total "$((($(date +%s%N) - started_at) / 1000000))e-3"
if [ ${#failed[@]} -gt 0 ]; then
  echo "[validate] failed: ${failed[*]}"
  exit 1
fi
