/**
 * The build step that completes each page's CSP <meta> (src/build/csp-inline-hashes.ts): what it
 * adds for inline scripts and styles Astro didn't hash, style attributes and the search, and that
 * it leaves pages without a policy alone.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { completePolicy } from '#build/csp-inline-hashes.ts';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const page = (policy: string, body: string) =>
  `<html><head><meta http-equiv="content-security-policy" content="${policy}"></head><body>${body}</body></html>`;
const policyOf = (html: string) =>
  /content-security-policy" content="([^"]*)"/
    .exec(html)![1]!
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"');

describe('completePolicy', () => {
  const base = "default-src 'self'; script-src 'self'; style-src 'self'";

  it.each([
    ['an is:inline script', '<script>let a = 1;</script>', `script-src 'self' ${sha('let a = 1;')}`],
    ['an inline style element', '<style>p{color:red}</style>', `style-src 'self' ${sha('p{color:red}')}`],
    [
      'style attributes, decoded, each distinct value once',
      '<span style="--0:#fff;--1:#000">a</span><b style="--0:#fff;--1:#000"></b><i style="a:&quot;x&quot;"></i>',
      `style-src-attr 'unsafe-hashes' ${sha('--0:#fff;--1:#000')} ${sha('a:"x"')}`,
    ],
    ['a worker source for the search', '<site-search></site-search>', "worker-src 'self'"],
    ['WebAssembly for the search', '<site-search></site-search>', "script-src 'self' 'wasm-unsafe-eval'"],
  ])('adds %s', (_, body, expected) => {
    expect(policyOf(completePolicy(page(base, body)))).toContain(expected);
  });

  it('keeps hashes already there, never adds unsafe-inline, skips script elements with src', () => {
    const html = page(
      `default-src 'self'; script-src 'self' ${sha('x()')}`,
      '<script>x()</script><script type="module" src="/a.js"></script>',
    );
    const policy = policyOf(completePolicy(html));
    expect(policy.match(/sha256-/g)).toHaveLength(1);
    expect(policy).not.toContain('unsafe-inline');
  });

  it('leaves a page without a policy unchanged', () => {
    const html = '<html><body><script>x()</script><p style="color:red"></p></body></html>';
    expect(completePolicy(html)).toBe(html);
  });
});
