import { defineConfig } from 'vitest/config';

/**
 * Two projects, so the fast loop needs nothing running:
 * - `unit` (tests/unit): pure modules, no database, no build; `npm run test:unit` runs it alone.
 * - `integration` (tests/integration, tests/http): starts one throwaway Postgres and the WebSocket
 *   proxy for the whole run (global setup); the HTTP tests need a production build in dist/.
 * - `memory` (tests/memory): the production server's RSS and what its young collections promote.
 *   `npm test` runs it after the others, one file at a time: with other files loading the machine
 *   and the database, a page waits longer between its queries, outlives more young collections and
 *   promotes more (147 KB per /todos page in a CI run against 75–94 KB alone), so the numbers
 *   would measure the neighbours instead of the server.
 * The bench smoke run is not here: `npm run test:bench` (vitest.bench.config.ts).
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Files run in parallel workers; each makes its own databases and servers.
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/http/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'memory',
          include: ['tests/memory/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
