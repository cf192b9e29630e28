import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from '../../src/lib/redirects.ts';

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
  ])('%s → %s', (raw, expected) => {
    expect(safeCallbackPath(raw)).toBe(expected);
  });
});
