#!/usr/bin/env bash
# `npm run validate`: the fast loop before a commit. Lint, format check, type check, dead code and
# the unit tests; no database, no build, no browser. The checks run side by side (the type check
# is the longest; the others fit beside it), each one's output is shown when it fails, and the run
# fails if any did. `npm test` runs everything else (integration, HTTP and browser tests).
set -uo pipefail
cd "$(dirname "$0")/.."

NAMES=(lint format types knip 'unit tests')
COMMANDS=(
  'eslint .'
  'prettier --check --log-level warn .'
  'astro check --minimumSeverity error'
  'knip'
  'vitest run --project unit'
)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
now() { date +%s%N; }
started_at=$(now)

pids=()
for i in "${!COMMANDS[@]}"; do
  (
    start=$(now)
    bash -c "${COMMANDS[$i]}" >"$out/$i.log" 2>&1
    echo "$? $((($(now) - start) / 1000000))" >"$out/$i.status"
  ) &
  pids+=($!)
done
wait "${pids[@]}"

failed=()
for i in "${!COMMANDS[@]}"; do
  read -r status ms <"$out/$i.status"
  if [ "$status" -ne 0 ]; then
    failed+=("${NAMES[$i]}")
    echo "──── ${NAMES[$i]} (${COMMANDS[$i]}) failed:"
    cat "$out/$i.log"
    echo
  fi
done
for i in "${!COMMANDS[@]}"; do
  read -r status ms <"$out/$i.status"
  printf '[validate] %-12s %-7s %6.1f s\n' "${NAMES[$i]}" "$([ "$status" -eq 0 ] && echo ok || echo FAILED)" "${ms}e-3"
done
printf '[validate] %-20s %6.1f s\n' 'total (side by side)' "$((($(now) - started_at) / 1000000))e-3"
if [ ${#failed[@]} -gt 0 ]; then
  echo "[validate] failed: ${failed[*]}"
  exit 1
fi
