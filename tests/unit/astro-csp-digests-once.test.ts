/**
 * src/build/astro-csp-digests-once.ts makes Astro digest each head element for CSP once per build
 * instead of once per request. Checked against the Astro installed here: both loops of
 * `createResult` go through the memo, the memo computes each digest once and returns what Astro's
 * own function returned, a failed digest is not kept, and a changed Astro fails the build.
 */
import { describe, expect, it, vi } from 'vitest';
import { CSP_DIGEST_MEMO, rewriteCspDigests } from '#build/astro-csp-digests-once.ts';
import { astroFetchStateSource as source } from '../support/astro-dist.ts';

type Digest = (data: string, algorithm: string) => Promise<string> | string;

/** The memo as the rewritten module defines it, over a stand-in for Astro's generateCspDigest. */
function memoOver(generateCspDigest: (data: string, algorithm: string) => Promise<string>): Digest {
  return new Function('generateCspDigest', `${CSP_DIGEST_MEMO}\nreturn __cspDigestOnce;`)(generateCspDigest) as Digest;
}

describe('astro-csp-digests-once', () => {
  it('sends both head-element loops of createResult through the memo', () => {
    const rewritten = rewriteCspDigests(source);
    const createResult = rewritten.slice(
      rewritten.indexOf('  async createResult('),
      rewritten.indexOf('const componentMetadata'),
    );
    expect(createResult).not.toContain('generateCspDigest(');
    expect(createResult.match(/await __cspDigestOnce\(/g)).toHaveLength(2);
    // ...and the original called Astro's digest there, so this notices if the rewrite stops applying.
    expect(source.slice(source.indexOf('  async createResult('), source.indexOf('const componentMetadata'))).toContain(
      'await generateCspDigest(',
    );
  });

  it('computes each digest once and answers with it afterwards', async () => {
    const digest = vi.fn(async (data: string, algorithm: string) => `${algorithm}:${data.length}`);
    const once = memoOver(digest);
    const style = 'body { color: red }';
    expect(await once(style, 'SHA-256')).toBe('SHA-256:19');
    expect(await once(style, 'SHA-256')).toBe('SHA-256:19');
    expect(once(style, 'SHA-256')).toBe('SHA-256:19'); // settled: no promise, no WebCrypto
    expect(await once(style, 'SHA-512')).toBe('SHA-512:19');
    expect(await once('other', 'SHA-256')).toBe('SHA-256:5');
    expect(digest).toHaveBeenCalledTimes(3);
  });

  it('does not keep a digest that failed', async () => {
    const digest = vi.fn().mockRejectedValueOnce(new Error('no crypto')).mockResolvedValue('sha256-ok');
    const once = memoOver(digest);
    await expect(once('a', 'SHA-256')).rejects.toThrow('no crypto');
    await Promise.resolve();
    expect(await once('a', 'SHA-256')).toBe('sha256-ok');
    expect(digest).toHaveBeenCalledTimes(2);
  });

  it('refuses an Astro whose code it does not recognise', () => {
    expect(() =>
      rewriteCspDigests(source.replace('generateCspDigest(style.children', 'digest(style.children')),
    ).toThrow(/astro-csp-digests-once: Astro's fetch-state.js no longer contains/);
  });
});
