/**
 * The installed Astro's modules as src/build's rewrites (astro-request-accessors.ts,
 * astro-csp-digests-once.ts, astro-island-decrypt-once.ts) receive them: their unit tests run
 * them against the real source.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** A file of the installed Astro's dist/, e.g. `core/fetch/fetch-state.js`. */
export function astroDistSource(file: string): string {
  return readFileSync(path.join(path.dirname(require.resolve('astro/package.json')), 'dist', file), 'utf8');
}

export const astroFetchStateSource = astroDistSource('core/fetch/fetch-state.js');
