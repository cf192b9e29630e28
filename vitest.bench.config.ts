import { defineConfig } from 'vitest/config';

/**
 * `npm run test:bench`: a smoke run of `npm run bench` (30 s to a few minutes; the bench starts its
 * own Postgres), kept out of `npm test` and `npx vitest run`.
 */
export default defineConfig({
  test: {
    name: 'bench',
    include: ['tests/bench/**/*.test.ts'],
    testTimeout: 300_000,
  },
});
