import type { Plugin } from 'vite';

/** Astro's per-request state and render setup, which astro-request-accessors.ts and astro-csp-digests-once.ts rewrite. */
export const ASTRO_FETCH_STATE = /[\\/]astro[\\/]dist[\\/]core[\\/]fetch[\\/]fetch-state\.js$/;

/**
 * Replaces snippets of a dependency's built code that must be there exactly as written: when an
 * update changes one, the build fails with the module's hint instead of shipping half a change.
 * Used by moduleRewrite() below.
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

/** One build-time rewrite of a dependency's module: exact snippets replaced, helpers appended. */
export interface ModuleRewrite {
  /** The Vite plugin's name; an error about a missing snippet starts with it. */
  name: string;
  /** The module, by its path. */
  file: RegExp;
  /** The module as a person names it in that error, e.g. "Astro's fetch-state.js". */
  module: string;
  replacements: ReadonlyArray<readonly [string, string]>;
  /** Appended to the module: the helpers the replacements call. */
  helpers: string;
  /** What to do when a snippet is missing (after "Astro was updated?"). */
  advice: string;
}

/**
 * The rewrite as a function of the module's code (throws when a snippet is missing; the unit tests
 * run it on the installed dependency) and as the Vite plugin that applies it in the server bundle.
 */
export function moduleRewrite(spec: ModuleRewrite): { rewrite: (code: string) => string; plugin: () => Plugin } {
  const hint = `${spec.name}: ${spec.module} no longer contains an expected snippet (Astro was updated?). ${spec.advice}`;
  const rewrite = (code: string) => replaceExactly(code, spec.replacements, hint) + spec.helpers;
  return {
    rewrite,
    plugin: () => ({
      name: spec.name,
      enforce: 'pre',
      transform(code, id) {
        if (!spec.file.test(id)) return null;
        return { code: rewrite(code), map: null };
      },
    }),
  };
}

/**
 * Appended (as source) to a rewritten module whose replacements memoise an async function of
 * build-time values: `__settledOnce(entries, id, compute, a, b, c)` answers `compute(a, b, c)`'s
 * promise for `id` until it settles, then its value (no promise, no work); a rejection is not
 * kept; at most 512 entries, then the memo restarts. Arguments rather than a closure: nothing is
 * allocated per call once the value is there.
 */
export const SETTLED_ONCE = `
function __settledOnce(entries, id, compute, a, b, c) {
  let value = entries.get(id);
  if (value === undefined) {
    if (entries.size >= 512) entries.clear();
    value = compute(a, b, c);
    entries.set(id, value);
    value.then((settled) => entries.set(id, settled), () => entries.delete(id));
  }
  return value;
}
`;
