#!/usr/bin/env bash
# `npm test`: everything a fresh machine needs, then every test, and how long each stage took.
#   1. system packages the tests use (Chromium, PostgreSQL server binaries, jemalloc) if missing
#   2. type check (astro check: .astro, .ts and .tsx files), lint, format check and knip (dead code)
#   3. a production build (HTTP and browser tests run against it, as users do)
#   4. unit tests (Vitest project `unit`: no database, no build)
#   5. integration (PGlite and real Postgres through the Neon driver) and HTTP tests (project `integration`)
#   6. memory tests (project `memory`), alone and one file at a time: their numbers are the server's
#   7. browser tests in Chromium (Playwright)
# The fast loop while working is `npm run validate` (lint, format, types, knip, unit tests).
set -euo pipefail
cd "$(dirname "$0")/.."

STAGES=()
TIMES=()
started_at=$(date +%s)

# Prints the table on every exit, so a failed run still shows where the time went.
summary() {
  local status=$?
  echo
  printf '[test] %-44s %8s\n' 'stage' 'seconds'
  for i in "${!STAGES[@]}"; do printf '[test] %-44s %8s\n' "${STAGES[$i]}" "${TIMES[$i]}"; done
  printf '[test] %-44s %8s\n' "total$([ "$status" -ne 0 ] && echo ' (failed)')" "$(($(date +%s) - started_at))"
}
trap summary EXIT

# stage "name" command...: runs one stage and records its duration.
stage() {
  local name=$1
  shift
  echo "[test] $name"
  local start
  start=$(date +%s)
  STAGES+=("$name")
  TIMES+=("...")
  "$@"
  TIMES[${#TIMES[@]} - 1]=$(($(date +%s) - start))
}

build() {
  # Build with canary secrets in the environment (as a careless .env would put them there): a test
  # checks that none of them reaches dist/.
  export BUILD_CANARY_AUTH_SECRET="canary-auth-secret-$RANDOM$RANDOM-do-not-ship"
  export BUILD_CANARY_RESEND_API_KEY="re_canary_$RANDOM$RANDOM"
  export BUILD_CANARY_DATABASE_URL="postgres://canary:canary$RANDOM@db.invalid/canary"
  AUTH_SECRET="$BUILD_CANARY_AUTH_SECRET" RESEND_API_KEY="$BUILD_CANARY_RESEND_API_KEY" \
    DATABASE_URL="$BUILD_CANARY_DATABASE_URL" astro build >/dev/null
}

stage 'test dependencies' bash scripts/ensure-test-deps.sh
stage 'type check' astro check --minimumSeverity error
stage 'lint, format, dead code' bash -c 'eslint . && prettier --check --log-level warn . && knip'
stage 'build' build
stage 'unit tests' vitest run --project unit
stage 'integration and HTTP tests' vitest run --project integration
stage 'memory tests' vitest run --project memory
stage 'browser tests' playwright test
