import type { Plugin } from 'vite';

/** Astro's per-request state and render setup, which astro-request-accessors.ts and astro-csp-digests-once.ts rewrite. */
export const ASTRO_FETCH_STATE = /[\\/]astro[\\/]dist[\\/]core[\\/]fetch[\\/]fetch-state\.js$/;

/**
 * Replaces snippets of a dependency's built code that must be there exactly as written: when an
 * update changes one, the build fails with the module's hint instead of shipping half a change.
 * Used by the build-time rewrites of Astro's code (astro-request-accessors.ts, astro-csp-digests-once.ts).
 */
export function replaceExactly(
  code: string,
  replacements: ReadonlyArray<readonly [string, string]>,
  onMissing: string,
): string {
  let rewritten = code;
  for (const [before, after] of replacements) {
    if (!rewritten.includes(before)) throw new Error(`${onMissing}\n${before.split('\n')[0]}`);
    rewritten = rewritten.replace(before, after);
  }
  return rewritten;
}

/** A Vite plugin that rewrites one dependency module (matched by `file`) in the server bundle. */
export function rewriteModulePlugin(name: string, file: RegExp, rewrite: (code: string) => string): Plugin {
  return {
    name,
    enforce: 'pre',
    transform(code, id) {
      if (!file.test(id)) return null;
      return { code: rewrite(code), map: null };
    },
  };
}
