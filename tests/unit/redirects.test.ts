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

  it.each([
    ['https://todos.example.com', '/'],
    ['https://todos.example.com/todos?filter=active', '/todos?filter=active'],
    ['https://todos.example.com.evil.example/todos', '/todos'],
    ['http://todos.example.com/todos', '/todos'],
  ])('with the site origin: %s → %s', (raw, expected) => {
    expect(safeCallbackPath(raw, 'https://todos.example.com')).toBe(expected);
  });
});
