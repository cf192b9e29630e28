import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Starts the throwaway Postgres and the WebSocket proxy once for all test files.
    globalSetup: ['tests/support/global-setup.ts'],
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/http/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Files run in parallel workers; each makes its own databases and servers.
    pool: 'forks',
  },
});
