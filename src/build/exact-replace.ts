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
