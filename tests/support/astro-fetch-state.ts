/**
 * The installed Astro's fetch-state.js, as src/build's rewrites (astro-request-accessors.ts,
 * astro-csp-digests-once.ts) receive it: their unit tests run them against the real source.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const astroFetchStateSource = readFileSync(
  path.join(path.dirname(require.resolve('astro/package.json')), 'dist/core/fetch/fetch-state.js'),
  'utf8',
);
