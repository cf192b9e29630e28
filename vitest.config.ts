import { defineConfig } from 'vitest/config';

/**
 * Two projects, so the fast loop needs nothing running:
 * - `unit` (tests/unit): pure modules, no database, no build; `npm run test:unit` runs it alone.
 * - `integration` (tests/integration, tests/http): starts one throwaway Postgres and the WebSocket
 *   proxy for the whole run (global setup); the HTTP tests need a production build in dist/.
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
    ],
  },
});
