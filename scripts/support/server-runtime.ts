/**
 * How the production server is started, memory-wise (issue #16), in one place for the bench and
 * the tests that start it as production does. tests/unit/server-runtime.test.ts checks that
 * package.json's `start`/`serve` scripts and the Dockerfile say the same.
 *
 * Measured (README, "Memory"): with Node's defaults on a big machine V8's young generation grows to
 * 2 × 64 MiB and the old generation to a few hundred MiB before a full collection, so a burst of
 * signed-in requests takes the process from 110 to 450–500 MiB RSS. The live heap under load is
 * ~30 MiB; most of the rest is garbage waiting for a collection, and most of that garbage is
 * rendering /todos (about 2 MB allocated per request, three fifths in React's renderToString).
 */
import { existsSync } from 'node:fs';

/**
 * What production runs, relative to the project root: the server compiled at build time
 * (src/build/server-entry.ts), never its TypeScript source — Node's type stripper would stay
 * loaded for the life of the process (17 MiB of RSS).
 */
export const SERVER_ENTRY = 'dist/server/serve.mjs';

/**
 * Production's V8 flags, sized for a 256 MiB instance: the young generation at most 2 × 8 MiB and
 * a full collection before the old generation passes 128 MiB (the live heap under load is ~30).
 * With jemalloc (below) the server peaks under 200 MiB throughout the bench; the price is a full
 * collection every ~200 ms under /todos (README → Memory, round 11). Not lower: with a 64 MiB old
 * generation, 50 concurrent /todos renders stall the process in collections.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=8', '--max-old-space-size=128'];

/**
 * The allocator production runs with: jemalloc, preloaded (Debian's `libjemalloc2`; the Docker
 * image installs it and links it here, so LD_PRELOAD names one path on every architecture).
 * glibc's malloc keeps tens of MiB of freed blocks resident in its arenas after a burst; jemalloc
 * with two arenas and a one-second decay returns them: 185–194 MiB at the bench's peak instead of
 * 206–221 with glibc's fixed thresholds, and /todos 7 % faster (README → Memory, round 10).
 */
export const JEMALLOC_PRELOAD = '/usr/local/lib/libjemalloc.so.2';
export const JEMALLOC_ENV: Record<string, string> = {
  LD_PRELOAD: JEMALLOC_PRELOAD,
  MALLOC_CONF: 'narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0',
};

/**
 * Where glibc has no jemalloc to use: its malloc with fixed thresholds, which returns large freed
 * blocks at once (ignored by musl). Peaks 190–221 MiB under the bench: fits 256 MiB, not 200.
 */
export const GLIBC_ENV: Record<string, string> = {
  GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072',
};

/** Debian's multiarch directory for this machine's architecture (x86_64, aarch64...). */
const MULTIARCH: Partial<Record<NodeJS.Architecture, string>> = {
  x64: 'x86_64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
};

/** jemalloc's shared library on this machine: the image's link, else Debian's own path. */
export function findJemalloc(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const multiarch = MULTIARCH[process.arch];
  const candidates = [JEMALLOC_PRELOAD, ...(multiarch ? [`/usr/lib/${multiarch}/libjemalloc.so.2`] : [])];
  return candidates.find((file) => existsSync(file));
}

export interface ServerRuntime {
  nodeFlags: string[];
  env: Record<string, string>;
  /** What the bench prints and records: which malloc the server ran with. */
  allocator: 'jemalloc' | 'glibc (fixed thresholds)' | 'the platform’s';
}

/** The allocator's environment on this machine: jemalloc where installed, else glibc's thresholds. */
function allocatorEnv(): Pick<ServerRuntime, 'env' | 'allocator'> {
  const jemalloc = findJemalloc();
  if (jemalloc) return { env: { ...JEMALLOC_ENV, LD_PRELOAD: jemalloc }, allocator: 'jemalloc' };
  if (process.platform === 'linux') return { env: GLIBC_ENV, allocator: 'glibc (fixed thresholds)' };
  return { env: {}, allocator: 'the platform’s' };
}

/**
 * The production server's flags and allocator on this machine, for the bench and the tests that
 * start it as the image does: jemalloc where it is installed (`npm test` and `npm run bench`
 * install Debian's package), glibc's thresholds otherwise.
 */
export function productionRuntime(): ServerRuntime {
  return { nodeFlags: SERVER_NODE_FLAGS, ...allocatorEnv() };
}
