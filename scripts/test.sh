#!/usr/bin/env bash
# `npm test`: everything a fresh machine needs, then every test.
#   1. system packages the tests use (Chromium, PostgreSQL server binaries) if missing
#   2. type check (astro check: .astro, .ts and .tsx files)
#   3. a production build (HTTP and browser tests run against it, as users do)
#   4. unit, integration (PGlite and real Postgres through the Neon driver) and HTTP tests (Vitest)
#   5. browser tests in Chromium (Playwright)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-test-deps.sh
echo "[test] type check"
astro check --minimumSeverity error
echo "[test] building"
# Build with canary secrets in the environment (as a careless .env would put them there): a test
# checks that none of them reaches dist/.
export BUILD_CANARY_AUTH_SECRET="canary-auth-secret-$RANDOM$RANDOM-do-not-ship"
export BUILD_CANARY_RESEND_API_KEY="re_canary_$RANDOM$RANDOM"
export BUILD_CANARY_DATABASE_URL="postgres://canary:canary$RANDOM@db.invalid/canary"
AUTH_SECRET="$BUILD_CANARY_AUTH_SECRET" RESEND_API_KEY="$BUILD_CANARY_RESEND_API_KEY" \
  DATABASE_URL="$BUILD_CANARY_DATABASE_URL" astro build >/dev/null
echo "[test] unit, integration and HTTP tests"
vitest run
echo "[test] browser tests"
playwright test
