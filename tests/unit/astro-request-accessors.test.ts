/**
 * src/build/astro-request-accessors.ts rewrites Astro's per-request getters (ADR 0012). These
 * checks run against the Astro installed here: every snippet is found, no getter made per request
 * is left in the functions it rewrites, and a changed Astro fails loudly instead of half-patched.
 * What the rewritten code does is checked by the whole HTTP and browser suites, which run on it.
 */
import { describe, expect, it } from 'vitest';
import { rewriteFetchState } from '#build/astro-request-accessors.ts';
import { astroFetchStateSource as source } from '../support/astro-dist.ts';

/** The body of `name(...) {` in `code`, to its matching brace. */
function methodBody(code: string, name: string): string {
  const start = code.indexOf(`  ${name}(`);
  expect(start, `${name} in fetch-state.js`).toBeGreaterThan(-1);
  let depth = 0;
  for (let i = code.indexOf('{', start); i < code.length; i++) {
    if (code[i] === '{') depth++;
    else if (code[i] === '}' && --depth === 0) return code.slice(start, i + 1);
  }
  throw new Error(`unbalanced ${name}`);
}

describe('astro-request-accessors', () => {
  const rewritten = rewriteFetchState(source);

  it.each(['constructor', 'createAstroPagePartial', 'defineProviderGetters', 'getActionAPIContext'])(
    '%s makes no getter per request',
    (name) => {
      const body = methodBody(rewritten, name);
      // Object-literal accessors (`get x() {`) and arrow-function getters close over the request.
      expect(body).not.toMatch(/^\s+(get|set) \w+\(/m);
      expect(body).not.toMatch(/get: \(\) =>/);
      // ...and the original did, so this test would notice if the rewrite stopped applying.
      expect(methodBody(source, name)).toMatch(/^\s+(get|set) \w+\(|get: \(\) =>/m);
    },
  );

  it('adds its getters once, at module level', () => {
    expect(rewritten).toContain('const __API_CONTEXT_ACCESSORS = {');
    expect(rewritten.indexOf('const __fetchState')).toBeGreaterThan(rewritten.lastIndexOf('export {'));
  });

  it('refuses an Astro whose code it does not recognise', () => {
    expect(() => rewriteFetchState(source.replace('return self.locals;', 'return this.locals;'))).toThrow(
      /astro-request-accessors: Astro's fetch-state.js no longer contains/,
    );
  });
});
