/**
 * How the production server is started, memory-wise (issue #16), in one place for the bench and
 * the tests that start it as production does. tests/unit/server-runtime.test.ts checks that
 * package.json's `start`/`serve` scripts and the Dockerfile say the same.
 *
 * Measured (README, "Memory"): with Node's defaults on a big machine V8's young generation grows to
 * 2 × 64 MiB and the old generation to a few hundred MiB before a full collection, so a burst of
 * signed-in requests takes the process from 130 to 450–500 MiB RSS. The live heap under load is
 * 30–60 MiB; most of the rest is garbage waiting for a collection, and most of that garbage is
 * rendering /todos (about 2 MB allocated per request, three fifths in React's renderToString).
 */

/**
 * What production runs, relative to the project root: the server compiled at build time
 * (src/build/server-entry.ts), never its TypeScript source — Node's type stripper would stay
 * loaded for the life of the process (17 MiB of RSS).
 */
export const SERVER_ENTRY = 'dist/server/serve.mjs';

/**
 * Production's flags: the young generation at most 2 × 16 MiB. Costs no throughput (CPU time per
 * request equal to the defaults', within the noise, on every signed-in route) and takes 100 MiB
 * off the peak: 250–390 MiB instead of 310–490 under the bench. Enough for a 512 MiB instance.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=16'];

/**
 * For a 256 MiB instance (NODE_OPTIONS, see the Dockerfile): also a full collection before the old
 * generation passes 128 MiB, and glibc's malloc with fixed thresholds (ignored by musl), which
 * otherwise keeps tens of MiB of freed blocks resident in its per-thread arenas after a burst.
 * Peak RSS 150–215 MiB under the bench (README → Memory, round 10), but /todos then answers about
 * a quarter fewer requests per second (a full collection every ~200 ms), signed-in API requests
 * about a tenth fewer. Not lower: with a 64 MiB old generation, 50 concurrent /todos renders stall
 * the process in collections.
 */
export const SMALL_INSTANCE_NODE_FLAGS = ['--max-semi-space-size=8', '--max-old-space-size=128'];
export const SMALL_INSTANCE_ENV: Record<string, string> = {
  GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072',
};
