#!/usr/bin/env bash
# Installs what the tests and the bench need from Debian's packages when the machine lacks it:
#   chromium      for Playwright (unless Playwright has a browser of its own)
#   postgresql    the server binaries for the throwaway test cluster
#   jemalloc      the allocator the production server runs with (Dockerfile; the bench and the
#                 memory tests start the server with it, as the image does)
# Usage: ensure-test-deps.sh [what...] (all three by default). Needs root (or sudo) only when
# something is missing.
set -euo pipefail

wanted=("$@")
[[ ${#wanted[@]} -eq 0 ]] && wanted=(chromium postgresql jemalloc)
wants() { [[ " ${wanted[*]} " == *" $1 "* ]]; }

missing=()
if wants chromium && [[ -z "${PLAYWRIGHT_CHROMIUM:-}" ]] && ! command -v chromium >/dev/null 2>&1 && [[ ! -x /usr/bin/chromium ]]; then
  missing+=(chromium)
fi
if wants postgresql && [[ -z "${PG_BIN:-}" ]] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
# Linux only (macOS has no Debian packages; the server then runs with the platform's malloc).
if wants jemalloc && [[ "$(uname -s)" == Linux ]] && ! compgen -G '/usr/lib/*-linux-gnu/libjemalloc.so.2' >/dev/null && [[ ! -e /usr/local/lib/libjemalloc.so.2 ]]; then
  missing+=(libjemalloc2)
fi
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "[test] installing from Debian's packages: ${missing[*]}"
as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "[test] missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts a cluster of its own on install; the tests use a throwaway one and need none.
if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v pg_ctlcluster >/dev/null 2>&1; then
  "${as_root[@]}" bash -c 'for c in /etc/postgresql/*/main; do [ -d "$c" ] && pg_ctlcluster "$(basename "$(dirname "$c")")" main stop || true; done' || true
fi
