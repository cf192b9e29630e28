/**
 * The installed Astro's built modules, as src/build's rewrites (astro-request-accessors.ts,
 * astro-csp-digests-once.ts, astro-island-decrypt-once.ts) receive them: their unit tests run
 * them against the real source (and, where it helps, Astro's own functions).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The path of a file in the installed Astro's dist/, e.g. `core/fetch/fetch-state.js`. */
export function astroDistFile(file: string): string {
  return path.join(path.dirname(require.resolve('astro/package.json')), 'dist', file);
}

/** The source of a file in the installed Astro's dist/. */
export function astroDistSource(file: string): string {
  return readFileSync(astroDistFile(file), 'utf8');
}

export const astroFetchStateSource = astroDistSource('core/fetch/fetch-state.js');
