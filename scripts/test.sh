#!/usr/bin/env bash
# `npm test`: everything a fresh machine needs, then every test.
#   1. system packages the tests use (Chromium, PostgreSQL server binaries) if missing
#   2. a production build (HTTP and browser tests run against it, as users do)
#   3. unit, integration (PGlite and real Postgres through the Neon driver) and HTTP tests (Vitest)
#   4. browser tests in Chromium (Playwright)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-test-deps.sh
echo "[test] building"
astro build >/dev/null
echo "[test] unit, integration and HTTP tests"
vitest run
echo "[test] browser tests"
playwright test
