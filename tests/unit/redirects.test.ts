import { describe, expect, it } from 'vitest';
import { safeCallbackPath, signInPath } from '#lib/auth/redirects.ts';

const SITE = 'https://todos.example.com';

describe('safeCallbackPath', () => {
  it.each([
    ['/todos', '/todos'],
    ['/todos?filter=active', '/todos?filter=active'],
    ['/a/b#c', '/a/b#c'],
    ['https://evil.example/todos', '/todos'],
    ['//evil.example', '/todos'],
    ['/\\evil.example', '/todos'],
    ['javascript:alert(1)', '/todos'],
    ['todos', '/todos'],
    ['', '/todos'],
    [null, '/todos'],
    [`/${'a'.repeat(3000)}`, '/todos'],
  ])('%.40s → %s', (raw, expected) => {
    expect(safeCallbackPath(raw)).toBe(expected);
  });

  it.each([
    [SITE, '/'],
    [`${SITE}/todos?filter=active`, '/todos?filter=active'],
    ['https://todos.example.com.evil.example/todos', '/todos'],
    ['http://todos.example.com/todos', '/todos'],
    [`${SITE}/a/../todos`, '/todos'],
    ['/a/./b/../todos', '/a/todos'],
  ])('with the site origin: %s → %s', (raw, expected) => {
    expect(safeCallbackPath(raw, SITE)).toBe(expected);
  });

  // Each of these went off-site (or could): what comes back must be a path on this site, and the
  // result is what is checked, not the raw input (dot segments collapse `/.//x` to `//x`).
  /** The seven variants the security review reported (issue #10, M1). */
  const REPORTED = [
    '/.//evil.example',
    '/..//evil.example',
    '/%2e//evil.example',
    '/%2E%2E//evil.example',
    '/x/..//evil.example',
    `${SITE}/.//evil.example`,
    '/.///evil.example',
  ];
  const OFF_SITE = [
    ...REPORTED,
    '/./\\evil.example',
    '/%5c/evil.example',
    '/%5C%5Cevil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '/.\t//evil.example',
    '/%2f%2fevil.example',
    '/%2F/evil.example',
    'https:evil.example',
    'http:evil.example',
    'https:/evil.example',
    'https:\\\\evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '\\\\evil.example',
    ' //evil.example',
    '/ /evil.example',
    '\u0000//evil.example',
    '/\u0000/evil.example',
    `${SITE}@evil.example`,
    `${SITE}.evil.example`,
    `${SITE}:443@evil.example/`,
    'https://evil.example#https://todos.example.com',
    `/${'a'.repeat(5000)}`,
    `/.//${'a'.repeat(2040)}`,
  ];

  const label = (raw: string) =>
    raw.length > 60 ? `${JSON.stringify(raw.slice(0, 12))}… (${raw.length} characters)` : JSON.stringify(raw);
  it.each(OFF_SITE.map((raw) => [label(raw), raw]))('%s never leaves the site', (_label, raw) => {
    for (const origin of [SITE, undefined]) {
      const result = safeCallbackPath(raw, origin);
      expect(result.startsWith('/')).toBe(true);
      expect(result.startsWith('//')).toBe(false);
      expect(result.startsWith('/\\')).toBe(false);
      // eslint-disable-next-line no-control-regex -- control characters are what this checks for
      expect(result).not.toMatch(/[\u0000-\u001f\u007f]/);
      // What a browser makes of the Location header: still this site.
      expect(new URL(result, SITE).origin).toBe(SITE);
    }
  });

  it.each(REPORTED)('the reported variant %s falls back to /todos', (raw) => {
    expect(safeCallbackPath(raw, SITE)).toBe('/todos');
  });
});

describe('signInPath: the one "go sign in and come back" URL', () => {
  it.each([
    ['/todos', {}, '/signin?callbackUrl=%2Ftodos'],
    ['/account', {}, '/signin?callbackUrl=%2Faccount'],
    ['/todos?filter=active', {}, '/signin?callbackUrl=%2Ftodos%3Ffilter%3Dactive'],
    ['/todos', { error: 'invalid-email' }, '/signin?error=invalid-email&callbackUrl=%2Ftodos'],
  ])('%s %o → %s', (back, extra, expected) => {
    expect(signInPath(back, extra)).toBe(expected);
  });

  it('comes back where it was asked to, through the same check as every callbackUrl', () => {
    const back = new URL(signInPath('/todos?filter=active'), 'http://x.invalid').searchParams.get('callbackUrl');
    expect(safeCallbackPath(back)).toBe('/todos?filter=active');
  });
});
