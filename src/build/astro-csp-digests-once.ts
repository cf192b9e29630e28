/**
 * With CSP on, Astro 7 digests every head `<style>` and `<script>` of the page (SHA-256 through
 * WebCrypto, then base64) on every request it renders, although they come from the build and never
 * change: on `/todos` that was 5–7 % of the request's CPU (README → Performance). This transform
 * makes the two loops in fetch-state.js's `createResult` ask a module-level memo instead: the first
 * request computes a digest (exactly as before), every later one reads it. The memo holds one entry
 * per distinct head element of the build, keyed by the manifest's own strings (at most 512).
 *
 * The snippet must match Astro's source exactly: when an Astro update changes it, the build fails
 * here (then check whether Astro caches these digests itself and remove this module, or update it).
 */
import { ASTRO_FETCH_STATE, moduleRewrite, SETTLED_ONCE } from './exact-replace.ts';

const REPLACEMENTS: Array<[string, string]> = [
  [
    `        extraStyleHashes.push(await generateCspDigest(style.children, cspAlgorithm));`,
    `        extraStyleHashes.push(await __cspDigestOnce(style.children, cspAlgorithm));`,
  ],
  [
    `        extraScriptHashes.push(await generateCspDigest(script.children, cspAlgorithm));`,
    `        extraScriptHashes.push(await __cspDigestOnce(script.children, cspAlgorithm));`,
  ],
];

/** Digest by algorithm, then by content: a promise until the first digest settles, then the digest. */
export const CSP_DIGEST_MEMO = `${SETTLED_ONCE}
const __cspDigests = new Map();
function __cspDigestOnce(data, algorithm) {
  let byContent = __cspDigests.get(algorithm);
  if (!byContent) __cspDigests.set(algorithm, byContent = new Map());
  // Bounded in case some integration adds head elements per request: then the memo only restarts.
  return __settledOnce(byContent, data, generateCspDigest, data, algorithm);
}
`;

const CSP_DIGESTS_ONCE = moduleRewrite({
  name: 'astro-csp-digests-once',
  file: ASTRO_FETCH_STATE,
  module: "Astro's fetch-state.js",
  replacements: REPLACEMENTS,
  helpers: CSP_DIGEST_MEMO,
  advice:
    'If Astro now computes these digests once, remove src/build/astro-csp-digests-once.ts; otherwise update the snippets.',
});

/** Astro's fetch-state.js with the head elements' CSP digests computed once (throws when a snippet is missing). */
export const rewriteCspDigests = CSP_DIGESTS_ONCE.rewrite;
export const astroCspDigestsOnce = CSP_DIGESTS_ONCE.plugin;
